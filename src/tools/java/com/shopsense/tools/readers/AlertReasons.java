package com.shopsense.tools.readers;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Alert reason codes (FraudFeatureEncoder.reasons, MerchantFeedbackFeatures) in words for a risk analyst. A code
 * this class does not know is shown as it is: the alert JSON may gain codes before the page learns them.
 */
final class AlertReasons {
    private static final Pattern AMOUNT = Pattern.compile("AMOUNT_(\\d+)X_MEDIAN");
    private static final Pattern VELOCITY = Pattern.compile("VELOCITY_(\\d+)_IN_(1H|24H)");
    private static final Pattern MERCHANT = Pattern.compile("MERCHANT_CONFIRMED_FRAUD_(\\d+)_IN_(\\d+)D");

    private AlertReasons() {
    }

    static String sentence(String code) {
        if (code == null) {
            return "";
        }
        Matcher m;
        if ((m = AMOUNT.matcher(code)).matches()) {
            return "Amount is " + m.group(1) + "x the user's median payment";
        }
        if ((m = VELOCITY.matcher(code)).matches()) {
            return m.group(1) + " payments by this user within " + (m.group(2).equals("1H") ? "one hour" : "24 hours");
        }
        if ((m = MERCHANT.matcher(code)).matches()) {
            return "The merchant had " + m.group(1) + " confirmed fraud case" + (m.group(1).equals("1") ? "" : "s")
                    + " in the last " + m.group(2) + " days";
        }
        return switch (code) {
            case "FIRST_PAYMENT" -> "First payment of this user";
            case "HIGH_AMOUNT" -> "High amount for this shop";
            case "NEW_MERCHANT" -> "First payment to this merchant";
            case "NEW_DEVICE" -> "Paid from a device not seen before for this user";
            case "NEW_CARD" -> "Paid with a card not seen before for this user";
            case "NEW_COUNTRY" -> "Paid from a country not seen before for this user";
            default -> code;
        };
    }
}
