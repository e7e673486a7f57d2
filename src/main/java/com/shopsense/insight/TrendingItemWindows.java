package com.shopsense.insight;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.KeyGroupRange;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
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
 * Per item subtask (input keyed by item id): every item's panes in the sliding window, and at every window end the
 * watermark passes, one partial {@link TrendingTop} per scope (shop-wide and each category with items here: the
 * scope's total and its best k items with the minimum support), for {@link TrendingTopK} to merge.
 *
 * <p>Why the items live in heap: the window slides every pane for every item in it, so a timer and a RocksDB read
 * and write per item and pane end cost more than the rest of the trending path together (an hour's items at every
 * minute; load-tests/RESULTS.md). Here a window end is one pass over this subtask's items in memory; keyed state
 * (one {@link TrendingItemState} per item, as before) is their checkpoint copy, written at each barrier for the
 * items that changed since the last one, and read back into heap when the task starts. Heap (estimated): ~150 B per item with
 * events in the window.
 *
 * <p>Exactly once per item and window across restores and rescaling: at each barrier every key group of this subtask
 * records the last window end its items went out for (a marker under a reserved key of that group, which no item id
 * can take: ids never hold control characters). After a restore, an item joins the windows after its key group's
 * marker, so a window whose parts reached {@link TrendingTopK} before the checkpoint is not sent again, and one
 * that had not is.
 *
 * <p>A pane whose first window is already behind the watermark (an event later than the out-of-orderness) counts
 * only for the windows still to come ({@code lateEvents}).
 */
public class TrendingItemWindows extends AbstractStreamOperator<TrendingTop>
        implements OneInputStreamOperator<TrendingPane, TrendingTop> {
    private static final long serialVersionUID = 1L;
    private static final long NONE = Long.MAX_VALUE;

    private final TrendingSpec spec;
    private transient ValueState<TrendingItemState> state;
    /** Per key group, under its marker key: the last window end handled. */
    private transient ValueState<Long> handledThrough;
    private transient Map<String, TrendingItemState> items;
    /** Items changed (or gone) since the last barrier. */
    private transient Set<String> dirty;
    private transient long watermark;
    /** The last window end whose parts went out; MIN_VALUE before the first. */
    private transient long lastEnd;
    /** The next window end that holds a pane of some item (NONE when there are no items). */
    private transient long nextEnd;
    /** After a restore, until the windows pass it: key group -> the last window end its items went out for. */
    private transient Map<Integer, Long> restoredEnds;
    private transient long restoredMax;
    private transient int maxParallelism;
    private transient KeyGroupRange keyGroups;
    private transient String[] markerKeys;
    private transient boolean markersWritten;
    private transient long markersAt;
    private transient Counter lateEvents;
    /** Restored from the previous version (items, no markers): its windows' position is read from its timers. */
    private transient boolean legacy;
    private transient long legacyEarliestTimer;
    private transient StreamRecord<TrendingTop> reuse;
    private transient double[] decayByPaneAge;

    public TrendingItemWindows(TrendingSpec spec) {
        this.spec = spec;
    }

    @Override
    public void open() throws Exception {
        super.open();
        ValueStateDescriptor<TrendingItemState> itemDesc =
                new ValueStateDescriptor<>("trending-item", TrendingItemState.class);
        state = getKeyedStateStore().getState(itemDesc);
        handledThrough = getKeyedStateStore().getState(
                new ValueStateDescriptor<>("trending-handled-through", Types.LONG));
        lateEvents = getMetricGroup().addGroup("trending").counter("lateEvents");
        reuse = new StreamRecord<>(null);
        decayByPaneAge = spec.decayByPaneAge();
        // The previous version of this operator kept a timer per item at the next window holding one of its panes:
        // restored from its checkpoint, the earliest says where that version's windows stood (see legacyStart).
        getInternalTimerService("user-timers", VoidNamespaceSerializer.INSTANCE, new Triggerable<Object, VoidNamespace>() {
            @Override
            public void onEventTime(InternalTimer<Object, VoidNamespace> timer) {
                legacyEarliestTimer = Math.min(legacyEarliestTimer, timer.getTimestamp());
            }

            @Override
            public void onProcessingTime(InternalTimer<Object, VoidNamespace> timer) {
            }
        });
        maxParallelism = getRuntimeContext().getTaskInfo().getMaxNumberOfParallelSubtasks();
        keyGroups = KeyGroupRangeAssignment.computeKeyGroupRangeForOperatorIndex(maxParallelism,
                getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks(),
                getRuntimeContext().getTaskInfo().getIndexOfThisSubtask());
        markerKeys = markerKeys(keyGroups, maxParallelism);
        items = new HashMap<>();
        dirty = new HashSet<>();
        watermark = Long.MIN_VALUE;
        lastEnd = Long.MIN_VALUE;
        markersWritten = false;
        restore(itemDesc);
    }

    /** Reads the items and the key groups' markers of a restored checkpoint back into heap. */
    private void restore(ValueStateDescriptor<TrendingItemState> itemDesc) throws Exception {
        this.<String>getKeyedStateBackend().applyToAllKeys(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, itemDesc,
                (String item, ValueState<TrendingItemState> s) -> items.put(item, s.value()));
        Map<Integer, Long> ends = new HashMap<>();
        for (int kg = keyGroups.getStartKeyGroup(); kg <= keyGroups.getEndKeyGroup(); kg++) {
            setCurrentKey(markerKeys[kg - keyGroups.getStartKeyGroup()]);
            Long end = handledThrough.value();
            if (end != null) {
                ends.put(kg, end);
            }
        }
        if (!ends.isEmpty()) {
            lastEnd = ends.values().stream().mapToLong(Long::longValue).min().getAsLong();
            restoredMax = ends.values().stream().mapToLong(Long::longValue).max().getAsLong();
            restoredEnds = restoredMax > lastEnd ? ends : null; // groups of one subtask share one marker
            markersWritten = true;
            markersAt = lastEnd;
        }
        legacy = ends.isEmpty() && !items.isEmpty();
        legacyEarliestTimer = NONE;
        recomputeNextEnd();
    }

    private void recomputeNextEnd() {
        nextEnd = NONE;
        for (TrendingItemState s : items.values()) {
            nextEnd = Math.min(nextEnd, firstWindowAfter(s, lastEnd));
        }
    }

    @Override
    public void processElement(StreamRecord<TrendingPane> element) {
        TrendingPane pane = element.getValue();
        if (watermark != Long.MIN_VALUE && TrendingSpec.fireAt(pane.paneEnd()) <= watermark) {
            lateEvents.inc(pane.events());
            if (watermark == Long.MAX_VALUE) {
                return; // after the end of input
            }
        }
        TrendingItemState s = items.get(pane.itemId());
        if (s == null) {
            s = new TrendingItemState();
            items.put(pane.itemId(), s);
        }
        s.add(pane);
        if (watermark != Long.MIN_VALUE) {
            s.dropBefore(spec.paneEnd(watermark + 1), spec); // a late pane no window still to come holds
        }
        dirty.add(pane.itemId());
        if (s.isEmpty()) {
            items.remove(pane.itemId());
            return;
        }
        nextEnd = Math.min(nextEnd, firstWindowAfter(s, handledThrough()));
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        if (legacy) {
            legacyStart(mark);
        }
        while (nextEnd != NONE && TrendingSpec.fireAt(nextEnd) <= mark.getTimestamp()) {
            emitWindow(nextEnd);
        }
        watermark = mark.getTimestamp();
        super.processWatermark(mark);
    }

    /**
     * The first watermark after a restore of the previous version's checkpoint: its timers up to the watermark
     * fire now, before any window goes out. The earliest (window end - 1) is the first window that version had
     * still to send for some item; none firing means none up to this watermark. Every window before is handled.
     */
    private void legacyStart(Watermark mark) throws Exception {
        getTimeServiceManager().orElseThrow().advanceWatermark(mark);
        long handledBefore = legacyEarliestTimer != NONE ? TrendingSpec.windowEndOf(legacyEarliestTimer) - spec.paneMs()
                : mark.getTimestamp() == Long.MAX_VALUE ? Long.MAX_VALUE : spec.paneEnd(mark.getTimestamp() + 1) - spec.paneMs();
        lastEnd = Math.max(lastEnd, handledBefore);
        legacy = false;
        recomputeNextEnd();
    }

    /** One pass over the items: their parts of the window ending at {@code end}, then the panes it leaves behind. */
    private void emitWindow(long end) {
        Map<String, TrendingTop> parts = new HashMap<>();
        long next = NONE;
        long following = end + spec.paneMs();
        Iterator<Map.Entry<String, TrendingItemState>> it = items.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, TrendingItemState> e = it.next();
            TrendingItemState s = e.getValue();
            if (!alreadySent(e.getKey(), end)) {
                long support = s.support(end, spec);
                if (support > 0) {
                    double score = s.score(end, spec, decayByPaneAge);
                    add(parts, TrendingSpec.SHOP, end, e.getKey(), score, support);
                    String category = s.categoryScope();
                    if (category != null) {
                        add(parts, category, end, e.getKey(), score, support);
                    }
                }
            }
            int kept = s.paneEnds.length;
            s.dropBefore(following, spec);
            if (s.paneEnds.length != kept) {
                dirty.add(e.getKey());
            }
            if (s.isEmpty()) {
                it.remove();
                continue;
            }
            next = Math.min(next, Math.max(following, s.paneEnds[0]));
        }
        for (TrendingTop top : parts.values()) {
            output.collect(reuse.replace(top, TrendingSpec.fireAt(end)));
        }
        lastEnd = end;
        nextEnd = next;
        if (restoredEnds != null && end >= restoredMax) {
            restoredEnds = null; // every key group is past its marker
        }
    }

    /** After a restore: whether this item's key group had sent its parts of this window before the checkpoint. */
    private boolean alreadySent(String item, long end) {
        if (restoredEnds == null) {
            return false;
        }
        Long sent = restoredEnds.get(KeyGroupRangeAssignment.assignToKeyGroup(item, maxParallelism));
        return sent != null && end <= sent;
    }

    private void add(Map<String, TrendingTop> parts, String scope, long end, String item, double score,
            long support) {
        TrendingTop top = parts.get(scope);
        if (top == null) {
            top = TrendingTop.empty(scope, end, spec.topK());
            parts.put(scope, top);
        }
        top.total += score;
        if (support >= spec.minSupport()) {
            top.offer(item, score);
        }
    }

    /** The first window end after {@code after} that holds one of the item's panes (NONE when none does). */
    private long firstWindowAfter(TrendingItemState s, long after) {
        long best = NONE;
        for (long p : s.paneEnds) {
            long first = after == Long.MIN_VALUE || p > after ? p : after + spec.paneMs();
            if (spec.inWindow(p, first)) {
                best = Math.min(best, first);
            }
        }
        return best;
    }

    /** Before the keyed state is snapshotted (same thread, same checkpoint): the heap's changes go into it. */
    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        for (String item : dirty) {
            setCurrentKey(item);
            TrendingItemState s = items.get(item);
            if (s == null) {
                state.clear();
            } else {
                state.update(s);
            }
        }
        dirty.clear();
        writeMarkers();
    }

    /** Every key group's marker while this subtask holds items (or restored groups ahead of it), none when idle. */
    private void writeMarkers() throws Exception {
        if (items.isEmpty() && restoredEnds == null) {
            if (markersWritten) {
                for (String key : markerKeys) {
                    setCurrentKey(key);
                    handledThrough.clear();
                }
                markersWritten = false;
            }
            return;
        }
        long handled = handledThrough();
        if (markersWritten && restoredEnds == null && handled == markersAt) {
            return;
        }
        for (int i = 0; i < markerKeys.length; i++) {
            Long ahead = restoredEnds == null ? null : restoredEnds.get(keyGroups.getStartKeyGroup() + i);
            setCurrentKey(markerKeys[i]);
            handledThrough.update(ahead == null ? handled : Math.max(handled, ahead));
        }
        markersWritten = true;
        markersAt = handled;
    }

    /** The last window end handled: the last sent, or a later one the watermark passed while no item was here. */
    private long handledThrough() {
        return Math.max(lastEnd, lastPassed());
    }

    /** The last window end the watermark has passed (MIN_VALUE before the first watermark). */
    private long lastPassed() {
        if (watermark == Long.MIN_VALUE) {
            return Long.MIN_VALUE;
        }
        if (watermark == Long.MAX_VALUE) {
            return Long.MAX_VALUE;
        }
        return spec.paneEnd(watermark + 1) - spec.paneMs();
    }

    /** A key of each key group in the range that no item id can be (it starts with a control character). */
    static String[] markerKeys(KeyGroupRange range, int maxParallelism) {
        String[] keys = new String[range.getNumberOfKeyGroups()];
        int found = 0;
        for (int i = 0; found < keys.length; i++) {
            String key = "\u0000trending-window-marker-" + i;
            int kg = KeyGroupRangeAssignment.assignToKeyGroup(key, maxParallelism);
            if (range.contains(kg) && keys[kg - range.getStartKeyGroup()] == null) {
                keys[kg - range.getStartKeyGroup()] = key;
                found++;
            }
        }
        return keys;
    }
}
