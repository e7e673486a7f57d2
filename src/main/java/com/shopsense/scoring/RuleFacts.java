package com.shopsense.scoring;

import com.shopsense.event.RuleFeature;
import com.shopsense.session.FraudRequest;
import java.io.Serializable;
import java.util.List;

/**
 * The features fraud rules read ({@link RuleFeature}), taken from the fraud model's current-payment inputs by
 * name (feature_spec.json) and turned back into an analyst's units: the amount ratio, counts with this payment
 * included (as the reason codes count), 0/1 flags, label counts. A feature the model's spec lacks is NaN, and
 * every comparison on it is false.
 */
public final class RuleFacts implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int overMedian;
    private final int count1h;
    private final int count24h;
    private final int newDevice;
    private final int newMerchant;
    private final int newCard;
    private final int newCountry;
    private final int noHistory;
    private final int fraud7d;
    private final int fraud28d;

    private RuleFacts(List<String> names) {
        overMedian = names.indexOf("log_amount_over_median");
        count1h = names.indexOf("count_1h");
        count24h = names.indexOf("count_24h");
        newDevice = names.indexOf("new_device");
        newMerchant = names.indexOf("new_merchant");
        newCard = names.indexOf("new_card");
        newCountry = names.indexOf("new_country");
        noHistory = names.indexOf("no_history");
        fraud7d = names.indexOf("merchant_fraud_7d");
        fraud28d = names.indexOf("merchant_fraud_28d");
    }

    /** @param currentFeatureNames the fraud model's current-payment inputs, in model order */
    public static RuleFacts of(List<String> currentFeatureNames) {
        return new RuleFacts(currentFeatureNames);
    }

    /** The facts of one scored payment, indexed by {@link RuleFeature#ordinal()}. */
    public double[] of(FraudRequest r, float probability) {
        float[] c = r.current();
        double[] f = new double[RuleFeature.count()];
        f[RuleFeature.AMOUNT.ordinal()] = r.payment().amount();
        f[RuleFeature.AMOUNT_OVER_MEDIAN.ordinal()] = overMedian < 0 ? Double.NaN : Math.exp(c[overMedian]);
        f[RuleFeature.COUNT_1H.ordinal()] = count1h < 0 ? Double.NaN : Math.rint(c[count1h]) + 1;
        f[RuleFeature.COUNT_24H.ordinal()] = count24h < 0 ? Double.NaN : Math.rint(c[count24h]) + 1;
        f[RuleFeature.NEW_DEVICE.ordinal()] = at(c, newDevice);
        f[RuleFeature.NEW_MERCHANT.ordinal()] = at(c, newMerchant);
        f[RuleFeature.NEW_CARD.ordinal()] = at(c, newCard);
        f[RuleFeature.NEW_COUNTRY.ordinal()] = at(c, newCountry);
        f[RuleFeature.FIRST_PAYMENT.ordinal()] = at(c, noHistory);
        f[RuleFeature.MERCHANT_FRAUD_7D.ordinal()] = fraud7d < 0 ? Double.NaN : Math.rint(Math.expm1(c[fraud7d]));
        f[RuleFeature.MERCHANT_FRAUD_28D.ordinal()] = fraud28d < 0 ? Double.NaN : Math.rint(Math.expm1(c[fraud28d]));
        f[RuleFeature.MODEL_SCORE.ordinal()] = probability;
        return f;
    }

    private static double at(float[] c, int i) {
        return i < 0 ? Double.NaN : c[i];
    }
}
