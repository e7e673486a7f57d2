package com.shopsense.insight;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** Segment changes summed per segment before the counter: the same counts and sequences, fewer writes. */
class SegmentDeltaCombinerTest {
    private static final String[] SEGMENTS = {"prospect", "new", "active", "loyal", "at_risk", "dormant"};

    private static OneInputStreamOperatorTestHarness<SegmentChange, SegmentDelta> combiner() throws Exception {
        var h = new OneInputStreamOperatorTestHarness<>(new SegmentDeltaCombiner());
        h.open();
        return h;
    }

    @Test
    void aReStatementOfTheSameSegmentMovesNobody() throws Exception {
        try (var h = combiner()) {
            h.processElement(new StreamRecord<>(new SegmentChange("p", "prospect", "prospect", 10), 10));
            h.processWatermark(new Watermark(20));
            assertThat(h.extractOutputValues()).isEmpty();
        }
    }

    @Test
    void aChangeIsMinusOneLeftAndPlusOneEnteredSummedUntilTheWatermark() throws Exception {
        try (var h = combiner()) {
            h.processElement(new StreamRecord<>(new SegmentChange("u1", null, "new", 10), 10));
            h.processElement(new StreamRecord<>(new SegmentChange("u2", null, "new", 11), 11));
            h.processElement(new StreamRecord<>(new SegmentChange("u1", "new", "active", 12), 12));
            assertThat(h.extractOutputValues()).as("held until the watermark").isEmpty();
            h.processWatermark(new Watermark(20));
            assertThat(h.extractOutputValues()).containsExactlyInAnyOrder(new SegmentDelta("new", 1, 3, 12),
                    new SegmentDelta("active", 1, 1, 12));
        }
    }

    @Test
    void nothingIsHeldOverACheckpointBarrier() throws Exception {
        try (var h = combiner()) {
            h.processElement(new StreamRecord<>(new SegmentChange("u1", "new", "loyal", 5), 5));
            h.prepareSnapshotPreBarrier(1);
            assertThat(h.extractOutputValues()).containsExactlyInAnyOrder(new SegmentDelta("new", -1, 1, 5),
                    new SegmentDelta("loyal", 1, 1, 5));
        }
    }

    /** Users moving between segments at random: the counter's final counts and sequences match, per segment. */
    @Test
    void theCounterEndsWithTheSameCountsAndSequencesBehindTheCombiner() throws Exception {
        Random rnd = new Random(11);
        Map<String, String> segmentOf = new HashMap<>();
        List<Object> input = new ArrayList<>();
        long t = 1_000;
        for (int i = 0; i < 3_000; i++) {
            if (rnd.nextInt(15) == 0) {
                input.add(new Watermark(t));
                continue;
            }
            String user = "u" + rnd.nextInt(200);
            String to = rnd.nextInt(20) == 0 ? null : SEGMENTS[rnd.nextInt(SEGMENTS.length)]; // null: left the counts
            String from = segmentOf.get(user);
            if (java.util.Objects.equals(from, to)) {
                continue;
            }
            if (to == null) {
                segmentOf.remove(user);
            } else {
                segmentOf.put(user, to);
            }
            t += rnd.nextInt(5);
            input.add(new StreamRecord<>(new SegmentChange(user, from, to, t), t));
        }
        input.add(new Watermark(Long.MAX_VALUE));

        Map<String, SegmentCount> direct = lastPerSegment(run(input, false));
        List<SegmentCount> combinedAll = run(input, true);
        Map<String, SegmentCount> combined = lastPerSegment(combinedAll);
        assertThat(combined).isEqualTo(direct);
        Map<String, Long> expected = new HashMap<>();
        segmentOf.values().forEach(s -> expected.merge(s, 1L, Long::sum));
        expected.forEach((s, n) -> assertThat(combined.get(s).users()).as(s).isEqualTo(n));
        assertThat(combinedAll.size()).as("fewer count writes").isLessThan(run(input, false).size() / 3);
    }

    private static Map<String, SegmentCount> lastPerSegment(List<SegmentCount> counts) {
        Map<String, SegmentCount> last = new HashMap<>();
        counts.forEach(c -> last.put(c.segment(), new SegmentCount(c.segment(), c.users(), c.sequence(), 0)));
        return last;
    }

    /** The counter behind the combiner, or behind single deltas (each change split into -1 / +1 as it comes). */
    @SuppressWarnings("unchecked")
    private static List<SegmentCount> run(List<Object> input, boolean combine) throws Exception {
        try (var c = combiner(); var counter = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new SegmentCounter()), SegmentDelta::segment, Types.STRING)) {
            counter.open();
            for (Object o : input) {
                if (o instanceof Watermark w) {
                    c.processWatermark(w);
                } else {
                    StreamRecord<SegmentChange> r = (StreamRecord<SegmentChange>) o;
                    c.processElement(r);
                    if (!combine) {
                        c.prepareSnapshotPreBarrier(0); // out at once: one delta per unit change
                    }
                }
                for (Object e : c.getOutput()) {
                    if (e instanceof StreamRecord<?> d) {
                        counter.processElement((StreamRecord<SegmentDelta>) d);
                    }
                }
                c.getOutput().clear();
            }
            return counter.extractOutputValues();
        }
    }
}
