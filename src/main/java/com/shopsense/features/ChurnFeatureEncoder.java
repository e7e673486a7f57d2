package com.shopsense.features;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.Serializable;

/**
 * Builds the churn model's {@code periods} input [periods x features] (row-major, oldest period
 * first) from an {@link OrderHistory}, exactly as onnx-models/training/train_churn.py does (the
 * "churn" section of feature_spec.json; golden vectors in onnx-models/golden/churn.json).
 *
 * <p>For {@code asOf} the last period is {@code floorDiv(asOf - 1, periodMs)}; period k spans
 * [start_k, end_k) with end_k = min(start_k + periodMs, asOf).
 */
public final class ChurnFeatureEncoder implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final long DAY_MS = OrderHistory.DAY_MS;

    private final int periods;
    private final int periodDays;
    private final double recencyCapDays;
    private final double tenureCapDays;
    private final String[] features;

    public ChurnFeatureEncoder(JsonNode churn) {
        this.periods = required(churn, "periods").asInt();
        this.periodDays = required(churn, "periodDays").asInt();
        this.recencyCapDays = required(churn, "recencyCapDays").asDouble();
        this.tenureCapDays = required(churn, "tenureCapDays").asDouble();
        JsonNode f = required(churn, "features");
        this.features = new String[f.size()];
        for (int i = 0; i < f.size(); i++) {
            features[i] = f.get(i).asText();
            switch (features[i]) {
                case "has_history", "elapsed_fraction", "log_order_lines", "log_spend", "active_day_fraction",
                        "recency", "tenure" -> { }
                default -> throw new IllegalArgumentException("unknown churn feature '" + features[i] + "'");
            }
        }
    }

    public static ChurnFeatureEncoder fromSpec(FeatureSpec spec) {
        return new ChurnFeatureEncoder(spec.section("churn"));
    }

    public int periods() {
        return periods;
    }

    public int featureCount() {
        return features.length;
    }

    /** A new, empty history sized for this encoder. */
    public OrderHistory newHistory() {
        return new OrderHistory(periods, periodDays);
    }

    /** The {@code periods} input for one user, flat row-major [periods * features]. */
    public float[] encode(OrderHistory h, long asOfMs) {
        if (h.periodDays != periodDays) {
            throw new IllegalArgumentException("history period " + h.periodDays + " d, spec " + periodDays + " d");
        }
        long pMs = periodDays * DAY_MS;
        long pc = Math.floorDiv(asOfMs - 1, pMs);
        float[] out = new float[periods * features.length];
        for (int k = 0; k < periods; k++) {
            long idx = pc - periods + 1 + k;
            long start = idx * pMs;
            long end = Math.min(start + pMs, asOfMs);
            int slot = h.find(idx);
            int lines = slot < 0 ? 0 : h.lines[slot];
            double spend = slot < 0 ? 0.0 : h.spend[slot];
            int days = slot < 0 ? 0 : Long.bitCount(h.dayMask[slot]);
            boolean hasLast = false;
            long last = 0;
            if (h.hasEvicted && h.evictedLastTs < end) {
                hasLast = true;
                last = h.evictedLastTs;
            }
            for (int i = 0; i < h.size; i++) {
                if (h.periodIndex[i] <= idx && h.lastTs[i] < end && (!hasLast || h.lastTs[i] > last)) {
                    hasLast = true;
                    last = h.lastTs[i];
                }
            }
            boolean has = h.hasOrders && h.firstOrderTs < end;
            for (int j = 0; j < features.length; j++) {
                double v = switch (features[j]) {
                    case "has_history" -> has ? 1.0 : 0.0;
                    case "elapsed_fraction" -> (double) (end - start) / pMs;
                    case "log_order_lines" -> Math.log1p(lines);
                    case "log_spend" -> Math.log1p(spend);
                    case "active_day_fraction" -> (double) days / periodDays;
                    case "recency" -> hasLast ? Math.min(1.0, (double) (end - last) / DAY_MS / recencyCapDays) : 1.0;
                    case "tenure" -> has ? Math.min(1.0, (double) (end - h.firstOrderTs) / DAY_MS / tenureCapDays) : 0.0;
                    default -> throw new IllegalStateException(features[j]);
                };
                out[k * features.length + j] = (float) v;
            }
        }
        return out;
    }

    private static JsonNode required(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException("churn spec lacks '" + field + "'");
        }
        return v;
    }
}
