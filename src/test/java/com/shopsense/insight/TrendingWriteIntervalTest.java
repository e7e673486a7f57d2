package com.shopsense.insight;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * {@code trending.min-write-interval} in {@link TrendingTopK}: a scope's lists are written at most once per interval
 * of processing time; what is written is the scope's lists without those a newer one replaced within the
 * interval, the newest is never lost (written when the interval ends, or at the end of the input), and a waiting
 * list survives a restore.
 */
class TrendingWriteIntervalTest {
    private static final long PANE = 60_000L;
    private static final long T0 = 1_700_000_040_000L - Math.floorMod(1_700_000_040_000L, PANE);
    private static final TrendingSpec SPEC = new TrendingSpec(10 * PANE, PANE, 5 * PANE, 1, 3, 1, 3, 5);
    private static final long INTERVAL = 10_000L;
    private static final String[] SCOPES = {TrendingSpec.SHOP, "cat:a", "cat:b"};

    @Test
    void aListThatComesWithinTheIntervalWaitsAndANewerOneReplacesIt() throws Exception {
        Run r = new Run(INTERVAL);
        r.paneEnd(0, 0, "x");              // first list of the scope: written at once
        r.paneEnd(1, 2_000, "y");          // 2 s later: waits
        r.paneEnd(2, 4_000, "z");          // replaces it
        assertThat(r.windowsWritten(TrendingSpec.SHOP)).containsExactly(T0 + PANE);
        r.clock(10_000);                   // the interval since the first write has passed
        assertThat(r.windowsWritten(TrendingSpec.SHOP)).containsExactly(T0 + PANE, T0 + 3 * PANE);
        assertThat(r.written.get(1).list.itemIds()).containsExactly("z");
        assertThat(r.written.get(1).at).isEqualTo(10_000);
    }

    @Test
    void theEndOfTheInputWritesEachScopesNewestListAtOnceAndNothingElse() throws Exception {
        Run r = new Run(INTERVAL);
        r.paneEnd(0, 0, "x");
        r.paneEnd(1, 1_000, "y");          // waits
        r.h.processWatermark(Long.MAX_VALUE);
        r.drain(1_000, true);
        // The scope's newest list is the empty one that ends it (no part for the next window): y is never written.
        assertThat(r.windowsWritten(TrendingSpec.SHOP)).containsExactly(T0 + PANE, T0 + 3 * PANE);
        assertThat(r.written.get(1).list.isEmpty()).isTrue();
        assertThat(r.written.get(1).at).as("written without waiting for the clock").isEqualTo(1_000);
        r.h.snapshot(2, 1_000); // the task writes its heap to keyed state at a barrier
        assertThat(r.h.numKeyedStateEntries()).as("scope state after its empty list").isZero();
        assertThat(r.h.numEventTimeTimers()).as("scope timers after its empty list").isZero();
    }

    @Test
    void aWaitingListSurvivesARestore() throws Exception {
        Run r = new Run(INTERVAL);
        r.paneEnd(0, 0, "x");
        r.paneEnd(1, 1_000, "y");
        OperatorSubtaskState s = r.h.snapshot(1, 1_000);
        r.h.close();
        Run restored = new Run(INTERVAL, s, 1_000);
        restored.clock(10_000);
        assertThat(restored.windowsWritten(TrendingSpec.SHOP)).containsExactly(T0 + 2 * PANE);
        assertThat(restored.written.get(0).list.itemIds()).containsExactly("y");
    }

    /**
     * A checkpoint of the previous release (lists and timers in keyed state per scope) restores into this one: the
     * waiting list is written, the open window's parts are merged with those that come after the restore, and an
     * ending scope still gets its empty list.
     */
    @Test
    void aCheckpointOfThePreviousVersionRestores() throws Exception {
        Run old = Run.previousVersion(INTERVAL);
        old.paneEnd(0, 0, new String[][] {{"x"}, {"a"}, {}});
        old.paneEnd(1, 1_000, new String[][] {{"y"}, {"b"}, {}}); // both wait
        long open = T0 + 3 * PANE;
        TrendingTop part = TrendingTop.empty(TrendingSpec.SHOP, open, SPEC.topK());
        part.offer("w", 1.0);
        part.total = 1.0;
        old.h.processElement(new StreamRecord<>(part, open - 1)); // one item subtask's part; the other's comes later
        OperatorSubtaskState s = old.h.snapshot(1, 1_000);
        old.h.close();

        Run restored = new Run(INTERVAL, s, 1_000);
        restored.clock(1_000);
        assertThat(restored.written).extracting(w -> w.list.scope() + "@" + (w.list.windowEnd() - T0) / PANE + "="
                + String.join(",", w.list.itemIds())).containsExactlyInAnyOrder("shop@2=y", "cat:a@2=b");
        TrendingTop other = TrendingTop.empty(TrendingSpec.SHOP, open, SPEC.topK());
        other.offer("v", 2.0);
        other.total = 2.0;
        restored.h.processElement(new StreamRecord<>(other, open - 1));
        restored.h.processWatermark(TrendingSpec.fireAt(open));
        restored.clock(20_000);
        assertThat(restored.written).extracting(w -> w.list.scope() + "@" + (w.list.windowEnd() - T0) / PANE + "="
                + String.join(",", w.list.itemIds()))
                .containsExactlyInAnyOrder("shop@2=y", "cat:a@2=b", "shop@3=v,w", "cat:a@3=");
        assertThat(restored.of(TrendingSpec.SHOP).get(1).list.total()).as("both parts of the open window")
                .isEqualTo(3.0);
        restored.h.processWatermark(Long.MAX_VALUE);
        restored.h.snapshot(2, 20_000);
        assertThat(restored.h.numKeyedStateEntries()).as("the ended scope's state").isEqualTo(0);
    }

    @Test
    void zeroWritesEveryWindow() throws Exception {
        Run r = new Run(0);
        r.paneEnd(0, 0, "x");
        r.paneEnd(1, 0, "y");
        r.paneEnd(2, 0, "z");
        assertThat(r.windowsWritten(TrendingSpec.SHOP)).containsExactly(T0 + PANE, T0 + 2 * PANE, T0 + 3 * PANE);
    }

    /**
     * Any pane ends at any processing times: against writing every window (interval 0), per scope, what is written
     * is a subsequence of every window's lists in order, ending with the same list; two writes are at least the
     * interval apart unless the input has ended or the earlier one ended the scope; every list is written, or
     * replaced by a newer one, by the first clock tick at or after the interval; no state or event-time timer is
     * left beyond what writing every window leaves.
     */
    @Property(tries = 300)
    void writesAreTheWindowsListsSpacedOutByTheIntervalAndTheNewestIsNeverLost(
            @ForAll("steps") List<Step> steps) throws Exception {
        Run every = new Run(0);
        Run spaced = new Run(INTERVAL);
        long clock = 0;
        List<Long> ticks = new ArrayList<>();
        for (int pane = 0; pane < steps.size(); pane++) {
            Step st = steps.get(pane);
            clock += st.advanceMs;
            ticks.add(clock);
            every.paneEnd(pane, clock, st.items);
            spaced.paneEnd(pane, clock, st.items);
        }
        every.h.processWatermark(Long.MAX_VALUE);
        every.drain(clock, true);
        spaced.h.processWatermark(Long.MAX_VALUE);
        spaced.drain(clock, true);

        for (String scope : SCOPES) {
            List<Written> all = every.of(scope);
            List<Written> got = spaced.of(scope);
            assertThat(all.isEmpty()).as("%s listed at all", scope).isEqualTo(got.isEmpty());
            if (all.isEmpty()) {
                continue;
            }
            List<Long> allWindows = all.stream().map(w -> w.list.windowEnd()).toList();
            int from = 0;
            for (Written w : got) {
                int at = allWindows.subList(from, allWindows.size()).indexOf(w.list.windowEnd());
                assertThat(at).as("%s window %d is one of the windows, in order", scope, w.list.windowEnd())
                        .isNotNegative();
                Written same = all.get(from + at);
                assertThat(w.list.itemIds()).as("%s items of window %d", scope, w.list.windowEnd())
                        .containsExactly(same.list.itemIds());
                from += at + 1;
            }
            assertThat(got.get(got.size() - 1).list.windowEnd()).as("%s newest list", scope)
                    .isEqualTo(all.get(all.size() - 1).list.windowEnd());
            for (int i = 1; i < got.size(); i++) {
                Written prev = got.get(i - 1);
                Written w = got.get(i);
                if (!w.afterEnd && !prev.list.isEmpty()) {
                    assertThat(w.at - prev.at).as("%s writes %d and %d apart", scope, i - 1, i)
                            .isGreaterThanOrEqualTo(INTERVAL);
                }
            }
            for (Written w : all) {
                long deadline = w.afterEnd ? Long.MAX_VALUE
                        : ticks.stream().filter(t -> t >= w.at + INTERVAL).findFirst().orElse(Long.MAX_VALUE);
                assertThat(got.stream().anyMatch(g -> g.list.windowEnd() >= w.list.windowEnd()
                        && (g.at <= deadline || g.afterEnd)))
                        .as("%s window %d written or replaced by a tick after the interval", scope, w.list.windowEnd())
                        .isTrue();
            }
        }
        every.h.snapshot(1, clock);
        spaced.h.snapshot(1, clock);
        assertThat(spaced.h.numKeyedStateEntries()).as("state left").isEqualTo(every.h.numKeyedStateEntries());
        assertThat(spaced.h.numEventTimeTimers()).as("event-time timers left").isEqualTo(every.h.numEventTimeTimers());
    }

    /** One pane end: how far the processing clock moved since the previous one, and each scope's items (or none). */
    record Step(long advanceMs, String[][] items) {
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Long> advance = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, Arbitraries.longs().between(0, 3_000)),
                net.jqwik.api.Tuple.of(1, Arbitraries.longs().between(3_000, 25_000)));
        Arbitrary<String[]> scopeItems = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(1, Arbitraries.just(new String[0])),
                net.jqwik.api.Tuple.of(3, Arbitraries.of("p", "q", "r", "s").array(String[].class).ofMinSize(1)
                        .ofMaxSize(3)));
        Arbitrary<String[][]> items = scopeItems.array(String[][].class).ofSize(SCOPES.length);
        return Combinators.combine(advance, items).as(Step::new).list().ofMinSize(1).ofMaxSize(25);
    }

    record Written(TrendingList list, long at, boolean afterEnd) {
    }

    /** One TrendingTopK task, its processing clock and everything it wrote. */
    private static final class Run {
        final KeyedOneInputStreamOperatorTestHarness<String, TrendingTop, TrendingList> h;
        final List<Written> written = new ArrayList<>();

        Run(long intervalMs) throws Exception {
            this(intervalMs, null, 0);
        }

        Run(long intervalMs, OperatorSubtaskState restored, long clock) throws Exception {
            this(new TrendingTopK(SPEC, intervalMs), restored, clock);
        }

        /** The task of the previous release (a KeyedProcessFunction), whose checkpoints the current one restores. */
        static Run previousVersion(long intervalMs) throws Exception {
            return new Run(new KeyedProcessOperator<>(new PreviousTrendingTopK(SPEC, intervalMs)), null, 0);
        }

        private Run(OneInputStreamOperator<TrendingTop, TrendingList> operator, OperatorSubtaskState restored,
                long clock) throws Exception {
            h = new KeyedOneInputStreamOperatorTestHarness<>(operator, (TrendingTop t) -> t.scope, Types.STRING);
            h.setProcessingTime(clock);
            if (restored != null) {
                h.initializeState(restored);
            }
            h.open();
        }

        /** The parts of pane end {@code pane} for the shop-wide scope (one item each), then its watermark. */
        void paneEnd(int pane, long clock, String... items) throws Exception {
            paneEnd(pane, clock, new String[][] {items});
        }

        /** Scope i gets one part holding items[i] (none when empty), at processing time clock, then the watermark. */
        void paneEnd(int pane, long clock, String[][] items) throws Exception {
            clock(clock);
            long end = T0 + (pane + 1) * PANE;
            for (int i = 0; i < items.length; i++) {
                if (items[i].length == 0) {
                    continue;
                }
                TrendingTop t = TrendingTop.empty(SCOPES[i], end, SPEC.topK());
                for (int j = 0; j < items[i].length; j++) {
                    t.offer(items[i][j], 1.0 + j);
                    t.total += 1.0 + j;
                }
                h.processElement(new StreamRecord<>(t, end - 1));
            }
            h.processWatermark(TrendingSpec.fireAt(end));
            drain(clock, false);
        }

        void clock(long clock) throws Exception {
            h.setProcessingTime(clock);
            drain(clock, false);
        }

        void drain(long clock, boolean afterEnd) {
            Object o;
            while ((o = h.getOutput().poll()) != null) {
                if (o instanceof StreamRecord<?> rec) {
                    written.add(new Written((TrendingList) rec.getValue(), clock, afterEnd));
                }
            }
        }

        List<Written> of(String scope) {
            return written.stream().filter(w -> w.list.scope().equals(scope)).toList();
        }

        List<Long> windowsWritten(String scope) {
            return of(scope).stream().map(w -> w.list.windowEnd()).toList();
        }
    }
}
