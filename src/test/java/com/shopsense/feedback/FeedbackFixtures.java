package com.shopsense.feedback;

import com.shopsense.event.EventType;
import com.shopsense.event.FraudLabel;
import com.shopsense.event.ShopEvent;
import com.shopsense.scoring.FraudScore;
import com.shopsense.scoring.ScoredEvent;
import com.shopsense.session.SessionUpdate;
import java.nio.charset.StandardCharsets;

/** Payments, scores and labels for the feedback operators' harness tests. */
final class FeedbackFixtures {
    static final long DAY = 86_400_000L;
    static final long T = 1_530_000_000_000L;

    private FeedbackFixtures() {
    }

    static ScoredEvent payment(String eventId, String merchant, long ts, int currentFeatures) {
        ShopEvent e = ShopEvent.builder(eventId, "u-" + eventId, EventType.PAYMENT, ts).amount(10.0)
                .merchantId(merchant).build();
        SessionUpdate u = new SessionUpdate(e.userId(), "s", e, 0, -1, ts, 0, 0, new String[0], 0, 0, 0, false, 0, 0,
                new float[0], new float[16 * 8], new float[currentFeatures], new String[] {"FIRST_PAYMENT"});
        return new ScoredEvent(u, 0.1f, "intent:v", false);
    }

    static FraudScore score(String eventId, long ts, float p, String version) {
        return new FraudScore(payment(eventId, "T1", ts, 4), p, 0.5, version);
    }

    static FraudLabel label(String labelId, String eventId, String merchant, boolean fraud, long decidedAt,
            String alertId) {
        return new FraudLabel(labelId, eventId, alertId, null, merchant, fraud, "chargeback", decidedAt,
                ("{\"labelId\":\"" + labelId + "\"}").getBytes(StandardCharsets.UTF_8), "fraud-labels", 0, 7);
    }
}
