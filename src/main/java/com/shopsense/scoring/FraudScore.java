package com.shopsense.scoring;

import com.shopsense.session.PaymentRef;

/**
 * A payment's fraud probability with the manifest threshold it is judged against, and the reason codes an
 * alert on it gives (the model's inputs stay behind).
 */
public record FraudScore(PaymentRef payment, String[] reasons, float probability, double threshold,
        String modelVersion) {

    public boolean isAlert() {
        return probability >= threshold;
    }

    public String eventId() {
        return payment.ref().eventId();
    }
}
