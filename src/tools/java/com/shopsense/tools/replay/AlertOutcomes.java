package com.shopsense.tools.replay;

import com.shopsense.event.ShopEvent;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Alert precision and recall of a replay computed independently of the job: from the payments that
 * were replayed, the fraud labels that were sent and the alerts read back from the alert topic.
 *
 * @param payments replayed payments with time >= fromMs
 * @param fraud of those, confirmed fraud
 * @param alerts of those, alerted
 * @param alertedFraud of those, alerted and confirmed fraud
 */
public record AlertOutcomes(long payments, long fraud, long alerts, long alertedFraud) {

    public static AlertOutcomes of(List<ShopEvent> replayed, List<FraudHandbook.Label> labels, Set<String> alertedEventIds,
            long fromMs) {
        Set<String> fraudIds = new HashSet<>();
        for (FraudHandbook.Label l : labels) {
            fraudIds.add(l.eventId());
        }
        long payments = 0;
        long fraud = 0;
        long alerts = 0;
        long both = 0;
        for (ShopEvent p : replayed) {
            if (p.timestampMs() < fromMs) {
                continue;
            }
            payments++;
            boolean f = fraudIds.contains(p.eventId());
            boolean a = alertedEventIds.contains(p.eventId());
            fraud += f ? 1 : 0;
            alerts += a ? 1 : 0;
            both += f && a ? 1 : 0;
        }
        return new AlertOutcomes(payments, fraud, alerts, both);
    }

    public double precision() {
        return alerts == 0 ? 0.0 : (double) alertedFraud / alerts;
    }

    public double recall() {
        return fraud == 0 ? 0.0 : (double) alertedFraud / fraud;
    }

    public double alertRate() {
        return payments == 0 ? 0.0 : (double) alerts / payments;
    }
}
