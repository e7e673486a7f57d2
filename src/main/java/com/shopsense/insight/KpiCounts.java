package com.shopsense.insight;

/**
 * KPI counts that add up: the totals of a window while its panes are summed, and (as {@link KpiPane}) the
 * sums of one pane. A Flink POJO.
 */
public class KpiCounts {
    public long events;
    /** Per window only: a pane keeps its events by gap instead ({@link KpiPane#eventsByGap}). */
    public long activeSessions;
    public long views;
    public long cartAdds;
    public long orders;
    public double revenue;
    public long sessions;
    public long convertedSessions;
    public long cartSessions;
    public long abandonedSessions;
    public long scoredPayments;
    public long alerts;
    /** Journey actions by type (docs/actions.md), at their event time. */
    public long cartAbandonedActions;
    public long enteredAtRiskActions;
    public long highIntentActions;

    /** Adds another's counts to these. */
    public void add(KpiCounts o) {
        events += o.events;
        activeSessions += o.activeSessions;
        views += o.views;
        cartAdds += o.cartAdds;
        orders += o.orders;
        revenue += o.revenue;
        sessions += o.sessions;
        convertedSessions += o.convertedSessions;
        cartSessions += o.cartSessions;
        abandonedSessions += o.abandonedSessions;
        scoredPayments += o.scoredPayments;
        alerts += o.alerts;
        cartAbandonedActions += o.cartAbandonedActions;
        enteredAtRiskActions += o.enteredAtRiskActions;
        highIntentActions += o.highIntentActions;
    }
}
