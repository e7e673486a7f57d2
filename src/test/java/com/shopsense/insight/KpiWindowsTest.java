package com.shopsense.insight;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * KPI windows are sums of pre-aggregated panes; they must equal the windows counted straight from their
 * definition (README "Live KPIs"), "active sessions" included, however the facts are split between
 * combiners and watermarks.
 */
class KpiWindowsTest {
    private static final long MIN = 60_000L;
    private static final long T0 = 1_700_000_000_000L - Math.floorMod(1_700_000_000_000L, 3_600_000L);
    private static final KpiSpec ONE_MINUTE = KpiSpec.of(Duration.ofMinutes(1), Duration.ofMinutes(1), Duration.ofMinutes(30));
    private static final KpiSpec ONE_HOUR = KpiSpec.of(Duration.ofHours(1), Duration.ofMinutes(5), Duration.ofMinutes(30));
    private static final List<KpiSpec> SPECS = List.of(ONE_MINUTE, ONE_HOUR);

    /** An event fact of a session, with the session it belongs to (for the reference count). */
    private record Fact(KpiFact fact, String session) {
    }

    @Test
    void windowsFromPanesEqualWindowsCountedFromTheirDefinition() throws Exception {
        for (long seed = 1; seed <= 5; seed++) {
            List<Fact> facts = randomSessions(new Random(seed), 400);
            Map<String, Map<Long, KpiWindow>> actual = runThroughOperators(facts, new Random(seed * 31));
            for (KpiSpec spec : SPECS) {
                Map<Long, KpiCounts> expected = reference(facts, spec);
                assertThat(actual.get(spec.name()).keySet()).as("window ends of %s, seed %d", spec.name(), seed)
                        .containsExactlyElementsOf(expected.keySet());
                for (Map.Entry<Long, KpiCounts> e : expected.entrySet()) {
                    assertSame(actual.get(spec.name()).get(e.getKey()), e.getValue(), spec.name() + " @" + e.getKey());
                }
            }
        }
    }

    @Test
    void theCombinerHoldsFactsUntilTheWatermarkOrCheckpointAndEmitsThemFirst() throws Exception {
        try (OneInputStreamOperatorTestHarness<KpiFact, KpiPane> combiner =
                new OneInputStreamOperatorTestHarness<>(new KpiPaneCombiner(List.of(ONE_HOUR)))) {
            combiner.open();
            for (int i = 0; i < 1000; i++) {
                combiner.processElement(new StreamRecord<>(event(T0 + i * 1000L, -1)));
            }
            assertThat(combiner.getOutput()).as("nothing before a watermark").isEmpty();
            combiner.processWatermark(T0 + 1000 * 1000L);
            List<Object> out = new ArrayList<>(combiner.getOutput());
            // 1000 s of facts fall into 4 five-minute panes, emitted before the watermark that follows them
            assertThat(out).hasSize(5);
            assertThat(out.get(4)).isInstanceOf(org.apache.flink.streaming.api.watermark.Watermark.class);
            assertThat(combiner.extractOutputValues()).extracting(p -> p.events).containsExactlyInAnyOrder(300L, 300L,
                    300L, 100L);

            combiner.processElement(new StreamRecord<>(event(T0 + 2_000_000L, -1)));
            combiner.prepareSnapshotPreBarrier(1);
            assertThat(combiner.extractOutputValues()).as("flushed before the checkpoint barrier").hasSize(5);
        }
    }

    @Test
    void aPaneLateForSomeWindowsCountsInTheOthersAndIsReportedLate() throws Exception {
        KpiSpec spec = KpiSpec.of(Duration.ofMinutes(15), Duration.ofMinutes(5), Duration.ZERO);
        try (KeyedOneInputStreamOperatorTestHarness<String, KpiPane, KpiWindow> windows = windowsHarness(List.of(spec))) {
            windows.processElement(new StreamRecord<>(pane(spec, T0, 2)));
            // windows ending T0+5, +10, +15 min hold the pane; the first one is written at T0+5min-1
            windows.processWatermark(T0 + 5 * MIN - 1);
            assertThat(windows.extractOutputValues()).extracting(KpiWindow::events).containsExactly(2L);
            windows.processElement(new StreamRecord<>(pane(spec, T0, 3))); // late for the written window only
            windows.processWatermark(Long.MAX_VALUE);
            assertThat(windows.extractOutputValues()).extracting(KpiWindow::end, KpiWindow::events).containsExactly(
                    org.assertj.core.groups.Tuple.tuple(T0 + 5 * MIN, 2L),
                    org.assertj.core.groups.Tuple.tuple(T0 + 10 * MIN, 5L),
                    org.assertj.core.groups.Tuple.tuple(T0 + 15 * MIN, 5L));
            windows.processElement(new StreamRecord<>(pane(spec, T0, 7))); // late for all three: dropped
            assertThat(windows.extractOutputValues()).hasSize(3);
            assertThat(windows.numKeyedStateEntries()).as("panes kept after their last window").isZero();
        }
    }

    private static KpiPane pane(KpiSpec spec, long start, int events) {
        KpiPane p = KpiPane.empty(spec, start);
        for (int i = 0; i < events; i++) {
            p.add(event(start + i, -1), spec);
        }
        return p;
    }

    private static KpiFact event(long ts, long previousTs) {
        return new KpiFact(ts, previousTs, 1, 1, 0, 0, 0.0, 0, 0, 0, 0, 0, 0);
    }

    /** Sessions of 1-12 events, 0-40 min apart, starting over 6 hours; plus ends and scored payments. */
    private static List<Fact> randomSessions(Random r, int sessions) {
        List<Fact> facts = new ArrayList<>();
        for (int s = 0; s < sessions; s++) {
            String id = "s" + s;
            long ts = T0 + (long) (r.nextDouble() * 6 * 60 * MIN);
            long previous = -1;
            int n = 1 + r.nextInt(12);
            int carts = 0;
            int orders = 0;
            for (int i = 0; i < n; i++) {
                int kind = r.nextInt(10);
                boolean cart = kind == 7 || kind == 8;
                boolean order = kind == 9;
                carts += cart ? 1 : 0;
                orders += order ? 1 : 0;
                facts.add(new Fact(new KpiFact(ts, previous, 1, kind < 7 ? 1 : 0, cart ? 1 : 0, order ? 1 : 0,
                        order ? 10.0 + r.nextInt(90) : 0.0, 0, 0, 0, 0, 0, 0), id));
                if (order && r.nextBoolean()) {
                    facts.add(new Fact(new KpiFact(ts, Long.MAX_VALUE, 0, 0, 0, 0, 0.0, 0, 0, 0, 0, 1,
                            r.nextInt(5) == 0 ? 1 : 0), null));
                }
                previous = ts;
                ts += (long) (r.nextDouble() * 40 * MIN);
            }
            facts.add(new Fact(new KpiFact(previous, Long.MAX_VALUE, 0, 0, 0, 0, 0.0, 1, orders > 0 ? 1 : 0,
                    carts > 0 ? 1 : 0, carts > 0 && orders == 0 ? 1 : 0, 0, 0), null));
        }
        // Arrival: by time, give or take up to 10 minutes across sessions (a session's own events stay in order).
        Map<Fact, Long> arrival = new HashMap<>();
        Map<String, Long> lastArrival = new HashMap<>();
        for (Fact f : facts) {
            long a = f.fact().ts() + (long) (r.nextDouble() * 10 * MIN);
            if (f.session() != null) {
                a = Math.max(a, lastArrival.getOrDefault(f.session(), Long.MIN_VALUE) + 1);
                lastArrival.put(f.session(), a);
            }
            arrival.put(f, a);
        }
        facts.sort(Comparator.comparingLong(arrival::get));
        return facts;
    }

    /** Two combiners get a random split of the facts; watermarks lag the newest fact by 10 minutes. */
    private static Map<String, Map<Long, KpiWindow>> runThroughOperators(List<Fact> facts, Random r) throws Exception {
        List<OneInputStreamOperatorTestHarness<KpiFact, KpiPane>> combiners = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            OneInputStreamOperatorTestHarness<KpiFact, KpiPane> c =
                    new OneInputStreamOperatorTestHarness<>(new KpiPaneCombiner(SPECS));
            c.open();
            combiners.add(c);
        }
        Map<String, Map<Long, KpiWindow>> out = new HashMap<>();
        try (KeyedOneInputStreamOperatorTestHarness<String, KpiPane, KpiWindow> windows = windowsHarness(SPECS)) {
            long maxTs = Long.MIN_VALUE;
            int sinceWatermark = 0;
            for (Fact f : facts) {
                combiners.get(r.nextInt(2)).processElement(new StreamRecord<>(f.fact(), f.fact().ts()));
                maxTs = Math.max(maxTs, f.fact().ts());
                if (++sinceWatermark > 25 + r.nextInt(50)) {
                    advance(combiners, windows, maxTs - 10 * MIN);
                    sinceWatermark = 0;
                }
            }
            advance(combiners, windows, Long.MAX_VALUE);
            for (KpiWindow w : windows.extractOutputValues()) {
                assertThat(out.computeIfAbsent(w.window(), k -> new TreeMap<>()).put(w.end(), w))
                        .as("window %s %d written once", w.window(), w.end()).isNull();
            }
            assertThat(windows.numKeyedStateEntries()).as("no pane outlives its windows").isZero();
        }
        for (OneInputStreamOperatorTestHarness<KpiFact, KpiPane> c : combiners) {
            c.close();
        }
        return out;
    }

    private static void advance(List<OneInputStreamOperatorTestHarness<KpiFact, KpiPane>> combiners,
            KeyedOneInputStreamOperatorTestHarness<String, KpiPane, KpiWindow> windows, long watermark) throws Exception {
        for (OneInputStreamOperatorTestHarness<KpiFact, KpiPane> c : combiners) {
            c.processWatermark(watermark);
            for (KpiPane p : c.extractOutputValues()) {
                windows.processElement(new StreamRecord<>(p, p.start));
            }
            c.getOutput().clear();
        }
        windows.processWatermark(watermark);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, KpiPane, KpiWindow> windowsHarness(List<KpiSpec> specs)
            throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, KpiPane, KpiWindow> h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new KpiWindows(specs)), p -> p.window, Types.STRING);
        h.open();
        return h;
    }

    /** Every window that holds a fact, counted fact by fact; active sessions as distinct sessions. */
    private static Map<Long, KpiCounts> reference(List<Fact> facts, KpiSpec spec) {
        Map<Long, KpiCounts> windows = new TreeMap<>();
        Map<Long, Set<String>> active = new HashMap<>();
        for (Fact fact : facts) {
            KpiFact f = fact.fact();
            for (long start = spec.paneStart(f.ts()); start > f.ts() - spec.sizeMs(); start -= spec.slideMs()) {
                long end = start + spec.sizeMs();
                KpiCounts c = windows.computeIfAbsent(end, k -> new KpiCounts());
                c.events += f.events();
                c.views += f.views();
                c.cartAdds += f.cartAdds();
                c.orders += f.orders();
                c.revenue += f.revenue();
                c.sessions += f.sessions();
                c.convertedSessions += f.convertedSessions();
                c.cartSessions += f.cartSessions();
                c.abandonedSessions += f.abandonedSessions();
                c.scoredPayments += f.scoredPayments();
                c.alerts += f.alerts();
                if (fact.session() != null) {
                    active.computeIfAbsent(end, k -> new HashSet<>()).add(fact.session());
                }
            }
        }
        windows.forEach((end, c) -> c.activeSessions = active.getOrDefault(end, Set.of()).size());
        return windows;
    }

    private static void assertSame(KpiWindow actual, KpiCounts expected, String at) {
        assertThat(actual).as(at).isNotNull();
        assertThat(new long[] {actual.events(), actual.activeSessions(), actual.views(), actual.cartAdds(),
                actual.orders(), actual.sessions(), actual.convertedSessions(), actual.cartSessions(),
                actual.abandonedSessions(), actual.scoredPayments(), actual.alerts()})
                .as(at + ": events, activeSessions, views, cartAdds, orders, sessions, converted, carts, abandoned, "
                        + "payments, alerts")
                .containsExactly(expected.events, expected.activeSessions, expected.views, expected.cartAdds,
                        expected.orders, expected.sessions, expected.convertedSessions, expected.cartSessions,
                        expected.abandonedSessions, expected.scoredPayments, expected.alerts);
        assertThat(actual.revenue()).as(at + ": revenue").isCloseTo(expected.revenue, within(1e-6));
    }
}
