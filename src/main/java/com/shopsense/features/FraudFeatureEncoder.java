package com.shopsense.features;

import com.fasterxml.jackson.databind.JsonNode;
import com.shopsense.event.ShopEvent;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Builds the fraud model's inputs from a user's {@link PaymentHistory} (the payments before the
 * current one) and the current payment, exactly as onnx-models/training/train_fraud.py does (the
 * "fraud" section of feature_spec.json; golden vectors in onnx-models/golden/fraud.json):
 * {@code history} [historyLength x historyFeatures], oldest first, real rows right-aligned, padding
 * rows all 0; {@code current} [currentFeatures]. Normalisation happens inside the ONNX graph.
 *
 * <p>Features are computed by name in the order the spec lists them, so a new feature is one more name
 * in the spec, one more case here and in the trainer, and a retrain. The merchant feedback features
 * ({@code merchant_fraud_<N>d}) are left 0 here: they come from label events keyed by merchant and are
 * filled later by {@link MerchantFeedbackFeatures}. {@link #reasons} derives alert reason codes from
 * the same quantities.
 */
public final class FraudFeatureEncoder implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final long HOUR_MS = 3_600_000L;
    private static final long DAY_MS = 86_400_000L;

    private final int historyLength;
    private final String[] historyFeatures;
    private final String[] currentFeatures;
    private final double amountOverMedian;
    private final int velocity1h;
    private final int velocity24h;
    private final int minHistory;
    private final double highAmount;

    /** The model inputs of one payment: flat row-major {@code history} and {@code current}. */
    public record Encoded(float[] history, float[] current) {
    }

    public FraudFeatureEncoder(JsonNode fraud) {
        this.historyLength = required(fraud, "historyLength").asInt();
        this.historyFeatures = names(required(fraud, "historyFeatures"));
        this.currentFeatures = names(required(fraud, "currentFeatures"));
        JsonNode r = fraud.path("reasonThresholds");
        this.amountOverMedian = r.path("amountOverMedian").asDouble(3.0);
        this.velocity1h = r.path("velocity1h").asInt(3);
        this.velocity24h = r.path("velocity24h").asInt(8);
        this.minHistory = r.path("minHistory").asInt(3);
        this.highAmount = r.path("highAmount").asDouble(200.0);
        for (String n : historyFeatures) {
            historyValue(n, 0, 0, 0, 0, 0, 0, 0, 0); // fails on an unknown name
        }
        Stats probe = new Stats();
        for (String n : currentFeatures) {
            currentValue(n, probe);
        }
    }

    public static FraudFeatureEncoder fromSpec(FeatureSpec spec) {
        return new FraudFeatureEncoder(spec.section("fraud"));
    }

    public int historyLength() {
        return historyLength;
    }

    public int historyFeatureCount() {
        return historyFeatures.length;
    }

    /** The spec's current-feature names, in model order. */
    public List<String> currentFeatureNames() {
        return List.of(currentFeatures);
    }

    public int currentFeatureCount() {
        return currentFeatures.length;
    }

    /** A new, empty history of the spec's length. */
    public PaymentHistory newHistory() {
        return new PaymentHistory(historyLength);
    }

    public Encoded encode(PaymentHistory h, ShopEvent current) {
        Stats s = stats(h, current);
        int m = historyLength;
        int fh = historyFeatures.length;
        float[] hist = new float[m * fh];
        int offset = m - s.n;
        for (int row = offset; row < m; row++) {
            int i = s.first + (row - offset);
            double age = Math.max(0L, current.timestampMs() - h.ts[i]) / 1000.0;
            double la = Math.log1p(h.amount[i]);
            for (int j = 0; j < fh; j++) {
                hist[row * fh + j] = (float) historyValue(historyFeatures[j], 1.0, Math.log1p(age), la,
                        la - s.logAmount, same(h.merchantId[i], current.merchantId()),
                        same(h.deviceId[i], current.deviceId()), same(h.cardFingerprint[i], current.cardFingerprint()),
                        same(h.country[i], current.country()));
            }
        }
        float[] cur = new float[currentFeatures.length];
        for (int j = 0; j < cur.length; j++) {
            cur[j] = (float) currentValue(currentFeatures[j], s);
        }
        return new Encoded(hist, cur);
    }

    /** Human-readable reason codes for an alert, from the same quantities as the features. */
    public List<String> reasons(PaymentHistory h, ShopEvent current) {
        Stats s = stats(h, current);
        List<String> out = new ArrayList<>();
        if (s.n == 0) {
            out.add("FIRST_PAYMENT");
        }
        if (s.n >= minHistory) {
            double ratio = (1.0 + s.amount) / (1.0 + s.median);
            if (ratio >= amountOverMedian) {
                out.add("AMOUNT_" + (long) Math.floor(ratio) + "X_MEDIAN");
            }
        }
        if (s.count1h + 1 >= velocity1h) {
            out.add("VELOCITY_" + (s.count1h + 1) + "_IN_1H");
        }
        if (s.count24h + 1 >= velocity24h) {
            out.add("VELOCITY_" + (s.count24h + 1) + "_IN_24H");
        }
        if (s.amount >= highAmount) {
            out.add("HIGH_AMOUNT");
        }
        if (s.n >= minHistory) {
            if (s.newMerchant) {
                out.add("NEW_MERCHANT");
            }
            if (s.newDevice) {
                out.add("NEW_DEVICE");
            }
            if (s.newCard) {
                out.add("NEW_CARD");
            }
            if (s.newCountry) {
                out.add("NEW_COUNTRY");
            }
        }
        return out;
    }

    // ---------------------------------------------------------------------------------------------

    /** Everything the current-payment features and reasons are computed from. */
    private static final class Stats {
        int n;
        int first;
        double amount;
        double logAmount;
        double median;
        double max;
        double secsSinceLast;
        int count1h;
        int count24h;
        double amount24h;
        int merchantSeen;
        boolean newMerchant;
        boolean newDevice;
        boolean newCard;
        boolean newCountry;
        double hourFraction;
        int historyLength = 1;
    }

    private Stats stats(PaymentHistory h, ShopEvent c) {
        Stats s = new Stats();
        s.historyLength = historyLength;
        s.n = Math.min(h.size, historyLength);
        s.first = h.size - s.n;
        s.amount = Math.max(0.0, c.monetaryValue());
        s.logAmount = Math.log1p(s.amount);
        long t = c.timestampMs();
        String merchant = PaymentHistory.blankToNull(c.merchantId());
        String device = PaymentHistory.blankToNull(c.deviceId());
        String card = PaymentHistory.blankToNull(c.cardFingerprint());
        String ctry = PaymentHistory.blankToNull(c.country());
        boolean devSeen = false;
        boolean cardSeen = false;
        boolean ctrySeen = false;
        double[] amounts = new double[s.n];
        s.max = 0.0;
        for (int k = 0; k < s.n; k++) {
            int i = s.first + k;
            amounts[k] = h.amount[i];
            s.max = k == 0 ? h.amount[i] : Math.max(s.max, h.amount[i]);
            long d = t - h.ts[i];
            if (d <= HOUR_MS) {
                s.count1h++;
            }
            if (d <= DAY_MS) {
                s.count24h++;
                s.amount24h += h.amount[i];
            }
            if (same(h.merchantId[i], merchant) > 0) {
                s.merchantSeen++;
            }
            devSeen |= same(h.deviceId[i], device) > 0;
            cardSeen |= same(h.cardFingerprint[i], card) > 0;
            ctrySeen |= same(h.country[i], ctry) > 0;
        }
        if (s.n > 0) {
            Arrays.sort(amounts);
            s.median = (s.n % 2 == 1) ? amounts[s.n / 2] : (amounts[s.n / 2 - 1] + amounts[s.n / 2]) / 2.0;
            s.secsSinceLast = Math.max(0L, t - h.ts[h.size - 1]) / 1000.0;
        }
        s.newMerchant = s.n > 0 && merchant != null && s.merchantSeen == 0;
        s.newDevice = s.n > 0 && device != null && !devSeen;
        s.newCard = s.n > 0 && card != null && !cardSeen;
        s.newCountry = s.n > 0 && ctry != null && !ctrySeen;
        s.hourFraction = (Math.floorMod(t, DAY_MS) / 3_600_000.0) / 24.0;
        return s;
    }

    private static double historyValue(String name, double mask, double logAge, double logAmount, double vsCurrent,
                                       double sameMerchant, double sameDevice, double sameCard, double sameCountry) {
        return switch (name) {
            case "mask" -> mask;
            case "log_age_s" -> logAge;
            case "log_amount" -> logAmount;
            case "log_amount_vs_current" -> vsCurrent;
            case "same_merchant" -> sameMerchant;
            case "same_device" -> sameDevice;
            case "same_card" -> sameCard;
            case "same_country" -> sameCountry;
            default -> throw new IllegalArgumentException("unknown fraud history feature '" + name + "'");
        };
    }

    private static double currentValue(String name, Stats s) {
        boolean has = s.n > 0;
        return switch (name) {
            case "log_amount" -> s.logAmount;
            case "history_fill" -> (double) s.n / s.historyLength;
            case "no_history" -> has ? 0.0 : 1.0;
            case "log_amount_over_median" -> has ? s.logAmount - Math.log1p(s.median) : 0.0;
            case "log_amount_over_max" -> has ? s.logAmount - Math.log1p(s.max) : 0.0;
            case "log_secs_since_last" -> has ? Math.log1p(s.secsSinceLast) : 0.0;
            case "count_1h" -> s.count1h;
            case "count_24h" -> s.count24h;
            case "log_amount_24h" -> Math.log1p(s.amount24h);
            case "new_merchant" -> s.newMerchant ? 1.0 : 0.0;
            case "merchant_seen" -> s.merchantSeen;
            case "new_device" -> s.newDevice ? 1.0 : 0.0;
            case "new_card" -> s.newCard ? 1.0 : 0.0;
            case "new_country" -> s.newCountry ? 1.0 : 0.0;
            case "hour_sin" -> Math.sin(2 * Math.PI * s.hourFraction);
            case "hour_cos" -> Math.cos(2 * Math.PI * s.hourFraction);
            default -> {
                if (MerchantFeedbackFeatures.isFeedbackFeature(name)) {
                    yield 0.0; // filled per merchant from label events (MerchantFeedbackFeatures), not from the user's state
                }
                throw new IllegalArgumentException("unknown fraud current feature '" + name + "'");
            }
        };
    }

    private static double same(String a, String b) {
        return a != null && b != null && !a.isEmpty() && Objects.equals(a, b) ? 1.0 : 0.0;
    }

    private static String[] names(JsonNode arr) {
        String[] out = new String[arr.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = arr.get(i).asText();
        }
        return out;
    }

    private static JsonNode required(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException("fraud spec lacks '" + field + "'");
        }
        return v;
    }
}
