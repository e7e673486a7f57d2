package com.shopsense.insight;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Event-time KPI windows, keyed by window name (KPIs are shop-wide: one key, one task, per window spec),
 * over the panes of {@link KpiPaneCombiner}. Each pane is kept (keyed map state by pane start) until the
 * last window that contains it is written; a window is the sum of its panes.
 *
 * <p>Not Flink's window operator, for two reasons: a fact is counted at its own time (a session at its
 * last event, not at the later moment it closes), and "active sessions" needs the window's start per fact.
 * A session is known to have ended only once it closes, up to {@code settle} (session.gap) after its last
 * event, so a window is emitted once, when the watermark passes its end plus {@code settle}: final, never
 * revised. Facts for an already emitted window (impossible with settle >= session.gap) are counted, once
 * per window they missed, in the {@code lateFacts} metric, and left out of it.
 */
public class KpiWindows extends KeyedProcessFunction<String, KpiPane, KpiWindow> {
    private static final long serialVersionUID = 1L;

    private final Map<String, KpiSpec> specs = new HashMap<>();
    private transient MapState<Long, KpiPane> panes;
    private transient Map<String, Counter> lateFacts;
    /** The latest emitted window per name, read by the gauges. */
    private transient Map<String, KpiWindow> latest;

    public KpiWindows(List<KpiSpec> specs) {
        for (KpiSpec s : specs) {
            if (this.specs.put(s.name(), s) != null) {
                throw new IllegalArgumentException("two KPI windows named " + s.name());
            }
        }
    }

    @Override
    public void open(OpenContext openContext) {
        panes = getRuntimeContext().getMapState(new MapStateDescriptor<>("kpi-panes", Types.LONG,
                TypeInformation.of(KpiPane.class)));
        lateFacts = new HashMap<>();
        for (String name : specs.keySet()) {
            lateFacts.put(name, getRuntimeContext().getMetricGroup().addGroup("kpi", name).counter("lateFacts"));
        }
        latest = new ConcurrentHashMap<>();
    }

    @Override
    public void processElement(KpiPane pane, Context ctx, Collector<KpiWindow> out) throws Exception {
        KpiSpec spec = specs.get(pane.window);
        long watermark = ctx.timerService().currentWatermark();
        boolean needed = false;
        // The windows that contain this pane start at its own start and at most panes-1 slides earlier.
        for (int back = 0; back < spec.panesPerWindow(); back++) {
            long fireAt = spec.fireAt(pane.start - back * spec.slideMs() + spec.sizeMs());
            if (watermark != Long.MIN_VALUE && fireAt <= watermark) {
                lateFacts.get(spec.name()).inc(pane.facts);
            } else {
                ctx.timerService().registerEventTimeTimer(fireAt);
                needed = true;
            }
        }
        if (!needed) {
            return;
        }
        KpiPane kept = panes.get(pane.start);
        if (kept == null) {
            kept = pane;
        } else {
            kept.merge(pane);
        }
        panes.put(pane.start, kept);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<KpiWindow> out) throws Exception {
        KpiSpec spec = specs.get(ctx.getCurrentKey());
        long end = timestamp + 1 - spec.settleMs();
        long start = end - spec.sizeMs();
        KpiCounts c = new KpiCounts();
        boolean any = false;
        for (long paneStart = start; paneStart < end; paneStart += spec.slideMs()) {
            KpiPane p = panes.get(paneStart);
            if (p != null) {
                p.addTo(c, start, spec.slideMs());
                any = true;
            }
        }
        panes.remove(start); // no later window contains the window's first pane
        if (!any) {
            return;
        }
        KpiWindow w = KpiWindow.of(spec.name(), start, end, c);
        if (latest.put(spec.name(), w) == null) {
            registerGauges(spec.name());
        }
        out.collect(w);
    }

    /** On a window's first output, so only the subtask that owns its key reports these gauges. */
    private void registerGauges(String name) {
        MetricGroup g = getRuntimeContext().getMetricGroup().addGroup("kpi", name);
        g.gauge("activeSessions", (Gauge<Long>) () -> latest.get(name).activeSessions());
        g.gauge("sessions", (Gauge<Long>) () -> latest.get(name).sessions());
        g.gauge("orders", (Gauge<Long>) () -> latest.get(name).orders());
        g.gauge("revenue", (Gauge<Double>) () -> latest.get(name).revenue());
        g.gauge("conversionRate", (Gauge<Double>) () -> latest.get(name).conversionRate());
        g.gauge("cartAbandonment", (Gauge<Double>) () -> latest.get(name).cartAbandonment());
        g.gauge("averageOrderValue", (Gauge<Double>) () -> latest.get(name).averageOrderValue());
        g.gauge("alertRate", (Gauge<Double>) () -> latest.get(name).alertRate());
        g.gauge("cartAbandonedActions", (Gauge<Long>) () -> latest.get(name).cartAbandonedActions());
        g.gauge("enteredAtRiskActions", (Gauge<Long>) () -> latest.get(name).enteredAtRiskActions());
        g.gauge("highIntentActions", (Gauge<Long>) () -> latest.get(name).highIntentActions());
        g.gauge("windowEnd", (Gauge<Long>) () -> latest.get(name).end());
    }
}
