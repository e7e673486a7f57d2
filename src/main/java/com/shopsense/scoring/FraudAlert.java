package com.shopsense.scoring;

/**
 * A fraud alert for the risk team (README "Fraud alert JSON"). {@code alertId} is derived from the
 * triggering event and the model version, so a replay produces the same id and consumers can
 * deduplicate. No raw IP, card data or free text: {@code userId} is the shop's own id.
 *
 * @param score model probability of fraud
 * @param threshold the manifest's alert threshold the score crossed
 * @param reasons human-readable reason codes derived from the features, e.g. AMOUNT_8X_MEDIAN
 * @param eventTime time of the payment/order, epoch ms
 * @param emittedAt wall-clock time the job raised the alert, epoch ms
 * @param deviceRef the payment's device as a keyed-hash pseudonym ({@code dev_...}), null when absent
 * @param cardRef the payment's card fingerprint as a keyed-hash pseudonym ({@code card_...}), null when absent
 */
public record FraudAlert(
        String alertId,
        String userId,
        String eventId,
        double score,
        double threshold,
        String model,
        String modelVersion,
        String[] reasons,
        long eventTime,
        long emittedAt,
        String merchantId,
        double amount,
        String deviceRef,
        String cardRef) {
}
