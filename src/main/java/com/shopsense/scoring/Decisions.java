package com.shopsense.scoring;

import com.shopsense.privacy.Pseudonymizer;
import com.shopsense.scoring.AlertIds;
import com.shopsense.session.PaymentRef;

/** Turns scores into what the storefront and the risk team read: score-hash updates and alerts. */
public final class Decisions {
    private Decisions() {
    }

    static String format(float p) {
        return Decimals.fixed4(p);
    }

    /**
     * In order per user (the intent operator is keyed and forwards to the sink); updatedAt is the newest event
     * time scored for the user, so it never goes back even when events arrive out of order.
     */
    public static UserScoreUpdate intent(IntentScore s) {
        return new UserScoreUpdate(s.ref().userId(), new String[] {"intent", "intentModel"},
                new String[] {format(s.probability()), "intent:" + s.modelVersion()}, s.newestEventTime(), true);
    }

    public static UserScoreUpdate fraud(FraudScore f) {
        return new UserScoreUpdate(f.payment().ref().userId(), new String[] {"fraud", "fraudModel"},
                new String[] {format(f.probability()), "fraud:" + f.modelVersion()}, f.payment().ref().ts());
    }

    /**
     * A scored review's sentiment (1 - p_negative) as the user's {@code reviewSentiment}, the latest by event
     * time: scored reviews come through Async I/O and a shuffle, so the sink keeps the newest per field.
     */
    public static UserScoreUpdate review(ReviewScore r) {
        return new UserScoreUpdate(r.userId(), new String[] {"reviewSentiment", "reviewModel"},
                new String[] {Decimals.fixed4(r.sentiment()), "review:" + r.modelVersion()}, r.ts());
    }

    /**
     * A closed session's churn fields; null for a prospect (no churn score: nothing to write on this path; its
     * segment and updatedAt come from the segment tracker, the one writer of {@code segment}).
     */
    public static UserScoreUpdate closedSession(ChurnScore c) {
        return c.scored() ? churn(c) : null;
    }

    /** The segment of users without an order: insight.SegmentRules.PROSPECT (SegmentTrackerTest checks they agree). */
    public static final String PROSPECT = "prospect";

    /** A customer's churn fields. */
    public static UserScoreUpdate churn(ChurnScore c) {
        return new UserScoreUpdate(c.userId(), new String[] {"churn", "churnModel", "churnAtRisk"},
                new String[] {format(c.probability()), "churn:" + c.modelVersion(),
                        Boolean.toString(c.atRisk())},
                c.sessionEndTs(), true); // ordered churn call, forwarded: in order per user
    }

    /** The alert for a score over the threshold; the id depends only on the event and the model version. */
    public static FraudAlert alert(FraudScore f, long nowMs, Pseudonymizer pseudonyms) {
        return alert(f, f.reasons(), nowMs, pseudonyms);
    }

    /**
     * The alert for a payment the model and the rules decided to alert on: the model's reasons and one
     * {@code rule:<id>@<version>} per rule that raised or boosted it. The id is the same as for a model alert
     * (event and model version), so the first emission and a replay agree whatever raised it.
     */
    public static FraudAlert alert(FraudDecision d, long nowMs, Pseudonymizer pseudonyms) {
        return alert(d.score(), d.reasons(), nowMs, pseudonyms);
    }

    private static FraudAlert alert(FraudScore f, String[] reasons, long nowMs, Pseudonymizer pseudonyms) {
        PaymentRef p = f.payment();
        return new FraudAlert(AlertIds.of(p.ref().eventId(), f.modelVersion()), p.ref().userId(), p.ref().eventId(),
                f.probability(), f.threshold(), "fraud", f.modelVersion(), reasons, p.ref().ts(), nowMs,
                p.merchantId(), p.amount(), p.deviceId() == null ? null : pseudonyms.device(p.deviceId()),
                p.cardFingerprint() == null ? null : pseudonyms.card(p.cardFingerprint()));
    }
}
