package com.shopsense.feedback;

import com.shopsense.event.EventType;
import com.shopsense.event.ShopEvent;
import com.shopsense.scoring.Recommendation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by userId: attributes a user's reco_clicks and orders to the recommendation lists the user was
 * shown (input 1: the job's recommendations; input 2: reco_click and order events) and emits the change
 * to each model version's A/B counts (README "Recommendation A/B and model hot-swap"):
 * <ul>
 *   <li>impression: every list, for its version, when it arrives;</li>
 *   <li>click: a reco_click of item i counts for the version of the latest list generated before the click
 *       (strictly: the list the click itself triggers cannot have been shown) that contains i and is not
 *       older than the attribution window; a click matching no list is counted in a metric only;</li>
 *   <li>conversion: an attributed click followed by an order of the same user within the window, once per
 *       click (any order: the shop's checkout is the outcome, not the clicked item alone).</li>
 * </ul>
 * Lists reach this operator later than the user's next events (they go through sessionization and
 * scoring), so clicks and orders wait in state until the watermark passes their time: by then every list
 * generated before them has arrived. Timers also drop lists and clicks older than the window, and the
 * state of a user is empty once nothing is left to attribute.
 */
public class RecoFeedbackTracker extends KeyedCoProcessFunction<String, Recommendation, ShopEvent, RecoDelta> {
    private static final long serialVersionUID = 1L;

    private final long windowMs;
    private final int maxLists;
    private transient ListState<RecoShownList> lists;
    private transient ListState<RecoAction> pending;
    private transient ListState<RecoAction> openClicks;
    private transient Counter unattributed;

    /**
     * @param window attribution window: clicks on lists up to this old, orders up to this long after a click
     * @param maxLists lists kept per user (newest), which bounds state for users refreshed very often
     */
    public RecoFeedbackTracker(Duration window, int maxLists) {
        if (window.isNegative() || window.isZero() || maxLists < 1) {
            throw new IllegalArgumentException("reco.attribution-window must be > 0 and reco.attribution-lists >= 1");
        }
        this.windowMs = window.toMillis();
        this.maxLists = maxLists;
    }

    /** The events this operator needs from the event stream. */
    public static boolean isFeedback(ShopEvent e) {
        return (e.type() == EventType.RECO_CLICK && e.itemId() != null) || e.type() == EventType.ORDER;
    }

    @Override
    public void open(OpenContext ctx) {
        lists = getRuntimeContext().getListState(new ListStateDescriptor<>("reco-shown-lists", RecoShownList.class));
        pending = getRuntimeContext().getListState(new ListStateDescriptor<>("reco-pending-actions", RecoAction.class));
        openClicks = getRuntimeContext().getListState(new ListStateDescriptor<>("reco-open-clicks", RecoAction.class));
        unattributed = getRuntimeContext().getMetricGroup().counter("recoClicksUnattributed");
    }

    @Override
    public void processElement1(Recommendation r, Context ctx, Collector<RecoDelta> out) throws Exception {
        List<RecoShownList> kept = toList(lists.get());
        kept.add(new RecoShownList(r.generatedAt(), r.modelVersion(), r.itemIds()));
        kept.sort(Comparator.comparingLong(l -> l.generatedAt));
        if (kept.size() > maxLists) {
            kept = new ArrayList<>(kept.subList(kept.size() - maxLists, kept.size()));
        }
        lists.update(kept);
        ctx.timerService().registerEventTimeTimer(r.generatedAt() + windowMs + 1); // drop it when it can no longer count
        out.collect(RecoDelta.impression(r.modelVersion()));
    }

    @Override
    public void processElement2(ShopEvent e, Context ctx, Collector<RecoDelta> out) throws Exception {
        boolean order = e.type() == EventType.ORDER;
        if (order && isEmpty(openClicks.get()) && toList(pending.get()).stream().allMatch(a -> a.order)) {
            return; // no click it could convert: keeps orders of users who never click out of state
        }
        pending.add(new RecoAction(e.timestampMs(), order, e.itemId(), null));
        ctx.timerService().registerEventTimeTimer(e.timestampMs());
    }

    @Override
    public void onTimer(long time, OnTimerContext ctx, Collector<RecoDelta> out) throws Exception {
        List<RecoAction> waiting = toList(pending.get());
        List<RecoAction> due = new ArrayList<>();
        List<RecoAction> later = new ArrayList<>();
        for (RecoAction a : waiting) {
            (a.ts <= time ? due : later).add(a);
        }
        // In time order; at equal times the click first, so an order in the same millisecond converts it.
        due.sort(Comparator.<RecoAction>comparingLong(a -> a.ts).thenComparing(a -> a.order));
        List<RecoShownList> shown = toList(lists.get());
        List<RecoAction> clicks = toList(openClicks.get());
        for (RecoAction a : due) {
            if (a.order) {
                convert(a.ts, clicks, out);
            } else {
                String version = attribute(a, shown);
                if (version == null) {
                    unattributed.inc();
                } else {
                    clicks.add(new RecoAction(a.ts, false, a.itemId, version));
                    ctx.timerService().registerEventTimeTimer(a.ts + windowMs + 1);
                    out.collect(RecoDelta.click(version));
                }
            }
        }
        long horizon = time - windowMs;
        shown.removeIf(l -> l.generatedAt < horizon);
        clicks.removeIf(c -> c.ts < horizon);
        store(lists, shown);
        store(pending, later);
        store(openClicks, clicks);
    }

    /** The version of the latest list before the click that contains its item, within the window. */
    private String attribute(RecoAction click, List<RecoShownList> shown) {
        for (int i = shown.size() - 1; i >= 0; i--) {
            RecoShownList l = shown.get(i);
            if (l.generatedAt < click.ts && l.generatedAt >= click.ts - windowMs && l.contains(click.itemId)) {
                return l.modelVersion;
            }
        }
        return null;
    }

    /** Every open click at most one window before the order converts, once. */
    private void convert(long orderTs, List<RecoAction> clicks, Collector<RecoDelta> out) {
        clicks.removeIf(c -> {
            boolean converts = c.ts <= orderTs && orderTs - c.ts <= windowMs;
            if (converts) {
                out.collect(RecoDelta.conversion(c.modelVersion));
            }
            return converts;
        });
    }

    private static <T> void store(ListState<T> state, List<T> values) throws Exception {
        if (values.isEmpty()) {
            state.clear();
        } else {
            state.update(values);
        }
    }

    private static <T> List<T> toList(Iterable<T> values) {
        List<T> out = new ArrayList<>();
        if (values != null) {
            values.forEach(out::add);
        }
        return out;
    }

    private static boolean isEmpty(Iterable<?> values) {
        return values == null || !values.iterator().hasNext();
    }
}
