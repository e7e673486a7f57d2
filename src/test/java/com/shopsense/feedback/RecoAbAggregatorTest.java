package com.shopsense.feedback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class RecoAbAggregatorTest {
    private static final long T = 1_700_000_000_000L;

    @Test
    void exactTotalsPerVersionAreEmittedOncePerSecondOfEventTime() throws Exception {
        try (var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new RecoAbAggregator()),
                RecoDelta::modelVersion, Types.STRING)) {
            h.open();
            for (int i = 0; i < 10; i++) {
                h.processElement(new StreamRecord<>(RecoDelta.impression("A"), T + i * 100));
            }
            h.processElement(new StreamRecord<>(RecoDelta.click("A"), T + 500));
            h.processElement(new StreamRecord<>(RecoDelta.impression("B"), T + 700));
            h.processWatermark(new Watermark(T + 999));
            assertThat(emitted(h)).as("nothing before the end of the second").isEmpty();
            h.processWatermark(new Watermark(T + 1_000));
            h.processElement(new StreamRecord<>(RecoDelta.conversion("A"), T + 1_500));
            h.processWatermark(new Watermark(Long.MAX_VALUE));

            List<RecoAbTotals> out = emitted(h);
            assertThat(out).containsExactlyInAnyOrder(
                    new RecoAbTotals("A", 10, 1, 0, 11),
                    new RecoAbTotals("B", 1, 0, 0, 1),
                    new RecoAbTotals("A", 10, 1, 1, 12));
            RecoAbTotals a = out.stream().filter(t -> t.sequence() == 12).findFirst().orElseThrow();
            assertThat(a.ctr()).isEqualTo(0.1);
            assertThat(a.conversionRate()).isEqualTo(1.0);
        }
    }

    @Test
    void onlineQualityTotalsGiveHitRateAndMrrPerSourceAndBoth() throws Exception {
        try (var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new RecoAbAggregator()),
                RecoDelta::modelVersion, Types.STRING)) {
            h.open();
            int[] modelRanks = {1, 0, 4, 0, 0, 20};
            int[] trendingRanks = {3, 0};
            for (int r : modelRanks) {
                h.processElement(new StreamRecord<>(RecoDelta.evaluated("A", false, r), T));
            }
            for (int r : trendingRanks) {
                h.processElement(new StreamRecord<>(RecoDelta.evaluated("A", true, r), T));
            }
            h.processWatermark(new Watermark(Long.MAX_VALUE));

            RecoAbTotals a = emitted(h).get(0);
            assertThat(a.sequence()).as("one change per evaluated list").isEqualTo(8);
            assertThat(a.model().lists()).isEqualTo(6);
            assertThat(a.model().hitRate()).isEqualTo(3.0 / 6);
            assertThat(a.model().mrr()).isCloseTo((1.0 + 1.0 / 4 + 1.0 / 20) / 6, within(1e-12));
            assertThat(a.trending().hitRate()).isEqualTo(0.5);
            assertThat(a.trending().mrr()).isCloseTo((1.0 / 3) / 2, within(1e-12));
            assertThat(a.all().lists()).isEqualTo(8);
            assertThat(a.all().hitRate()).isEqualTo(4.0 / 8);
            assertThat(a.all().mrr()).isCloseTo((1.0 + 1.0 / 4 + 1.0 / 20 + 1.0 / 3) / 8, within(1e-12));
        }
    }

    private static List<RecoAbTotals> emitted(KeyedOneInputStreamOperatorTestHarness<String, RecoDelta, RecoAbTotals> h) {
        return h.extractOutputValues();
    }
}
