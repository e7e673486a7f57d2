package com.shopsense.insight;

import java.time.Duration;
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
 * Event-time KPI windows of one size and slide (tumbling when equal), aligned to the epoch, over
 * {@link KpiFact}s keyed by one constant (KPIs are shop-wide).
 *
 * <p>Not Flink's window operator, for two reasons: a fact is counted at its own time (a session at its
 * last event, not at the later moment it closes), and "active sessions" needs the window's start per fact.
 * A session is known to have ended only once it closes, up to {@code settle} (session.gap) after its last
 * event, so a window is emitted once, when the watermark passes its end plus {@code settle}: final, never
 * revised. Facts for an already emitted window (impossible with settle >= session.gap) are counted in the
 * {@code lateFacts} metric and dropped.
 */
public class KpiWindows extends KeyedProcessFunction<String, KpiFact, KpiWindow> {
    private static final long serialVersionUID = 1L;

    private final String name;
    private final long sizeMs;
    private final long slideMs;
    private final long settleMs;
    private transient MapState<Long, KpiCounts> byEnd;
    private transient Counter lateFacts;
    /** The latest emitted window, read by the gauges. */
    private transient volatile KpiWindow latest;
    private transient boolean gaugesRegistered;

    public KpiWindows(String name, Duration size, Duration slide, Duration settle) {
        if (slide.isZero() || slide.isNegative() || size.toMillis() % slide.toMillis() != 0 || settle.isNegative()) {
            throw new IllegalArgumentException("KPI window " + name + ": size must be a positive multiple of the slide");
        }
        this.name = name;
        this.sizeMs = size.toMillis();
        this.slideMs = slide.toMillis();
        this.settleMs = settle.toMillis();
    }

    /** 1 min -> "1m", 1 h -> "1h", 90 s -> "90s": the name in Redis keys and metrics. */
    public static String nameOf(Duration size) {
        long s = size.toSeconds();
        if (s % 3600 == 0) {
            return s / 3600 + "h";
        }
        return s % 60 == 0 ? s / 60 + "m" : s + "s";
    }

    @Override
    public void open(OpenContext openContext) {
        byEnd = getRuntimeContext().getMapState(new MapStateDescriptor<>("kpi-" + name, Types.LONG,
                TypeInformation.of(KpiCounts.class)));
        lateFacts = getRuntimeContext().getMetricGroup().addGroup("kpi", name).counter("lateFacts");
    }

    @Override
    public void processElement(KpiFact f, Context ctx, Collector<KpiWindow> out) throws Exception {
        long watermark = ctx.timerService().currentWatermark();
        long lastStart = f.ts() - Math.floorMod(f.ts(), slideMs);
        for (long start = lastStart; start > f.ts() - sizeMs; start -= slideMs) {
            long end = start + sizeMs;
            long fireAt = end - 1 + settleMs;
            if (watermark != Long.MIN_VALUE && fireAt <= watermark) {
                lateFacts.inc();
                continue;
            }
            KpiCounts c = byEnd.get(end);
            if (c == null) {
                c = new KpiCounts();
                ctx.timerService().registerEventTimeTimer(fireAt);
            }
            c.add(f, start);
            byEnd.put(end, c);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<KpiWindow> out) throws Exception {
        long end = timestamp + 1 - settleMs;
        KpiCounts c = byEnd.get(end);
        if (c == null) {
            return;
        }
        byEnd.remove(end);
        KpiWindow w = KpiWindow.of(name, end - sizeMs, end, c);
        latest = w;
        registerGauges();
        out.collect(w);
    }

    /** On first output, so only the subtask that owns the (single) key reports these gauges. */
    private void registerGauges() {
        if (gaugesRegistered) {
            return;
        }
        gaugesRegistered = true;
        MetricGroup g = getRuntimeContext().getMetricGroup().addGroup("kpi", name);
        g.gauge("activeSessions", (Gauge<Long>) () -> latest.activeSessions());
        g.gauge("sessions", (Gauge<Long>) () -> latest.sessions());
        g.gauge("orders", (Gauge<Long>) () -> latest.orders());
        g.gauge("revenue", (Gauge<Double>) () -> latest.revenue());
        g.gauge("conversionRate", (Gauge<Double>) () -> latest.conversionRate());
        g.gauge("cartAbandonment", (Gauge<Double>) () -> latest.cartAbandonment());
        g.gauge("averageOrderValue", (Gauge<Double>) () -> latest.averageOrderValue());
        g.gauge("alertRate", (Gauge<Double>) () -> latest.alertRate());
        g.gauge("windowEnd", (Gauge<Long>) () -> latest.end());
    }
}
