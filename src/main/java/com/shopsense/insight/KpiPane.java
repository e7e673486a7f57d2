package com.shopsense.insight;

/**
 * The facts of one pane (one slide of event time) of a KPI window spec, summed. Windows are sums of their
 * panes, so each fact is added once, to its pane, instead of once per overlapping window; panes are
 * pre-aggregated before the shuffle ({@link KpiPaneCombiner}) and kept per pane in {@link KpiWindows}.
 * A Flink POJO (network records and keyed map state).
 *
 * <p>"Active sessions" (sessions with an event in the window) is the one KPI that is not a plain sum:
 * an event starts its session's activity in a window when the session's previous event lies before the
 * window's start. Panes keep their events by how many panes back that previous event lies
 * ({@link #eventsByGap}), which is exact because windows start on pane boundaries.
 */
public class KpiPane extends KpiCounts {
    public String window;
    public long start;
    /** Facts added (for the late-facts metric). */
    public long facts;
    /**
     * [d] = events whose session's previous event lies d panes before this one, for d below the panes per
     * window; the last entry = further back, or no previous event. An event here (pane i) is a session's
     * first in the window starting at pane a exactly when d > i - a.
     */
    public long[] eventsByGap;

    public KpiPane() {
    }

    public static KpiPane empty(KpiSpec spec, long start) {
        KpiPane p = new KpiPane();
        p.window = spec.name();
        p.start = start;
        p.eventsByGap = new long[spec.panesPerWindow() + 1];
        return p;
    }

    /** Adds a fact whose time lies in this pane. */
    public void add(KpiFact f, KpiSpec spec) {
        facts++;
        if (f.events() > 0) {
            int furthest = eventsByGap.length - 1;
            // An out-of-order event (previous event later than it) never starts activity: gap 0.
            long gap = Math.max(0, (start - spec.paneStart(f.previousEventTs())) / spec.slideMs());
            eventsByGap[(int) Math.min(gap, furthest)] += f.events();
        }
        events += f.events();
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
        cartAbandonedActions += f.cartAbandonedActions();
        enteredAtRiskActions += f.enteredAtRiskActions();
        highIntentActions += f.highIntentActions();
    }

    /** Adds another partial sum of the same pane. */
    public void merge(KpiPane o) {
        add(o);
        facts += o.facts;
        for (int d = 0; d < eventsByGap.length; d++) {
            eventsByGap[d] += o.eventsByGap[d];
        }
    }

    /** Adds this pane to the totals of the window that starts at {@code windowStart} (and contains it). */
    public void addTo(KpiCounts w, long windowStart, long slideMs) {
        w.add(this);
        int offset = (int) ((start - windowStart) / slideMs);
        for (int d = offset + 1; d < eventsByGap.length; d++) {
            w.activeSessions += eventsByGap[d];
        }
    }
}
