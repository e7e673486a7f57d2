package com.shopsense.event;

/**
 * The fraud features a rule condition may name (docs/fraud.md "Fraud rules"): what the job already computes for
 * every payment, in the units an analyst thinks in (an amount ratio, a count, 0/1), not the model's log scale.
 */
public enum RuleFeature {
    /** the payment's amount */
    AMOUNT("amount"),
    /** (1 + amount) / (1 + median of the customer's earlier payments); 1 without history */
    AMOUNT_OVER_MEDIAN("amountOverMedian"),
    /** the customer's payments in the last hour, this one included */
    COUNT_1H("count1h"),
    /** the customer's payments in the last 24 hours, this one included */
    COUNT_24H("count24h"),
    /** 1 when the customer paid before but never with this device */
    NEW_DEVICE("newDevice"),
    /** 1 when the customer paid before but never at this merchant */
    NEW_MERCHANT("newMerchant"),
    /** 1 when the customer paid before but never with this card */
    NEW_CARD("newCard"),
    /** 1 when the customer paid before but never from this country */
    NEW_COUNTRY("newCountry"),
    /** 1 for the customer's first payment */
    FIRST_PAYMENT("firstPayment"),
    /** fraud labels of the merchant decided in the 7 days before the payment */
    MERCHANT_FRAUD_7D("merchantFraud7d"),
    /** fraud labels of the merchant decided in the 28 days before the payment */
    MERCHANT_FRAUD_28D("merchantFraud28d"),
    /** the fraud model's probability for the payment */
    MODEL_SCORE("modelScore");

    private static final RuleFeature[] ALL = values();
    private final String wireName;

    RuleFeature(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** The feature of that wire name, or null (a switch over the closed set: no reflection, no lookup by class). */
    public static RuleFeature byWireName(String name) {
        for (RuleFeature f : ALL) {
            if (f.wireName.equals(name)) {
                return f;
            }
        }
        return null;
    }

    public static int count() {
        return ALL.length;
    }
}
