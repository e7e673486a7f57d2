package com.shopsense.session;

import com.shopsense.event.EventRef;

/**
 * What a fraud alert says about the payment it is raised on. Device and card stay raw only inside the job:
 * the alert carries their keyed-hash pseudonyms.
 */
public record PaymentRef(EventRef ref, String merchantId, double amount, String deviceId, String cardFingerprint) {

    public boolean hasMerchant() {
        return merchantId != null && !merchantId.isEmpty();
    }
}
