package com.shopsense.scoring;

import com.shopsense.sink.AlertIds;
import com.shopsense.sink.Pseudonymizer;

/** Turns scores into what the storefront and the risk team read: score-hash updates and alerts. */
public final class Decisions {
    private Decisions() {
    }

    static String format(float p) {
        return Decimals.fixed4(p);
    }

    public static UserScoreUpdate intent(ScoredEvent s) {
        return new UserScoreUpdate(s.update().userId(), new String[] {"intent", "intentModel"},
                new String[] {format(s.intent()), "intent:" + s.intentModelVersion()}, s.update().event().timestampMs());
    }

    public static UserScoreUpdate fraud(FraudScore f) {
        return new UserScoreUpdate(f.scored().update().userId(), new String[] {"fraud", "fraudModel"},
                new String[] {format(f.probability()), "fraud:" + f.modelVersion()},
                f.scored().update().event().timestampMs());
    }

    public static UserScoreUpdate churn(ChurnScore c) {
        return new UserScoreUpdate(c.session().userId(), new String[] {"churn", "churnModel", "churnAtRisk"},
                new String[] {format(c.probability()), "churn:" + c.modelVersion(),
                        Boolean.toString(c.probability() >= c.atRiskThreshold())},
                c.session().endTs());
    }

    /** The user's new segment, versioned by the time it was evaluated at. */
    public static UserScoreUpdate segment(com.shopsense.insight.SegmentChange c) {
        return new UserScoreUpdate(c.userId(), new String[] {"segment"}, new String[] {c.to()}, c.time());
    }

    /** The alert for a score over the threshold; the id depends only on the event and the model version. */
    public static FraudAlert alert(FraudScore f, long nowMs, Pseudonymizer pseudonyms) {
        var e = f.scored().update().event();
        return new FraudAlert(AlertIds.of(e.eventId(), f.modelVersion()), e.userId(), e.eventId(), f.probability(),
                f.threshold(), "fraud", f.modelVersion(), f.scored().update().fraudReasons(), e.timestampMs(), nowMs,
                e.merchantId(), e.monetaryValue(), e.deviceId() == null ? null : pseudonyms.device(e.deviceId()),
                e.cardFingerprint() == null ? null : pseudonyms.card(e.cardFingerprint()));
    }
}
