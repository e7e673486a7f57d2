package com.shopsense.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.shopsense.feedback.AlertQualityAggregator;
import com.shopsense.feedback.QualityCounts;
import com.shopsense.feedback.QualityDelta;
import com.shopsense.feedback.RecoAbAggregator;
import com.shopsense.feedback.RecoAbCounts;
import com.shopsense.feedback.RecoDelta;
import com.shopsense.insight.SegmentCounter;
import com.shopsense.insight.SegmentDelta;
import com.shopsense.insight.SegmentTotal;
import java.util.function.Function;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

/**
 * The three totals aggregators keep the keyed state they had before they shared {@code TotalsAggregator}
 * (same descriptor name, same POJO class), so savepoints of uids {@code alert-quality}, {@code reco-ab} and
 * {@code segment-counts} keep restoring: a snapshot of each is read back by a function that declares the state
 * as the pre-refactoring classes did.
 */
class AggregatorStateCompatibilityTest {

    /** Emits, per key, one field of the state declared as {@code new ValueStateDescriptor<>(name, type)}. */
    static final class StateReader<S> extends KeyedProcessFunction<String, String, String> {
        private final String name;
        private final Class<S> type;
        private final SerializableRead<S> read;
        private transient ValueState<S> state;

        interface SerializableRead<S> extends Function<S, Object>, java.io.Serializable {
        }

        StateReader(String name, Class<S> type, SerializableRead<S> read) {
            this.name = name;
            this.type = type;
            this.read = read;
        }

        @Override
        public void open(OpenContext ctx) {
            state = getRuntimeContext().getState(new ValueStateDescriptor<>(name, type));
        }

        @Override
        public void processElement(String key, Context ctx, Collector<String> out) throws Exception {
            S s = state.value();
            out.collect(key + "=" + (s == null ? "none" : read.apply(s)));
        }
    }

    private static <D> OperatorSubtaskState snapshotOf(KeyedProcessFunction<String, D, ?> f, KeySelector<D, String> key,
            D... deltas) throws Exception {
        try (var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(f), key, Types.STRING)) {
            h.open();
            for (D d : deltas) {
                h.processElement(new StreamRecord<>(d));
            }
            return h.snapshot(1L, 1L);
        }
    }

    private static <S> String readBack(OperatorSubtaskState snapshot, StateReader<S> reader, String key)
            throws Exception {
        try (var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(reader),
                (KeySelector<String, String>) k -> k, Types.STRING)) {
            h.initializeState(snapshot);
            h.open();
            h.processElement(new StreamRecord<>(key));
            return h.extractOutputValues().get(0);
        }
    }

    @Test
    void alertQualityKeepsItsState() throws Exception {
        OperatorSubtaskState s = snapshotOf(new AlertQualityAggregator(), QualityDelta::modelVersion,
                new QualityDelta("v1", 1, 0, 0, 0, 0), new QualityDelta("v1", 0, 1, 0, 1, 0));
        assertThat(readBack(s, new StateReader<>("alert-quality", QualityCounts.class,
                c -> c.alerts + "/" + c.alertedFraud + "/" + c.sequence), "v1")).isEqualTo("v1=1/1/2");
    }

    @Test
    void recoAbKeepsItsState() throws Exception {
        OperatorSubtaskState s = snapshotOf(new RecoAbAggregator(), RecoDelta::modelVersion,
                new RecoDelta("A", 1, 0, 0), new RecoDelta("A", 0, 1, 0), new RecoDelta("A", 1, 0, 0));
        assertThat(readBack(s, new StateReader<>("reco-ab-counts", RecoAbCounts.class,
                c -> c.impressions + "/" + c.clicks + "/" + c.sequence), "A")).isEqualTo("A=2/1/3");
    }

    @Test
    void segmentCountsKeepTheirState() throws Exception {
        OperatorSubtaskState s = snapshotOf(new SegmentCounter(), SegmentDelta::segment,
                new SegmentDelta("loyal", +1, 1, 5), new SegmentDelta("loyal", +1, 1, 6), new SegmentDelta("loyal", -1, 1, 7));
        assertThat(readBack(s, new StateReader<>("segment-total", SegmentTotal.class,
                t -> t.users + "/" + t.sequence), "loyal")).isEqualTo("loyal=1/3");
    }
}
