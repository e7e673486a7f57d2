package com.shopsense.scoring;

import com.shopsense.session.PaymentRef;

/**
 * A payment's fraud probability with the manifest threshold it is judged against, the reason codes an
 * alert on it gives, and the features fraud rules read ({@link RuleFacts}; the model's inputs stay behind).
 *
 * @param ruleFacts the payment's rule features by {@code RuleFeature} ordinal, model score included; null when
 *     not computed (a rule comparison on a missing fact is false)
 */
public record FraudScore(PaymentRef payment, String[] reasons, float probability, double threshold,
        String modelVersion, double[] ruleFacts) {

    public FraudScore(PaymentRef payment, String[] reasons, float probability, double threshold, String modelVersion) {
        this(payment, reasons, probability, threshold, modelVersion, null);
    }

    public boolean isAlert() {
        return probability >= threshold;
    }

    public String eventId() {
        return payment.ref().eventId();
    }
}
