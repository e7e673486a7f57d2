package com.shopsense.session;

import java.util.Arrays;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * The fraud model's input for a payment (or an order with an amount): the user's earlier payments and this
 * one against them, with the reason codes an alert would give.
 *
 * @param history fraud model input: the user's payments before this one
 * @param current fraud model input: this payment against that history
 * @param reasons reason codes for an alert, from the same features
 */
@TypeInfo(FraudRequestSerializer.Factory.class)
public record FraudRequest(PaymentRef payment, float[] history, float[] current, String[] reasons) {

    /** The same request with the merchant's confirmed-fraud features filled in and their reason added. */
    public FraudRequest withMerchantFeedback(float[] filledCurrent, String reason) {
        String[] more = Arrays.copyOf(reasons, reasons.length + 1);
        more[reasons.length] = reason;
        return new FraudRequest(payment, history, filledCurrent, more);
    }
}
