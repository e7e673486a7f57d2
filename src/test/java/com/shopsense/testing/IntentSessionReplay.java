package com.shopsense.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.shopsense.event.EventType;
import com.shopsense.event.ShopEvent;
import com.shopsense.features.IntentFeatureEncoder;
import com.shopsense.session.OpenSession;

/**
 * Encodes one golden session's events for the intent model as the sessionizer does (SessionTracker): the
 * context comes from a real {@link OpenSession} before each event is added, and "bought before" from the
 * user's orders so far (the golden case's {@code boughtBefore} says whether an earlier session had one).
 */
public final class IntentSessionReplay {
    /** session.kept-items' default, the item window the goldens were made with. */
    public static final int KEPT_ITEMS = 20;

    private final IntentFeatureEncoder encoder;
    private OpenSession session;
    private boolean ordered;
    private int position;

    public IntentSessionReplay(IntentFeatureEncoder encoder, boolean boughtBefore) {
        this.encoder = encoder;
        this.ordered = boughtBefore;
    }

    /** A replay for a case of onnx-models/golden/intent.json. */
    public static IntentSessionReplay of(IntentFeatureEncoder encoder, JsonNode goldenCase) {
        return new IntentSessionReplay(encoder, goldenCase.path("boughtBefore").asBoolean(false));
    }

    public IntentFeatureEncoder.Encoded next(ShopEvent e) {
        if (session == null) {
            session = OpenSession.start(e.userId(), e);
        }
        Long previous = position == 0 ? null : session.lastTs;
        IntentFeatureEncoder.Encoded x = encoder.encode(e, previous, position, session.intentContext(ordered));
        session.add(e, KEPT_ITEMS);
        ordered |= e.type() == EventType.ORDER;
        position++;
        return x;
    }
}
