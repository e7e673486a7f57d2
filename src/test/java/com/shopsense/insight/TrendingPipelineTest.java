package com.shopsense.insight;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.shopsense.event.EventType;
import com.shopsense.event.ShopEvent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * Trending lists (docs/insight.md "Trending items") through the three operators, as the job runs them on two
 * subtasks (items split between two item tasks by key group, each with its own combiner): every list of every
 * scope and window must equal the one computed here straight from the events and the definition (weights, pane
 * decay, window, minimum support, top-k), also across a restore, a rescale and an upgrade from the previous
 * version's checkpoint; a scope's list must end with an empty one, and no state or timer may outlive the window.
 */
class TrendingPipelineTest {
    private static final long MIN = 60_000L;
    private static final long T0 = 1_700_000_000_000L - Math.floorMod(1_700_000_000_000L, 3_600_000L);
    /** 20-min window of 5-min panes, half-life 10 min, support 3, top 4; weights 1 / 3 / 5. */
    private static final TrendingSpec SPEC = new TrendingSpec(20 * MIN, 5 * MIN, 10 * MIN, 3, 4, 1, 3, 5);
    private static final long OUT_OF_ORDER = 3 * MIN;

    @Test
    void listsEqualThoseComputedFromTheEventsForEveryScopeAndWindow() throws Exception {
        for (long seed = 1; seed <= 4; seed++) {
            List<ShopEvent> events = randomEvents(new Random(seed), 1500);
            // seed 2: restored mid-run; 3: rescaled 2 -> 3 item subtasks; 4: from the previous version's
            // checkpoint, onto one subtask
            Pipeline p = switch ((int) seed) {
                case 2 -> new Pipeline(SPEC, 6);
                case 3 -> new Pipeline(SPEC, 9, 3, false);
                case 4 -> new Pipeline(SPEC, 11, 1, true);
                default -> new Pipeline(SPEC, -1);
            };
            Map<String, TrendingList> actual = p.run(events, new Random(seed * 7));
            Map<String, TrendingList> expected = reference(events, SPEC);
            assertThat(expected.values().stream().filter(l -> !l.isEmpty() && l.categoryId() != null).count())
                    .as("category lists in the reference, seed %d", seed).isGreaterThan(20);
            assertThat(expected.values().stream().filter(TrendingList::isEmpty).count())
                    .as("lists that end, seed %d", seed).isPositive();
            assertThat(actual.keySet()).as("scope@window of every list, seed %d", seed)
                    .containsExactlyInAnyOrderElementsOf(expected.keySet());
            for (Map.Entry<String, TrendingList> e : expected.entrySet()) {
                TrendingList a = actual.get(e.getKey());
                assertThat(a.itemIds()).as("items of %s, seed %d", e.getKey(), seed)
                        .containsExactly(e.getValue().itemIds());
                for (int i = 0; i < a.scores().length; i++) {
                    assertThat(a.scores()[i]).as("score %d of %s", i, e.getKey())
                            .isCloseTo(e.getValue().scores()[i], within(1e-9));
                }
                assertThat(a.total()).as("total of %s", e.getKey()).isCloseTo(e.getValue().total(), within(1e-6));
            }
            p.assertNoStateLeft();
        }
    }

    @Test
    void anItemKeepsTheCategoryOfItsLatestEvent() throws Exception {
        List<ShopEvent> events = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            events.add(event("a" + i, "u" + i, EventType.VIEW, T0 + i * 1000, "moved", "old"));
        }
        events.add(event("b", "u9", EventType.ADD_TO_CART, T0 + 4 * MIN, "moved", "new"));
        Map<String, TrendingList> lists = new Pipeline(SPEC, -1).run(events, new Random(1));
        long end = T0 + 5 * MIN;
        assertThat(lists.get("cat:new@" + end).itemIds()).containsExactly("moved");
        assertThat(lists).doesNotContainKey("cat:old@" + end);
        assertThat(lists.get("shop@" + end).scores()[0]).isEqualTo(3 * 1 + 3, within(1e-12));
        // Two panes later the pane is 10 min old: half its weight; 20 min on it has left the window.
        assertThat(lists.get("shop@" + (end + 10 * MIN)).scores()[0]).isEqualTo(3.0, within(1e-12));
        assertThat(lists.get("shop@" + (end + 20 * MIN)).isEmpty()).isTrue();
    }

    @Test
    void belowTheMinimumSupportAnItemCountsInTheTotalButIsNotListed() throws Exception {
        List<ShopEvent> events = List.of(
                event("1", "u1", EventType.ORDER, T0, "rare", "c"),
                event("2", "u2", EventType.ORDER, T0 + 1, "rare", "c"),
                event("3", "u3", EventType.VIEW, T0 + 2, "common", "c"),
                event("4", "u4", EventType.VIEW, T0 + 3, "common", "c"),
                event("5", "u5", EventType.VIEW, T0 + 4, "common", "c"));
        Map<String, TrendingList> lists = new Pipeline(SPEC, -1).run(events, new Random(1));
        TrendingList c = lists.get("cat:c@" + (T0 + 5 * MIN));
        assertThat(c.itemIds()).containsExactly("common");
        assertThat(c.total()).isEqualTo(2 * 5 + 3, within(1e-12));
        assertThat(c.share(0)).isEqualTo(3.0 / 13, within(1e-12));
    }

    @Test
    void theCombinerHoldsEventsUntilTheWatermarkOrCheckpoint() throws Exception {
        try (OneInputStreamOperatorTestHarness<ShopEvent, TrendingPane> combiner =
                new OneInputStreamOperatorTestHarness<>(new TrendingPaneCombiner(SPEC))) {
            combiner.open();
            for (int i = 0; i < 600; i++) {
                combiner.processElement(new StreamRecord<>(event("e" + i, "u", i % 3 == 0 ? EventType.SEARCH
                        : EventType.VIEW, T0 + i * 1000L, "item" + (i % 2), "c")));
            }
            assertThat(combiner.getOutput()).as("nothing before a watermark").isEmpty();
            combiner.processWatermark(T0 + 600_000L);
            // 10 min of views of two items: 2 items x 2 panes, then the watermark; searches do not count
            assertThat(combiner.extractOutputValues()).extracting(TrendingPane::events).containsExactlyInAnyOrder(
                    100L, 100L, 100L, 100L);
            assertThat(new ArrayList<>(combiner.getOutput()).get(4)).isInstanceOf(Watermark.class);
            combiner.processElement(new StreamRecord<>(event("x", "u", EventType.ORDER, T0 + 700_000L, "item0", "c")));
            combiner.prepareSnapshotPreBarrier(1);
            assertThat(combiner.extractOutputValues()).as("flushed before the barrier").hasSize(5)
                    .last().extracting(TrendingPane::weight).isEqualTo(5L);
        }
    }

    @Test
    void aRescaleOfSubtasksAtDifferentWindowsSendsEveryItemsPartOfEveryWindowOnce() throws Exception {
        List<ShopEvent> events = randomEvents(new Random(5), 800);
        List<TrendingPane> panes = new ArrayList<>();
        try (var c = new OneInputStreamOperatorTestHarness<>(new TrendingPaneCombiner(SPEC))) {
            c.open();
            for (ShopEvent e : events) {
                c.processElement(new StreamRecord<>(e, e.timestampMs()));
            }
            c.processWatermark(Long.MAX_VALUE);
            panes.addAll(Pipeline.drain(c));
        }
        long mid = T0 + 90 * MIN;
        Map<String, TrendingTop> undisturbed = new HashMap<>();
        try (var one = windows(1, 0, null)) {
            panes.forEach(p -> process(one, p));
            one.processWatermark(Long.MAX_VALUE);
            collect(one, undisturbed);
        }
        // Two subtasks, the second 25 min of watermark ahead of the first when the checkpoint is taken.
        Map<String, TrendingTop> rescaled = new HashMap<>();
        List<OperatorSubtaskState> snapshots = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            try (var h = windows(2, i, null)) {
                for (TrendingPane p : panes) {
                    if (KeyGroupRangeAssignment.assignKeyToParallelOperator(p.itemId(), 128, 2) == i) {
                        process(h, p);
                    }
                }
                h.processWatermark(mid + i * 25 * MIN);
                collect(h, rescaled);
                snapshots.add(h.snapshot(1, 1));
            }
        }
        OperatorSubtaskState all = AbstractStreamOperatorTestHarness.repackageState(
                snapshots.toArray(new OperatorSubtaskState[0]));
        try (var h = windows(1, 0, AbstractStreamOperatorTestHarness.repartitionOperatorState(all, 128, 2, 1, 0))) {
            h.processWatermark(Long.MAX_VALUE);
            collect(h, rescaled);
        }
        assertThat(rescaled.keySet()).containsExactlyInAnyOrderElementsOf(undisturbed.keySet());
        undisturbed.forEach((k, v) -> {
            assertThat(rescaled.get(k).total).as("total of %s (a part sent twice doubles it)", k)
                    .isCloseTo(v.total, within(1e-9));
            assertThat(Arrays.copyOf(rescaled.get(k).items, rescaled.get(k).size)).as("items of %s", k)
                    .containsExactly(Arrays.copyOf(v.items, v.size));
        });
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, TrendingPane, TrendingTop> windows(int parallelism,
            int index, OperatorSubtaskState restored) throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(new TrendingItemWindows(SPEC), TrendingPane::itemId,
                Types.STRING, 128, parallelism, index);
        if (restored != null) {
            h.initializeState(restored);
        }
        h.open();
        return h;
    }

    private static void process(KeyedOneInputStreamOperatorTestHarness<String, TrendingPane, TrendingTop> h,
            TrendingPane p) {
        try {
            h.processElement(new StreamRecord<>(p, p.paneEnd() - 1));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** scope@window -> the parts merged as the scope task merges them. */
    private static void collect(KeyedOneInputStreamOperatorTestHarness<String, TrendingPane, TrendingTop> h,
            Map<String, TrendingTop> into) {
        for (TrendingTop t : Pipeline.<TrendingTop>drain(h)) {
            into.computeIfAbsent(t.scope + "@" + t.windowEnd, k -> TrendingTop.empty(t.scope, t.windowEnd,
                    SPEC.topK())).merge(t);
        }
    }

    /**
     * The three operators as the job runs them: two combiners, the item task on {@code parallelism} subtasks (items
     * routed by key group, as keyBy does), one scope task; fed batch by batch with a watermark after each. A pipeline
     * may start on the previous versions' item task ({@link TrendingItemCounts} + {@link TrendingTopCombiner}) and
     * scope task ({@link PreviousTrendingTopK}) and restore their snapshots into the current ones.
     */
    static final class Pipeline {
        private static final int MAX_PARALLELISM = 128;
        private final TrendingSpec spec;
        private final int restoreAfterBatch;
        private final int parallelismAfterRestore;
        private int parallelism = 2;
        private final List<OneInputStreamOperatorTestHarness<ShopEvent, TrendingPane>> paneCombiners = new ArrayList<>();
        private final List<KeyedOneInputStreamOperatorTestHarness<String, TrendingPane, TrendingTop>> items =
                new ArrayList<>();
        /** The previous version's item tasks and combiners, until the restore (empty when it starts on the current). */
        private final List<KeyedOneInputStreamOperatorTestHarness<String, TrendingPane, ItemTrend>> legacyItems =
                new ArrayList<>();
        private final List<OneInputStreamOperatorTestHarness<ItemTrend, TrendingTop>> legacyTops = new ArrayList<>();
        private KeyedOneInputStreamOperatorTestHarness<String, TrendingTop, TrendingList> topK;

        /** @param restoreAfterBatch after this batch the keyed tasks restart from a snapshot (-1: never) */
        Pipeline(TrendingSpec spec, int restoreAfterBatch) throws Exception {
            this(spec, restoreAfterBatch, 2, false);
        }

        /**
         * @param parallelismAfterRestore the item task's parallelism after the restore (rescaled from 2)
         * @param startOnPreviousVersion the item task runs the previous version until the restore
         */
        Pipeline(TrendingSpec spec, int restoreAfterBatch, int parallelismAfterRestore, boolean startOnPreviousVersion)
                throws Exception {
            this.spec = spec;
            this.restoreAfterBatch = restoreAfterBatch;
            this.parallelismAfterRestore = parallelismAfterRestore;
            for (int i = 0; i < 2; i++) {
                paneCombiners.add(new OneInputStreamOperatorTestHarness<>(new TrendingPaneCombiner(spec)));
                paneCombiners.get(i).open();
                if (startOnPreviousVersion) {
                    var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(
                            new TrendingItemCounts(spec)), TrendingPane::itemId, Types.STRING, MAX_PARALLELISM, 2, i);
                    h.open();
                    legacyItems.add(h);
                    legacyTops.add(new OneInputStreamOperatorTestHarness<>(new TrendingTopCombiner(spec)));
                    legacyTops.get(i).open();
                } else {
                    items.add(itemHarness(null, 2, i));
                }
            }
            if (startOnPreviousVersion) {
                topK = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(
                        new PreviousTrendingTopK(spec, 0)), (TrendingTop t) -> t.scope, Types.STRING);
                topK.open();
            } else {
                topK = topKHarness(null);
            }
        }

        private KeyedOneInputStreamOperatorTestHarness<String, TrendingPane, TrendingTop> itemHarness(
                OperatorSubtaskState restored, int parallelism, int index) throws Exception {
            var h = new KeyedOneInputStreamOperatorTestHarness<>(new TrendingItemWindows(spec), TrendingPane::itemId,
                    Types.STRING, MAX_PARALLELISM, parallelism, index);
            if (restored != null) {
                h.initializeState(restored);
            }
            h.open();
            return h;
        }

        private KeyedOneInputStreamOperatorTestHarness<String, TrendingTop, TrendingList> topKHarness(
                OperatorSubtaskState restored) throws Exception {
            var h = new KeyedOneInputStreamOperatorTestHarness<>(new TrendingTopK(spec, 0), (TrendingTop t) -> t.scope,
                    Types.STRING);
            if (restored != null) {
                h.initializeState(restored);
            }
            h.open();
            return h;
        }

        /** Every list emitted, by "scope@windowEnd". Events arrive shuffled within the out-of-orderness. */
        Map<String, TrendingList> run(List<ShopEvent> events, Random r) throws Exception {
            List<ShopEvent> arrival = new ArrayList<>(events);
            Map<ShopEvent, Long> jitter = new HashMap<>();
            for (ShopEvent e : arrival) {
                jitter.put(e, e.timestampMs() + (long) (r.nextDouble() * OUT_OF_ORDER));
            }
            arrival.sort(Comparator.comparingLong(jitter::get));
            Map<String, TrendingList> out = new HashMap<>();
            long maxTs = Long.MIN_VALUE;
            int batch = 0;
            for (int i = 0; i < arrival.size(); i += 37) {
                for (ShopEvent e : arrival.subList(i, Math.min(arrival.size(), i + 37))) {
                    maxTs = Math.max(maxTs, e.timestampMs());
                    paneCombiners.get(r.nextInt(2)).processElement(new StreamRecord<>(e, e.timestampMs()));
                }
                advance(maxTs - OUT_OF_ORDER - 1, out);
                if (++batch == restoreAfterBatch) {
                    restore();
                }
            }
            advance(Long.MAX_VALUE, out);
            return out;
        }

        private void restore() throws Exception {
            List<OperatorSubtaskState> snapshots = new ArrayList<>();
            for (var h : legacyItems.isEmpty() ? items : legacyItems) {
                snapshots.add(h.snapshot(1, 1));
                h.close();
            }
            OperatorSubtaskState all = AbstractStreamOperatorTestHarness.repackageState(
                    snapshots.toArray(new OperatorSubtaskState[0]));
            items.clear();
            legacyItems.clear();
            legacyTops.clear();
            for (int i = 0; i < parallelismAfterRestore; i++) {
                items.add(itemHarness(AbstractStreamOperatorTestHarness.repartitionOperatorState(all, MAX_PARALLELISM,
                        parallelism, parallelismAfterRestore, i), parallelismAfterRestore, i));
            }
            parallelism = parallelismAfterRestore;
            OperatorSubtaskState s = topK.snapshot(1, 1);
            topK.close();
            topK = topKHarness(s);
        }

        private int subtaskOf(String item) {
            return KeyGroupRangeAssignment.assignKeyToParallelOperator(item, MAX_PARALLELISM, parallelism);
        }

        private void advance(long watermark, Map<String, TrendingList> out) throws Exception {
            for (var c : paneCombiners) {
                c.processWatermark(watermark);
                for (TrendingPane p : drain(c)) {
                    StreamRecord<TrendingPane> r = new StreamRecord<>(p, p.paneEnd() - 1);
                    if (legacyItems.isEmpty()) {
                        items.get(subtaskOf(p.itemId())).processElement(r);
                    } else {
                        legacyItems.get(subtaskOf(p.itemId())).processElement(r);
                    }
                }
            }
            List<TrendingTop> parts = new ArrayList<>();
            for (var h : items) {
                h.processWatermark(watermark);
                parts.addAll(drain(h));
            }
            for (int i = 0; i < legacyItems.size(); i++) {
                legacyItems.get(i).processWatermark(watermark);
                for (ItemTrend t : drain(legacyItems.get(i))) {
                    legacyTops.get(i).processElement(new StreamRecord<>(t, t.windowEnd() - 1));
                }
                legacyTops.get(i).processWatermark(watermark);
                parts.addAll(drain(legacyTops.get(i)));
            }
            for (TrendingTop t : parts) {
                topK.processElement(new StreamRecord<>(t, t.windowEnd - 1));
            }
            topK.processWatermark(watermark);
            for (TrendingList l : drain(topK)) {
                assertThat(out.put(l.scope() + "@" + l.windowEnd(), l)).as("one list per scope and window").isNull();
            }
        }

        @SuppressWarnings("unchecked")
        private static <T> List<T> drain(OneInputStreamOperatorTestHarness<?, T> h) {
            List<T> values = new ArrayList<>();
            Object o;
            while ((o = h.getOutput().poll()) != null) {
                if (o instanceof StreamRecord<?> rec) {
                    values.add((T) rec.getValue());
                }
            }
            return values;
        }

        /** After the last window: no item, no marker, no timer, and no scope state. */
        void assertNoStateLeft() throws Exception {
            for (var h : items) {
                h.snapshot(2, 2); // the item task writes its heap to keyed state when it snapshots
                assertThat(h.numKeyedStateEntries()).as("item state after the last window").isZero();
                assertThat(h.numEventTimeTimers()).as("item timers after the last window").isZero();
            }
            topK.snapshot(2, 2); // so does the scope task
            assertThat(topK.numKeyedStateEntries()).as("scope state after the last list").isZero();
            assertThat(topK.numEventTimeTimers()).as("scope timers after the last list").isZero();
        }
    }

    /**
     * The definition, straight from the events: for every pane end E from the first event's to one window after
     * the last, per scope, the items with at least minSupport events in [E - window, E), scored by the sum over
     * their panes (oldest first) of the pane's weights times 2^-((E - paneEnd) / halfLife); the best topK by
     * score, then id; the total over every item; and an empty list at the first E without one after a list.
     */
    static Map<String, TrendingList> reference(List<ShopEvent> events, TrendingSpec spec) {
        // item -> pane end -> {weight, events}; item -> category (fixed per item in these fixtures)
        Map<String, TreeMap<Long, long[]>> panes = new HashMap<>();
        Map<String, String> category = new HashMap<>();
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (ShopEvent e : events) {
            if (e.itemId() == null || !(e.type() == EventType.VIEW || e.type() == EventType.ADD_TO_CART
                    || e.type() == EventType.ORDER)) {
                continue;
            }
            long end = e.timestampMs() - Math.floorMod(e.timestampMs(), spec.paneMs()) + spec.paneMs();
            long w = switch (e.type()) {
                case VIEW -> spec.viewWeight();
                case ADD_TO_CART -> spec.cartWeight();
                default -> spec.orderWeight();
            };
            long[] c = panes.computeIfAbsent(e.itemId(), k -> new TreeMap<>()).computeIfAbsent(end, k -> new long[2]);
            c[0] += w;
            c[1]++;
            if (e.categoryId() != null) {
                category.put(e.itemId(), e.categoryId());
            }
            first = Math.min(first, end);
            last = Math.max(last, end);
        }
        Map<String, TrendingList> out = new HashMap<>();
        Map<String, Boolean> listedBefore = new HashMap<>();
        for (long end = first; end <= last + spec.windowMs() + spec.paneMs(); end += spec.paneMs()) {
            Map<String, List<Object[]>> listed = new HashMap<>(); // scope -> {item, score}
            Map<String, Double> totals = new HashMap<>();
            for (Map.Entry<String, TreeMap<Long, long[]>> item : panes.entrySet()) {
                double score = 0;
                long support = 0;
                for (Map.Entry<Long, long[]> p : item.getValue().subMap(end - spec.windowMs(), false, end, true)
                        .entrySet()) {
                    score += p.getValue()[0] * Math.pow(2.0, -(double) (end - p.getKey()) / spec.halfLifeMs());
                    support += p.getValue()[1];
                }
                if (support == 0) {
                    continue;
                }
                List<String> scopes = new ArrayList<>(List.of("shop"));
                if (category.containsKey(item.getKey())) {
                    scopes.add("cat:" + category.get(item.getKey()));
                }
                for (String scope : scopes) {
                    totals.merge(scope, score, Double::sum);
                    if (support >= spec.minSupport()) {
                        listed.computeIfAbsent(scope, k -> new ArrayList<>()).add(new Object[] {item.getKey(), score});
                    }
                }
            }
            for (Map.Entry<String, List<Object[]>> s : listed.entrySet()) {
                List<Object[]> l = s.getValue();
                l.sort(Comparator.comparingDouble((Object[] a) -> -(double) a[1]).thenComparing(a -> (String) a[0]));
                List<Object[]> top = l.subList(0, Math.min(spec.topK(), l.size()));
                String cat = s.getKey().startsWith("cat:") ? s.getKey().substring(4) : null;
                out.put(s.getKey() + "@" + end, new TrendingList(s.getKey(), cat, end,
                        top.stream().map(a -> (String) a[0]).toArray(String[]::new),
                        top.stream().mapToDouble(a -> (double) a[1]).toArray(), totals.get(s.getKey())));
            }
            for (Map.Entry<String, Boolean> before : listedBefore.entrySet()) {
                if (before.getValue() && !listed.containsKey(before.getKey())) {
                    String cat = before.getKey().startsWith("cat:") ? before.getKey().substring(4) : null;
                    out.put(before.getKey() + "@" + end, new TrendingList(before.getKey(), cat, end, new String[0],
                            new double[0], 0.0));
                }
            }
            listedBefore.replaceAll((k, v) -> false);
            listed.keySet().forEach(k -> listedBefore.put(k, true));
        }
        return out;
    }

    /** Views, carts, orders and searches of 300 items in 12 categories (a few without one) over 3 hours. */
    private static List<ShopEvent> randomEvents(Random r, int n) {
        List<ShopEvent> events = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int item = (int) Math.floor(Math.pow(r.nextDouble(), 2) * 300); // a few items are hot
            EventType type = switch (r.nextInt(10)) {
                case 0 -> EventType.SEARCH;
                case 1, 2 -> EventType.ADD_TO_CART;
                case 3 -> EventType.ORDER;
                default -> EventType.VIEW;
            };
            long ts = T0 + (long) (r.nextDouble() * 180 * MIN);
            events.add(event("e" + i, "u" + r.nextInt(200), type, ts, "i" + item,
                    item % 25 == 0 ? null : "c" + (item % 12)));
        }
        return events;
    }

    static ShopEvent event(String id, String user, EventType type, long ts, String item, String category) {
        return ShopEvent.builder(id, user, type, ts).itemId(item).categoryId(category).build();
    }
}
