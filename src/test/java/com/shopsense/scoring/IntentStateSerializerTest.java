package com.shopsense.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.shopsense.event.ShopEventSamples;
import com.shopsense.serial.FormatSerializerContract;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.junit.jupiter.api.Test;

class IntentStateSerializerTest extends FormatSerializerContract<IntentState> {

    @Override
    protected TypeSerializer<IntentState> createSerializer() {
        return IntentStateSerializer.INSTANCE;
    }

    @Override
    protected Class<IntentState> getTypeClass() {
        return IntentState.class;
    }

    @Override
    protected IntentState[] getTestData() {
        Random r = new Random(3);
        return Stream.concat(Stream.of(new IntentState()), Stream.generate(() -> {
            IntentState s = new IntentState();
            s.sessionId = ShopEventSamples.string(r);
            int n = r.nextInt(4) == 0 ? r.nextInt(2) - 1 : 64; // null, empty or a GRU's 64 units
            if (n >= 0) {
                s.hidden = new float[n];
                for (int i = 0; i < n; i++) {
                    s.hidden[i] = r.nextInt(50) == 0 ? Float.NaN : (float) r.nextGaussian();
                }
            }
            if (r.nextBoolean()) { // what was last written to the score hash
                s.writtenProbability = r.nextFloat();
                s.writtenModel = r.nextInt(5) == 0 ? null : ShopEventSamples.string(r);
            }
            s.latestProbability = r.nextBoolean() ? r.nextFloat() : Float.NaN;
            s.highIntentSent = r.nextBoolean();
            return s;
        }).limit(60)).toArray(IntentState[]::new);
    }

    @Test
    void stateOfFormat1RestoresWithNoLatestProbabilityAndNoHighIntentSent() throws Exception {
        IntentState written = getTestData()[5];
        written.latestProbability = 0.8f;
        written.highIntentSent = true;
        IntentState restored = restoredFromFormat(IntentStateSerializer.forFormat(1), new IntentStateSerializer.Snapshot(),
                written);
        assertThat(restored.latestProbability).isNaN();
        assertThat(restored.highIntentSent).isFalse();
        written.latestProbability = Float.NaN;
        written.highIntentSent = false;
        deepEquals("the rest as written", written, restored);
    }

    @Test
    void stateOfFormat2RestoresWithEveryFieldButTheDroppedNewestEventTime() throws Exception {
        for (IntentState written : getTestData()) {
            deepEquals("format 2 -> 3", written, restoredFromFormat(IntentStateSerializer.forFormat(2),
                    new IntentStateSerializer.Snapshot(), written));
        }
    }

    @Test
    void flinksTypeExtractionPicksIt() {
        assertThat(TypeInformation.of(IntentState.class).createSerializer(new SerializerConfigImpl()))
                .isSameAs(IntentStateSerializer.INSTANCE);
    }
}
