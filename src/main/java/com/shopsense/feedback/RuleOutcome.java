package com.shopsense.feedback;

/** Keyed state of one payment some rule held for (key = eventId): the rules, the decision, the verdict (POJO). */
public class RuleOutcome {
    public String[] rules;
    public boolean alerted;
    public long paymentTs;
    /** PaymentOutcome.NONE, FRAUD or LEGIT: the verdict of the latest-decided label. */
    public int verdict;
    public long verdictDecidedAt;
    public long verdictLabelKey;

    public RuleOutcome() {
    }
}
