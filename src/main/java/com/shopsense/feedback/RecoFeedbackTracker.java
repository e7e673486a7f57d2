package com.shopsense.feedback;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by userId: attributes a user's reco_clicks and orders to the recommendation lists the user was
 * shown and evaluates the lists against the user's next item (input 1: the job's recommendations; input 2:
 * reco_clicks, orders and item events, as {@link RecoUserEvent}: the job sends only the item events a live list of
 * their user can be evaluated on, see {@code session.RecoFeedbackFeed}) and emits the change to each model version's
 * A/B counts (README "Recommendation A/B and model hot-swap"):
 * <ul>
 *   <li>impression: every list, for its version, when it arrives;</li>
 *   <li>click: a reco_click of item i counts for the version of the latest list generated before the click
 *       (strictly: the list the click itself triggers cannot have been shown) that contains i and is not
 *       older than the attribution window; a click matching no list is counted in a metric only;</li>
 *   <li>conversion: an attributed click followed by an order of the same user within the window, once per
 *       click (any order: the shop's checkout is the outcome, not the clicked item alone);</li>
 *   <li>online quality (docs/models.md): an item event evaluates the list live in the storefront when it
 *       happened (the newest list generated before it, younger than {@code redis.reco-ttl}) if that list was not
 *       evaluated yet: a hit when the item is in its top 20, with 1/rank, for the list's version and source. Each
 *       list counts at most once, against the first item event after it; a list replaced before the user's next
 *       item event is never evaluated.</li>
 * </ul>
 * Lists reach this operator later than the user's next events (they go through sessionization and
 * scoring), so clicks, orders and item events wait in state until the watermark passes their time (item events:
 * the end of their {@code reco.quality-interval}): by then every list generated before them has arrived. Timers also drop lists and clicks older than the window, and the
 * state of a user is empty once nothing is left to attribute.
 *
 * <p>Lists are the hot input (a third of the events make one), so a list costs one read and one write of
 * {@link RecoShownLists} (item hashes, not strings) and no timer while the user's expiry timer is pending: that
 * one timer is set for the oldest list and, when it fires, again for the next oldest. Expiry timers (lists and
 * open clicks) are rounded up to a grid of 1/24 of the window (1 h of 24 h), so the lists of one session share a
 * firing; state outlives its window by at most one grid step, which changes no count (the window is checked on
 * every match, not left to the pruning). The newest list not yet evaluated is kept up to {@code redis.reco-ttl}
 * when that is longer than the window, as it stays live in the storefront that long; its timer is then set for
 * that TTL.
 */
public class RecoFeedbackTracker extends KeyedCoProcessFunction<String, RecoShown, RecoUserEvent, RecoDelta> {
    private static final long serialVersionUID = 1L;

    private final long windowMs;
    private final long liveMs;
    private final long evaluateEveryMs;
    private final long gridMs;
    private final int maxLists;
    private transient ValueState<RecoShownLists> lists;
    private transient ListState<RecoPendingAction> pending;
    private transient ListState<RecoOpenClick> openClicks;
    private transient Counter unattributed;

    /**
     * @param window attribution window: clicks on lists up to this old, orders up to this long after a click
     * @param maxLists lists kept per user (newest), which bounds state for users refreshed very often
     * @param live how long a list stays in the storefront ({@code redis.reco-ttl}): older lists are not evaluated
     * @param evaluateEvery grid of event time on which a user's item events are evaluated together
     *     ({@code reco.quality-interval})
     */
    public RecoFeedbackTracker(Duration window, int maxLists, Duration live, Duration evaluateEvery) {
        if (window.isNegative() || window.isZero() || maxLists < 1 || live.isNegative() || live.isZero()
                || evaluateEvery.isNegative() || evaluateEvery.isZero()) {
            throw new IllegalArgumentException("reco.attribution-window, redis.reco-ttl and reco.quality-interval"
                    + " must be > 0 and reco.attribution-lists >= 1");
        }
        this.evaluateEveryMs = evaluateEvery.toMillis();
        this.windowMs = window.toMillis();
        this.liveMs = live.toMillis();
        this.gridMs = Math.max(1, windowMs / 24);
        this.maxLists = maxLists;
    }

    @Override
    public void open(OpenContext ctx) {
        // New names (and a new uid, reco-attribution-hashed) for the hashed layout: docs/deploy.md, upgrades.
        lists = getRuntimeContext().getState(new ValueStateDescriptor<>("reco-shown-hashes", RecoShownLists.class));
        pending = getRuntimeContext().getListState(new ListStateDescriptor<>("reco-pending-hashed",
                RecoPendingAction.class));
        openClicks = getRuntimeContext().getListState(new ListStateDescriptor<>("reco-open-clicks-v2",
                RecoOpenClick.class));
        unattributed = getRuntimeContext().getMetricGroup().counter("recoClicksUnattributed");
    }

    @Override
    public void processElement1(RecoShown r, Context ctx, Collector<RecoDelta> out) throws Exception {
        RecoShownLists shown = lists.value();
        if (shown == null) {
            shown = new RecoShownLists();
        }
        shown.add(r.generatedAt(), r.modelVersion(), r.source(), r.itemHashes(), maxLists);
        if (shown.expiryTimer == 0 && !shown.isEmpty()) {
            shown.expiryTimer = expiry(shown.oldest());
            ctx.timerService().registerEventTimeTimer(shown.expiryTimer);
        }
        lists.update(shown);
        out.collect(RecoDelta.impression(r.modelVersion()));
    }

    @Override
    public void processElement2(RecoUserEvent e, Context ctx, Collector<RecoDelta> out) throws Exception {
        if (e.is(RecoUserEvent.ITEM)) {
            boolean click = e.is(RecoUserEvent.CLICK);
            pending.add(new RecoPendingAction(e.ts(), false, e.itemHash(), !click));
            // Item events (most events) share a timer per user and interval: a firing handles every action up to
            // its time in time order, so the result is the one of a timer per event, for a fraction of the timers
            // and state reads. Clicks keep their own, so that attribution and conversions are not delayed.
            ctx.timerService().registerEventTimeTimer(click ? e.ts() : onGrid(e.ts(), evaluateEveryMs));
        }
        // An order with no click it could convert stays out of state (users who never click).
        if (e.is(RecoUserEvent.ORDER) && (!isEmpty(openClicks.get())
                || toList(pending.get()).stream().anyMatch(a -> !a.order && !a.itemOnly))) {
            pending.add(new RecoPendingAction(e.ts(), true, 0, false));
            ctx.timerService().registerEventTimeTimer(e.ts());
        }
    }

    @Override
    public void onTimer(long time, OnTimerContext ctx, Collector<RecoDelta> out) throws Exception {
        List<RecoPendingAction> due = new ArrayList<>();
        List<RecoPendingAction> later = new ArrayList<>();
        for (RecoPendingAction a : toList(pending.get())) {
            (a.ts <= time ? due : later).add(a);
        }
        // In time order; at equal times the click first, so an order in the same millisecond converts it.
        due.sort(Comparator.<RecoPendingAction>comparingLong(a -> a.ts).thenComparing(a -> a.order));
        RecoShownLists shown = lists.value();
        List<RecoOpenClick> clicks = toList(openClicks.get());
        boolean clicksChanged = false;
        boolean listsChanged = false;
        for (RecoPendingAction a : due) {
            if (a.order) {
                clicksChanged |= convert(a.ts, clicks, windowMs, out);
                continue;
            }
            listsChanged |= shown != null && evaluate(shown, a, out);
            if (!a.itemOnly) {
                String version = shown == null ? null : shown.latestWith(a.itemHash, a.ts - windowMs, a.ts);
                if (version == null) {
                    unattributed.inc();
                } else {
                    clicks.add(new RecoOpenClick(a.ts, version));
                    clicksChanged = true;
                    ctx.timerService().registerEventTimeTimer(expiry(a.ts));
                    out.collect(RecoDelta.click(version));
                }
            }
        }
        long horizon = time - windowMs;
        clicksChanged |= clicks.removeIf(c -> c.ts < horizon);
        if (!due.isEmpty()) {
            store(pending, later);
        }
        if (clicksChanged) {
            store(openClicks, clicks);
        }
        if (shown != null) {
            expireLists(shown, time, listsChanged, ctx);
        }
    }

    /** Evaluates the list live before an item event, if it awaits evaluation; true if one was. */
    private boolean evaluate(RecoShownLists shown, RecoPendingAction a, Collector<RecoDelta> out) {
        int live = shown.liveUnevaluated(a.ts, liveMs);
        if (live < 0) {
            return false;
        }
        out.collect(RecoDelta.evaluated(shown.version(live), shown.trending(live),
                shown.rank(live, a.itemHash, RecoQuality.K)));
        shown.evaluated(live);
        return true;
    }

    /** Drops the lists older than the window; the expiry timer, when this is it, moves to the next oldest. */
    private void expireLists(RecoShownLists shown, long time, boolean changed, OnTimerContext ctx) throws Exception {
        changed |= shown.expire(time, windowMs, liveMs);
        if (shown.isEmpty()) {
            lists.clear(); // a pending expiry timer, if any, then finds nothing
            return;
        }
        if (time >= shown.expiryTimer) { // timers fire in time order: the pending one has fired (or is this one)
            shown.expiryTimer = nextExpiry(shown, time);
            ctx.timerService().registerEventTimeTimer(shown.expiryTimer);
            changed = true;
        }
        if (changed) {
            lists.update(shown);
        }
    }

    /** The first grid time after which a list or click at {@code ts} can no longer count. */
    private long expiry(long ts) {
        return onGrid(ts + windowMs + 1, gridMs);
    }

    /** The oldest list's expiry: the window's, or the TTL's when it was kept past the window to be evaluated. */
    private long nextExpiry(RecoShownLists shown, long time) {
        long byWindow = expiry(shown.oldest());
        return byWindow > time ? byWindow : onGrid(shown.oldest() + liveMs + 1, gridMs);
    }

    /** The first multiple of {@code grid} at or after {@code t}. */
    private static long onGrid(long t, long grid) {
        return Math.floorDiv(t + grid - 1, grid) * grid;
    }

    /** Every open click at most one window before the order converts, once; true if any did. */
    private static boolean convert(long orderTs, List<RecoOpenClick> clicks, long windowMs, Collector<RecoDelta> out) {
        return clicks.removeIf(c -> {
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
