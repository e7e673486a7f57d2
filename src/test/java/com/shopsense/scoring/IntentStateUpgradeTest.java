package com.shopsense.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.shopsense.event.EventRef;
import com.shopsense.event.EventType;
import com.shopsense.features.IntentFeatureEncoder;
import com.shopsense.inference.ModelEntry;
import com.shopsense.inference.ModelInputs;
import com.shopsense.inference.RuntimeOptions;
import com.shopsense.inference.ServingModel;
import com.shopsense.inference.SharedModels;
import com.shopsense.session.CartAtClose;
import com.shopsense.session.SessionEvent;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The intent state of the release before (format 2, no TTL, kept after a session closed) restores on RocksDB into
 * this operator (format 3, with the profile's TTL): an open session continues from its hidden state, and its close
 * deletes it.
 */
class IntentStateUpgradeTest {
    private static final RuntimeOptions OPTIONS =
            new RuntimeOptions("onnx-models", "cpu", false, 0, 1, 8, Duration.ofMillis(5));
    private static final long T0 = 1_700_000_000_000L;

    /** What the release before kept: the same state name, format 2, no TTL. */
    static final class PreviousRelease extends AbstractStreamOperator<Void>
            implements OneInputStreamOperator<IntentState, Void> {
        private transient ValueState<IntentState> state;

        @Override
        public void open() throws Exception {
            super.open();
            state = getKeyedStateStore().getState(new ValueStateDescriptor<>("intent-state",
                    IntentStateSerializer.forFormat(2)));
        }

        @Override
        public void processElement(StreamRecord<IntentState> element) throws Exception {
            state.update(element.getValue());
        }
    }

    private static <I, O> KeyedOneInputStreamOperatorTestHarness<String, I, O> onRocksDb(
            KeyedOneInputStreamOperatorTestHarness<String, I, O> h) {
        h.setStateBackend(new EmbeddedRocksDBStateBackend());
        return h;
    }

    /** The keys with an intent state (RocksDB's harness counts no entries). */
    private static List<String> users(KeyedOneInputStreamOperatorTestHarness<String, ?, ?> h) throws Exception {
        KeyedStateBackend<String> backend = h.getOperator().getKeyedStateBackend();
        try (Stream<String> keys = backend.getKeys("intent-state", VoidNamespace.INSTANCE)) {
            return keys.toList();
        }
    }

    @Test
    void anOpenSessionContinuesFromThePreviousReleasesHiddenStateAndItsCloseDeletesIt() throws Exception {
        IntentState old = new IntentState();
        old.sessionId = "u-s0";
        Random r = new Random(5);
        old.hidden = new float[32];
        for (int i = 0; i < old.hidden.length; i++) {
            old.hidden[i] = (float) r.nextGaussian() * 0.3f;
        }
        old.writtenProbability = 0.05f;
        old.latestProbability = 0.05f;

        OperatorSubtaskState snapshot;
        try (var h = onRocksDb(new KeyedOneInputStreamOperatorTestHarness<String, IntentState, Void>(
                new PreviousRelease(), s -> s.sessionId.substring(0, 1), Types.STRING))) {
            h.open();
            h.processElement(new StreamRecord<>(old, T0));
            IntentState closedLongAgo = new IntentState();
            closedLongAgo.sessionId = "v-s0"; // a session the release before kept after its close
            h.processElement(new StreamRecord<>(closedLongAgo, T0));
            snapshot = h.snapshot(1L, T0);
        }

        try (SharedModels.Handle reference = SharedModels.acquire(OPTIONS, "intent")) {
            ModelEntry e = reference.manifestEntry();
            float[] dense = new float[e.input("dense").exampleSize()];
            dense[0] = 1f;
            var x = new IntentFeatureEncoder.Encoded(17, 3, dense);
            SessionEvent next = new SessionEvent(new EventRef("u", "e1", T0 + 1), "u-s0", EventType.VIEW, 1, T0, 0, x,
                    T0 + 1);
            try (var h = onRocksDb(new KeyedOneInputStreamOperatorTestHarness<String, SessionEvent, IntentScore>(
                    new IntentScoringOperator(OPTIONS, 0.02, Duration.ofDays(30)), SessionEvent::userId,
                    Types.STRING))) {
                h.initializeState(snapshot);
                h.open();
                assertThat(users(h)).as("both restored").containsExactlyInAnyOrder("u", "v");
                h.processElement(new StreamRecord<>(next, T0 + 1));
                h.processWatermark(new Watermark(T0 + 1)); // flushes the micro-batch

                Object[] in = new Object[e.inputs().size()];
                in[ModelInputs.inputIndex(e, "item_bucket")] = new long[] {17};
                in[ModelInputs.inputIndex(e, "category_bucket")] = new long[] {3};
                in[ModelInputs.inputIndex(e, "dense")] = dense;
                in[ModelInputs.inputIndex(e, "h")] = old.hidden;
                ServingModel.Result expected = reference.score(in).get();
                float p = ((float[]) expected.outputs()[ModelInputs.outputIndex(e, "p_purchase")])[0];
                assertThat(h.extractOutputValues()).singleElement().satisfies(s -> {
                    assertThat((double) s.probability()).as("stepped from the restored h").isCloseTo(p, within(1e-5));
                    assertThat(s.newestEventTime()).isEqualTo(T0 + 1);
                });

                h.processElement(new StreamRecord<>(new SessionEvent(new EventRef("u", null, T0 + 1), "u-s0", null, 2,
                        T0 + 1, 0, null, new CartAtClose(new String[0], 0, 0, "gap"), T0 + 1), T0 + 1));
                assertThat(users(h)).as("the close deleted u's; v's waits for its TTL").containsExactly("v");
            }
        }
    }
}
