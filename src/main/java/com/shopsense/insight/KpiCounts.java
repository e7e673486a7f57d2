package com.shopsense.insight;

/** The totals of one KPI window while its panes are summed ({@link KpiPane#addTo}). */
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
}
