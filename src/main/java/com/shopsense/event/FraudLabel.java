package com.shopsense.event;

/**
 * A confirmed outcome of one payment from the feedback topic (README "Fraud labels"): a risk-team
 * case decision or a card-network chargeback. {@code decidedAt} is when the outcome became known; the
 * job never lets a label influence the score of a payment made before that time.
 *
 * @param raw the record's bytes, kept so that a label the job cannot use reaches the DLQ unchanged
 */
public record FraudLabel(
        String labelId,
        String eventId,
        String alertId,
        String userId,
        String merchantId,
        boolean fraud,
        String source,
        long decidedAt,
        byte[] raw,
        String sourceTopic,
        int sourcePartition,
        long sourceOffset) {

    public static final String SOURCE_CASE = "case";
    public static final String SOURCE_CHARGEBACK = "chargeback";

    public boolean hasMerchant() {
        return merchantId != null && !merchantId.isEmpty();
    }

    /** The dead letter for this label, with the reason the job could not use it. */
    public DeadLetter toDeadLetter(String reason) {
        return new DeadLetter(raw, reason, sourceTopic, sourcePartition, sourceOffset, DeadLetter.STAGE_LABEL);
    }
}
