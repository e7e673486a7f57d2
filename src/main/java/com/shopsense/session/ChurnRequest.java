package com.shopsense.session;

import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * The churn model's input when a session closes: the user's order history as of the session's end, and the
 * purchase summary the segments are computed from.
 *
 * @param sessionEndTs the closed session's last event time
 * @param periods churn model input: order history per period as of just after the session; null for a prospect
 *     (no order yet), whom the churn model does not score
 */
@TypeInfo(ChurnRequestSerializer.Factory.class)
public record ChurnRequest(String userId, String sessionId, long sessionEndTs, float[] periods,
        PurchaseSummary purchases) {

    /** Whether the user is a customer (at least one order), the only users churn is defined for. */
    public boolean isCustomer() {
        return periods != null;
    }
}
