package com.shopsense.insight;

/** The running totals of one KPI window (keyed map state of {@link KpiWindows}). A Flink POJO. */
public class KpiCounts {
    public long events;
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

    public KpiCounts() {
    }

    /** Adds a fact to the window that starts at {@code windowStart}. */
    public void add(KpiFact f, long windowStart) {
        events += f.events();
        if (f.events() > 0 && f.previousEventTs() < windowStart) {
            activeSessions++; // the session's first event inside this window
        }
        views += f.views();
        cartAdds += f.cartAdds();
        orders += f.orders();
        revenue += f.revenue();
        sessions += f.sessions();
        convertedSessions += f.convertedSessions();
        cartSessions += f.cartSessions();
        abandonedSessions += f.abandonedSessions();
        scoredPayments += f.scoredPayments();
        alerts += f.alerts();
    }
}
