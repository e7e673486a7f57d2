package com.shopsense.feedback;

/**
 * Keyed state of one scored payment (key = eventId) for alert-quality accounting: how the model
 * judged it and the outcome currently believed. A POJO so Flink serializes it without Kryo.
 */
public class PaymentOutcome {
    public static final int NONE = 0;
    public static final int FRAUD = 1;
    public static final int LEGIT = 2;

    public String modelVersion;
    public boolean alerted;
    /** The alert's id when {@link #alerted}, else null. */
    public String alertId;
    public long paymentTs;
    /** NONE, FRAUD or LEGIT: the verdict of the latest-decided label. */
    public int verdict;
    public long verdictDecidedAt;
    public long verdictLabelKey;

    public PaymentOutcome() {
    }
}
