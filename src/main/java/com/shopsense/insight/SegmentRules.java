package com.shopsense.insight;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.shopsense.session.PurchaseSummary;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The segment rules of onnx-models/segments.json (method and calibration: onnx-models/training/segments.py,
 * which implements the same rules). A user's segment at time t depends on their purchases, the churn score
 * of their latest session and t, through recency only: so besides session closes it can change only when
 * recency crosses a threshold, which {@link #nextChange} tells.
 */
public final class SegmentRules implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final long DAY_MS = 86_400_000L;

    public static final String PROSPECT = "prospect";
    public static final String NEW = "new";
    public static final String ACTIVE = "active";
    public static final String LOYAL = "loyal";
    public static final String AT_RISK = "at_risk";
    public static final String DORMANT = "dormant";
    public static final List<String> ALL = List.of(PROSPECT, NEW, ACTIVE, LOYAL, AT_RISK, DORMANT);

    private final long newMs;
    private final long atRiskMs;
    private final long dormantMs;
    private final double atRiskProbability;
    private final int loyalMinFrequency;
    private final double loyalMinMonetary;

    public SegmentRules(int newDays, int atRiskDays, int dormantDays, double atRiskProbability, int loyalMinFrequency,
            double loyalMinMonetary) {
        if (newDays <= 0 || atRiskDays <= 0 || dormantDays <= atRiskDays || dormantDays <= newDays) {
            throw new IllegalArgumentException("segments need 0 < newDays, atRiskDays < dormantDays");
        }
        this.newMs = newDays * DAY_MS;
        this.atRiskMs = atRiskDays * DAY_MS;
        this.dormantMs = dormantDays * DAY_MS;
        this.atRiskProbability = atRiskProbability;
        this.loyalMinFrequency = loyalMinFrequency;
        this.loyalMinMonetary = loyalMinMonetary;
    }

    /** From the text of segments.json (its "thresholds" object). */
    public static SegmentRules fromJson(String json) {
        try {
            JsonNode t = new ObjectMapper().readTree(json).path("thresholds");
            return new SegmentRules(required(t, "newDays").asInt(), required(t, "atRiskDays").asInt(),
                    required(t, "dormantDays").asInt(), required(t, "atRiskProbability").asDouble(),
                    required(t, "loyalMinFrequency").asInt(), required(t, "loyalMinMonetary").asDouble());
        } catch (IOException e) {
            throw new UncheckedIOException("segments.json is not valid JSON", e);
        }
    }

    private static JsonNode required(JsonNode n, String field) {
        if (!n.hasNonNull(field)) {
            throw new IllegalArgumentException("segments.json thresholds lack '" + field + "'");
        }
        return n.get(field);
    }

    public long dormantMs() {
        return dormantMs;
    }

    /** The churn probability at or over which a customer is at_risk (the churn model's threshold). */
    public double atRiskProbability() {
        return atRiskProbability;
    }

    /** Days without an order after which a customer is at_risk. */
    public int atRiskDays() {
        return (int) (atRiskMs / DAY_MS);
    }

    /**
     * The segment at time {@code t}; first matching rule wins (docs/insight.md). A prospect (no order) is matched
     * first, so it is never at_risk and its churn score (there is none: NaN) is never read.
     */
    public String segment(PurchaseSummary p, double churnScore, long t) {
        if (!p.hasOrders()) {
            return PROSPECT;
        }
        long recency = t - p.lastOrderTs();
        if (recency >= dormantMs) {
            return DORMANT;
        }
        if (p.orderSessions() == 1 && recency < newMs) {
            return NEW;
        }
        if (recency >= atRiskMs || churnScore >= atRiskProbability) {
            return AT_RISK;
        }
        if (p.orderSessions() >= loyalMinFrequency && p.spend() >= loyalMinMonetary) {
            return LOYAL;
        }
        return ACTIVE;
    }

    /** The first time after {@code t} at which recency crosses a threshold, or Long.MAX_VALUE. */
    public long nextChange(PurchaseSummary p, long t) {
        if (!p.hasOrders()) {
            return Long.MAX_VALUE;
        }
        long next = Long.MAX_VALUE;
        for (long threshold : new long[] {newMs, atRiskMs, dormantMs}) {
            long at = p.lastOrderTs() + threshold;
            if (at > t && at < next) {
                next = at;
            }
        }
        return next;
    }
}
