package com.shopsense.insight;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.flink.api.common.operators.ProcessingTimeService.ProcessingTimeCallback;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Per scope subtask (input keyed by scope): merges the partial lists of every item subtask and, once the watermark
 * passes the window's end (every item subtask has sent its part), emits each scope's {@link TrendingList}. A scope
 * that had a list and gets none for the next window emits an empty one (its Redis key goes) and is forgotten.
 *
 * <p>A scope's lists are written at most once per {@code minWriteIntervalMs} of processing time. When the watermark
 * passes pane ends faster than that (a backlog or a replay: the load test runs two hours of event time in about a
 * minute), a list that comes too soon waits and a newer one replaces it, so the newest window is written when the
 * interval ends; at the end of the input each scope's newest list is written at once. Live, one pane end per
 * {@code trending.pane}, no list waits. Readers lose only lists that a newer one replaced within the interval.
 *
 * <p>Why in heap, driven by the watermark: every scope gets a part per item subtask and window, so a RocksDB read
 * and write of its pending list and two timers per scope and window (the previous version, a KeyedProcessFunction)
 * cost three quarters of this task, and a catch-up or replay runs many windows a second (the load test: two hours
 * of event time in about a minute; load-tests/RESULTS.md). The lists wait here only until their window's watermark, so the heap holds the open
 * windows' parts, one number per listed scope and the waiting lists. Keyed state is their checkpoint copy in the
 * previous version's layout, written at each barrier for the scopes that changed since the last one and read
 * back when the task starts: a checkpoint of either version restores into this one.
 */
public class TrendingTopK extends AbstractStreamOperator<TrendingList>
        implements OneInputStreamOperator<TrendingTop, TrendingList>, ProcessingTimeCallback {
    private static final long serialVersionUID = 1L;
    private static final long NONE = Long.MAX_VALUE;

    private final TrendingSpec spec;
    private final long minWriteIntervalMs;

    // Checkpoint copies, per scope (the layout of the KeyedProcessFunction before).
    /** Unfired windows' merged parts by window end, and the waiting list under its window end. */
    private transient MapState<Long, TrendingTop> pendingState;
    private transient ValueState<Long> listedState;
    private transient ValueState<Long> waitingState;

    /** Window end -> scope -> the merged parts, for the windows the watermark has not passed yet. */
    private transient TreeMap<Long, Map<String, TrendingTop>> pending;
    /** Scope -> the window end of its last list (written or waiting); all equal but after a restore. */
    private transient Map<String, Long> listed;
    /** The next window end at which a listed scope without parts ends (NONE when none is listed). */
    private transient long checkAt;
    /** Scope -> its newest list not yet written (the interval since its last write had not passed). */
    private transient Map<String, TrendingList> waiting;
    /**
     * When this subtask last wrote each scope's list, in processing time. In heap, not checkpointed: after a
     * restore a scope's first list is written at once (one write early at most).
     */
    private transient Map<String, Long> writtenAt;
    /** Scopes whose checkpoint copy is behind the heap. */
    private transient Set<String> dirty;
    /**
     * The window ends some scope's checkpoint copy may hold (the last barrier's open and waiting windows): a scope
     * whose window has fired since is dirty, and only these entries of it need removing.
     */
    private transient Set<Long> persistedEnds;
    private transient long watermark;
    private transient long timerAt;
    private transient Counter late;
    private transient Counter skipped;
    private transient volatile int listedCount;
    private transient volatile long lastWindowEnd;
    private transient StreamRecord<TrendingList> reuse;

    public TrendingTopK(TrendingSpec spec, long minWriteIntervalMs) {
        if (minWriteIntervalMs < 0) {
            throw new IllegalArgumentException("trending.min-write-interval must be >= 0");
        }
        this.spec = spec;
        this.minWriteIntervalMs = minWriteIntervalMs;
    }

    @Override
    public void open() throws Exception {
        super.open();
        MapStateDescriptor<Long, TrendingTop> pendingDesc = new MapStateDescriptor<>("trending-pending", Types.LONG,
                TypeInformation.of(TrendingTop.class));
        ValueStateDescriptor<Long> listedDesc = new ValueStateDescriptor<>("trending-listed", Types.LONG);
        ValueStateDescriptor<Long> waitingDesc = new ValueStateDescriptor<>("trending-waiting", Types.LONG);
        pendingState = getKeyedStateStore().getMapState(pendingDesc);
        listedState = getKeyedStateStore().getState(listedDesc);
        waitingState = getKeyedStateStore().getState(waitingDesc);
        MetricGroup g = getMetricGroup().addGroup("trending");
        late = g.counter("lateLists");
        skipped = g.counter("skippedLists");
        g.gauge("scopes", (Gauge<Integer>) () -> listedCount);
        g.gauge("lastWindowEnd", (Gauge<Long>) () -> lastWindowEnd);
        // The previous version's timers (one per scope and window, and the waiting lists'): restored from its
        // checkpoint they fire here and are dropped, since the watermark drives the windows now.
        getInternalTimerService("user-timers", VoidNamespaceSerializer.INSTANCE, new Triggerable<Object, VoidNamespace>() {
            @Override
            public void onEventTime(InternalTimer<Object, VoidNamespace> timer) {
            }

            @Override
            public void onProcessingTime(InternalTimer<Object, VoidNamespace> timer) {
            }
        });
        pending = new TreeMap<>();
        listed = new HashMap<>();
        waiting = new HashMap<>();
        writtenAt = new HashMap<>();
        dirty = new HashSet<>();
        persistedEnds = new HashSet<>();
        watermark = Long.MIN_VALUE;
        timerAt = NONE;
        lastWindowEnd = -1L;
        reuse = new StreamRecord<>(null);
        restore(pendingDesc, listedDesc, waitingDesc);
    }

    /** Reads the checkpoint copies back into heap; a restored waiting list is written at the first clock tick. */
    private void restore(MapStateDescriptor<Long, TrendingTop> pendingDesc, ValueStateDescriptor<Long> listedDesc,
            ValueStateDescriptor<Long> waitingDesc) throws Exception {
        Map<String, Long> waitingEnds = new HashMap<>();
        this.<String>getKeyedStateBackend().applyToAllKeys(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE,
                waitingDesc, (String scope, ValueState<Long> s) -> waitingEnds.put(scope, s.value()));
        this.<String>getKeyedStateBackend().applyToAllKeys(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE,
                listedDesc, (String scope, ValueState<Long> s) -> listed.put(scope, s.value()));
        this.<String>getKeyedStateBackend().applyToAllKeys(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE,
                pendingDesc, (String scope, MapState<Long, TrendingTop> s) -> {
                    for (Map.Entry<Long, TrendingTop> e : s.entries()) {
                        persistedEnds.add(e.getKey());
                        if (e.getKey().equals(waitingEnds.get(scope))) {
                            waiting.put(scope, TrendingList.of(e.getValue()));
                        } else {
                            pending.computeIfAbsent(e.getKey(), k -> new HashMap<>()).put(scope, e.getValue());
                        }
                    }
                });
        waitingEnds.forEach((scope, end) -> waiting.computeIfAbsent(scope, s -> TrendingList.empty(s, end)));
        checkAt = listed.isEmpty() ? NONE
                : listed.values().stream().mapToLong(Long::longValue).min().getAsLong() + spec.paneMs();
        listedCount = listed.size();
        lastWindowEnd = listed.values().stream().mapToLong(Long::longValue).max().orElse(-1L);
        persistedEnds.addAll(pending.keySet());
        persistedEnds.addAll(waitingEnds.values());
        if (!waiting.isEmpty()) {
            schedule(getProcessingTimeService().getCurrentProcessingTime());
        }
    }

    @Override
    public void processElement(StreamRecord<TrendingTop> element) {
        TrendingTop part = element.getValue();
        if (TrendingSpec.fireAt(part.windowEnd) <= watermark) {
            late.inc(); // cannot happen while the parts are emitted before the watermark that completes them
            return;
        }
        Map<String, TrendingTop> scopes = pending.computeIfAbsent(part.windowEnd, k -> new HashMap<>());
        TrendingTop kept = scopes.get(part.scope);
        if (kept == null) {
            kept = TrendingTop.empty(part.scope, part.windowEnd, spec.topK());
            scopes.put(part.scope, kept);
        }
        kept.merge(part);
        dirty.add(part.scope);
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        long wm = mark.getTimestamp();
        watermark = wm;
        while (true) {
            long next = Math.min(pending.isEmpty() ? NONE : pending.firstKey(), checkAt);
            if (next == NONE || TrendingSpec.fireAt(next) > wm) {
                break;
            }
            window(next, wm == Long.MAX_VALUE);
        }
        if (wm == Long.MAX_VALUE) {
            // The input has ended: each scope's newest list goes now, not after an interval a finishing task never sees.
            reuse.setTimestamp(Long.MAX_VALUE);
            for (TrendingList list : waiting.values()) {
                emit(list, getProcessingTimeService().getCurrentProcessingTime());
            }
            dirty.addAll(waiting.keySet());
            waiting.clear();
        }
        super.processWatermark(mark);
    }

    /** The window ending at {@code end}: each scope's list, and the empty one of each listed scope without one. */
    private void window(long end, boolean ended) {
        Map<String, TrendingTop> parts = pending.remove(end);
        long now = getProcessingTimeService().getCurrentProcessingTime();
        reuse.setTimestamp(TrendingSpec.fireAt(end));
        int stillListed = 0;
        int before = listed.size();
        if (parts != null) {
            for (TrendingTop top : parts.values()) {
                if (top.size > 0) {
                    write(top.scope, TrendingList.of(top), now, ended);
                    if (listed.put(top.scope, end) != null) {
                        stillListed++;
                    }
                }
            }
        }
        if (stillListed < before) { // some scope listed before has no list in this window: it ends
            Iterator<Map.Entry<String, Long>> it = listed.entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<String, Long> e = it.next();
                if (e.getValue() < end) {
                    write(e.getKey(), TrendingList.empty(e.getKey(), end), now, ended);
                    dirty.add(e.getKey());
                    it.remove();
                }
            }
        }
        checkAt = listed.isEmpty() ? NONE : end + spec.paneMs();
        listedCount = listed.size();
        lastWindowEnd = listed.isEmpty() ? -1L : end;
    }

    /**
     * Writes a scope's list now, or keeps it waiting until the scope's interval has passed (replacing an older
     * waiting one). At the end of the input every remaining window comes at once: only the newest is written.
     */
    private void write(String scope, TrendingList list, long now, boolean ended) {
        dirty.add(scope);
        Long last = writtenAt.get(scope);
        if (minWriteIntervalMs == 0 || (!ended && (last == null || now - last >= minWriteIntervalMs))) {
            if (waiting.remove(scope) != null) {
                skipped.inc();
            }
            emit(list, now);
            return;
        }
        if (waiting.put(scope, list) != null) {
            skipped.inc();
        }
        if (!ended) {
            schedule(last + minWriteIntervalMs);
        }
    }

    /** The interval of some waiting lists has passed: they are written. */
    @Override
    public void onProcessingTime(long time) {
        timerAt = NONE;
        long now = getProcessingTimeService().getCurrentProcessingTime();
        long next = NONE;
        reuse.eraseTimestamp();
        Iterator<Map.Entry<String, TrendingList>> it = waiting.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, TrendingList> e = it.next();
            Long last = writtenAt.get(e.getKey());
            if (last == null || now - last >= minWriteIntervalMs) {
                emit(e.getValue(), now);
                dirty.add(e.getKey());
                it.remove();
            } else {
                next = Math.min(next, last + minWriteIntervalMs);
            }
        }
        if (next != NONE) {
            schedule(next);
        }
    }

    /** One processing-time timer for the waiting lists, at the earliest interval's end. */
    private void schedule(long at) {
        if (at < timerAt) {
            timerAt = at;
            getProcessingTimeService().registerTimer(at, this);
        }
    }

    private void emit(TrendingList list, long now) {
        output.collect(reuse.replace(list));
        if (list.isEmpty()) {
            writtenAt.remove(list.scope()); // the scope has ended: nothing more to space out
        } else {
            writtenAt.put(list.scope(), now);
        }
    }

    /** Before the keyed state is snapshotted (same thread, same checkpoint): the changed scopes go into it. */
    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        for (String scope : dirty) {
            setCurrentKey(scope);
            Long end = listed.get(scope);
            if (end == null) {
                listedState.clear();
            } else {
                listedState.update(end);
            }
            TrendingList list = waiting.get(scope);
            for (long persisted : persistedEnds) {
                Map<String, TrendingTop> w = pending.get(persisted);
                if ((w == null || !w.containsKey(scope)) && (list == null || list.windowEnd() != persisted)) {
                    pendingState.remove(persisted);
                }
            }
            for (Map.Entry<Long, Map<String, TrendingTop>> w : pending.entrySet()) {
                TrendingTop top = w.getValue().get(scope);
                if (top != null) {
                    pendingState.put(w.getKey(), top);
                }
            }
            if (list == null) {
                waitingState.clear();
            } else {
                waitingState.update(list.windowEnd());
                if (list.isEmpty()) {
                    pendingState.remove(list.windowEnd());
                } else {
                    pendingState.put(list.windowEnd(), topOf(list));
                }
            }
        }
        dirty.clear();
        persistedEnds.clear();
        persistedEnds.addAll(pending.keySet());
        for (TrendingList list : waiting.values()) {
            persistedEnds.add(list.windowEnd());
        }
    }

    /** A waiting list in the pending layout: its window's merged parts, as the previous version kept them. */
    private TrendingTop topOf(TrendingList list) {
        TrendingTop t = TrendingTop.empty(list.scope(), list.windowEnd(), list.itemIds().length);
        System.arraycopy(list.itemIds(), 0, t.items, 0, list.itemIds().length);
        System.arraycopy(list.scores(), 0, t.scores, 0, list.scores().length);
        t.size = list.itemIds().length;
        t.total = list.total();
        return t;
    }
}
