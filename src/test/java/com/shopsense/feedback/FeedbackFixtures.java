package com.shopsense.feedback;

import com.shopsense.event.EventRef;
import com.shopsense.event.FraudLabel;
import com.shopsense.scoring.FraudDecision;
import com.shopsense.scoring.FraudScore;
import com.shopsense.session.FraudRequest;
import com.shopsense.session.PaymentRef;
import java.nio.charset.StandardCharsets;

/** Payments, scores and labels for the feedback operators' harness tests. */
final class FeedbackFixtures {
    static final long DAY = 86_400_000L;
    static final long T = 1_530_000_000_000L;

    private FeedbackFixtures() {
    }

    static FraudRequest payment(String eventId, String merchant, long ts, int currentFeatures) {
        PaymentRef ref = new PaymentRef(new EventRef("u-" + eventId, eventId, ts), merchant, 10.0, null, null);
        return new FraudRequest(ref, new float[16 * 8], new float[currentFeatures], new String[] {"FIRST_PAYMENT"});
    }

    static FraudScore score(String eventId, long ts, float p, String version) {
        FraudRequest r = payment(eventId, "T1", ts, 4);
        return new FraudScore(r.payment(), r.reasons(), p, 0.5, version);
    }

    /** A score decided without rules: alerted when the model's probability reaches the threshold. */
    static FraudDecision decided(FraudScore f) {
        return new FraudDecision(f, f.isAlert(), false, f.reasons(), new String[0]);
    }

    static FraudLabel label(String labelId, String eventId, String merchant, boolean fraud, long decidedAt,
            String alertId) {
        return new FraudLabel(labelId, eventId, alertId, null, merchant, fraud, "chargeback", decidedAt,
                ("{\"labelId\":\"" + labelId + "\"}").getBytes(StandardCharsets.UTF_8), "fraud-labels", 0, 7);
    }
}
