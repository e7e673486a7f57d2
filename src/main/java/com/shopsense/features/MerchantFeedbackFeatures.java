package com.shopsense.features;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fraud model's feedback features: for the payment's merchant, {@code merchant_fraud_<N>d} =
 * ln(1 + number of distinct fraud labels whose decision time d satisfies c.ts - N days < d <= c.ts)
 * (feature_spec.json "fraud" featureRules; the trainer computes the same). Only labels already decided
 * when the payment happened count, so a later chargeback never leaks into an earlier score.
 */
public final class MerchantFeedbackFeatures implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Pattern NAME = Pattern.compile("merchant_fraud_(\\d+)d");
    private static final long DAY_MS = 86_400_000L;

    private final int[] index;
    private final long[] windowMs;
    private final String[] names;

    private MerchantFeedbackFeatures(int[] index, long[] windowMs, String[] names) {
        this.index = index;
        this.windowMs = windowMs;
        this.names = names;
    }

    public static boolean isFeedbackFeature(String name) {
        return NAME.matcher(name).matches();
    }

    /** The feedback features among the model's current features (possibly none). */
    public static MerchantFeedbackFeatures of(List<String> currentFeatureNames) {
        List<Integer> idx = new ArrayList<>();
        List<Long> win = new ArrayList<>();
        List<String> nm = new ArrayList<>();
        for (int i = 0; i < currentFeatureNames.size(); i++) {
            Matcher m = NAME.matcher(currentFeatureNames.get(i));
            if (m.matches()) {
                long days = Long.parseLong(m.group(1));
                if (days <= 0) {
                    throw new IllegalArgumentException("feedback window must be positive: " + currentFeatureNames.get(i));
                }
                idx.add(i);
                win.add(days * DAY_MS);
                nm.add(currentFeatureNames.get(i));
            }
        }
        return new MerchantFeedbackFeatures(idx.stream().mapToInt(Integer::intValue).toArray(),
                win.stream().mapToLong(Long::longValue).toArray(), nm.toArray(new String[0]));
    }

    public boolean isEmpty() {
        return index.length == 0;
    }

    /** The longest window: labels older than this (relative to the newest payment) can be dropped. */
    public long maxWindowMs() {
        return Arrays.stream(windowMs).max().orElse(0L);
    }

    /** The confirmed-fraud count per feedback feature, in spec order. */
    public int[] counts(MerchantLabelWindow labels, long paymentTs) {
        int[] out = new int[index.length];
        for (int k = 0; k < index.length; k++) {
            out[k] = labels.countDecidedIn(paymentTs - windowMs[k], paymentTs);
        }
        return out;
    }

    /** A copy of {@code current} with the feedback slots set from {@code counts}. */
    public float[] fill(float[] current, int[] counts) {
        float[] out = current.clone();
        for (int k = 0; k < index.length; k++) {
            out[index[k]] = (float) Math.log1p(counts[k]);
        }
        return out;
    }

    /** Reason code for analysts when the merchant has confirmed fraud in its longest window, else null. */
    public String reason(int[] counts) {
        int longest = 0;
        for (int k = 1; k < index.length; k++) {
            if (windowMs[k] > windowMs[longest]) {
                longest = k;
            }
        }
        if (index.length == 0 || counts[longest] == 0) {
            return null;
        }
        return "MERCHANT_CONFIRMED_FRAUD_" + counts[longest] + "_IN_" + (windowMs[longest] / DAY_MS) + "D";
    }

    public List<String> names() {
        return List.of(names);
    }
}
