package com.shopsense.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class RecoDeltaCombinerTest {
    private static final long T = 1_700_000_000_000L;

    private static OneInputStreamOperatorTestHarness<RecoDelta, RecoDelta> combiner() throws Exception {
        var h = new OneInputStreamOperatorTestHarness<>(new RecoDeltaCombiner(Duration.ofSeconds(1)));
        h.open();
        return h;
    }

    @Test
    void sumsPerVersionAndSecondAreEmittedBeforeTheWatermark() throws Exception {
        try (var h = combiner()) {
            h.processElement(new StreamRecord<>(RecoDelta.impression("A"), T + 100));
            h.processElement(new StreamRecord<>(RecoDelta.impression("A"), T + 900));
            h.processElement(new StreamRecord<>(RecoDelta.click("A"), T + 500));
            h.processElement(new StreamRecord<>(RecoDelta.impression("A"), T + 1_200));
            h.processElement(new StreamRecord<>(RecoDelta.impression("B"), T + 300));
            assertThat(h.getOutput()).as("held until the watermark").isEmpty();
            h.processWatermark(new Watermark(T + 1_000));

            List<Object> out = new ArrayList<>(h.getOutput());
            assertThat(out).hasSize(4);
            assertThat(out.get(3)).as("the watermark after the sums").isEqualTo(new Watermark(T + 1_000));
            assertThat(out.subList(0, 3)).containsExactlyInAnyOrder(
                    new StreamRecord<>(new RecoDelta("A", 2, 1, 0), T),
                    new StreamRecord<>(new RecoDelta("A", 1, 0, 0), T + 1_000),
                    new StreamRecord<>(new RecoDelta("B", 1, 0, 0), T));
        }
    }

    @Test
    void evaluatedListsAreSummedPerSource() throws Exception {
        try (var h = combiner()) {
            h.processElement(new StreamRecord<>(RecoDelta.evaluated("A", false, 2), T + 100));
            h.processElement(new StreamRecord<>(RecoDelta.evaluated("A", false, 0), T + 200));
            h.processElement(new StreamRecord<>(RecoDelta.evaluated("A", true, 5), T + 300));
            h.processElement(new StreamRecord<>(RecoDelta.impression("A"), T + 400));
            h.processWatermark(new Watermark(T + 1_000));
            assertThat(h.extractOutputValues()).containsExactly(new RecoDelta("A", 1, 0, 0,
                    new RecoQuality(2, 1, RecoQuality.RR_UNIT / 2), new RecoQuality(1, 1, RecoQuality.RR_UNIT / 5)));
        }
    }

    @Test
    void nothingIsHeldOverACheckpointBarrier() throws Exception {
        try (var h = combiner()) {
            h.processElement(new StreamRecord<>(RecoDelta.conversion("A"), T));
            h.prepareSnapshotPreBarrier(1);
            assertThat(h.extractOutputValues()).containsExactly(new RecoDelta("A", 0, 0, 1));
            h.processWatermark(new Watermark(T + 1_000));
            assertThat(h.extractOutputValues()).as("emitted once").hasSize(1);
        }
    }

    @Test
    void deltasWithoutATimestampPassAtOnce() throws Exception {
        try (var h = combiner()) {
            h.processElement(new StreamRecord<>(RecoDelta.click("A")));
            assertThat(h.extractOutputValues()).containsExactly(RecoDelta.click("A"));
        }
    }

    /** The aggregator's emissions (totals and sequence) are the same with and without the combiner before it. */
    @Test
    void theAggregatorEmitsTheSameTotalsBehindTheCombiner() throws Exception {
        Random rnd = new Random(7);
        List<Object> input = new ArrayList<>();
        long wm = T;
        for (int i = 0; i < 2_000; i++) {
            if (rnd.nextInt(10) == 0) {
                wm += rnd.nextInt(700);
                input.add(new Watermark(wm));
            } else {
                String v = rnd.nextBoolean() ? "A" : "B";
                RecoDelta d = switch (rnd.nextInt(3)) {
                    case 0 -> RecoDelta.impression(v);
                    case 1 -> RecoDelta.click(v);
                    default -> RecoDelta.conversion(v);
                };
                input.add(new StreamRecord<>(d, wm - 500 + rnd.nextInt(3_000))); // some late, most ahead
            }
        }
        input.add(new Watermark(Long.MAX_VALUE));

        List<RecoAbTotals> direct;
        try (var agg = aggregator()) {
            for (Object o : input) {
                feed(agg, o);
            }
            direct = agg.extractOutputValues();
        }
        List<RecoAbTotals> combined;
        try (var c = combiner(); var agg = aggregator()) {
            for (Object o : input) {
                if (o instanceof Watermark w) {
                    c.processWatermark(w);
                } else {
                    c.processElement(cast(o));
                }
                for (Object e : c.getOutput()) {
                    feed(agg, e);
                }
                c.getOutput().clear();
            }
            combined = agg.extractOutputValues();
        }
        assertThat(direct).hasSizeGreaterThan(100);
        // Per version in order (timers of different keys at one time fire in no defined order).
        for (String v : List.of("A", "B")) {
            assertThat(combined.stream().filter(t -> t.modelVersion().equals(v)).toList()).as(v)
                    .containsExactlyElementsOf(direct.stream().filter(t -> t.modelVersion().equals(v)).toList());
        }
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, RecoDelta, RecoAbTotals> aggregator()
            throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new RecoAbAggregator()),
                RecoDelta::modelVersion, Types.STRING);
        h.open();
        return h;
    }

    private static void feed(KeyedOneInputStreamOperatorTestHarness<String, RecoDelta, RecoAbTotals> h, Object o)
            throws Exception {
        if (o instanceof Watermark w) {
            h.processWatermark(w);
        } else {
            h.processElement(cast(o));
        }
    }

    @SuppressWarnings("unchecked")
    private static StreamRecord<RecoDelta> cast(Object o) {
        return (StreamRecord<RecoDelta>) o;
    }
}
