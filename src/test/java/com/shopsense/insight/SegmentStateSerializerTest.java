package com.shopsense.insight;

import static org.assertj.core.api.Assertions.assertThat;

import com.shopsense.event.ShopEventSamples;
import com.shopsense.serial.FormatSerializerContract;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.junit.jupiter.api.Test;

class SegmentStateSerializerTest extends FormatSerializerContract<SegmentState> {

    @Override
    protected TypeSerializer<SegmentState> createSerializer() {
        return SegmentStateSerializer.INSTANCE;
    }

    @Override
    protected Class<SegmentState> getTypeClass() {
        return SegmentState.class;
    }

    @Override
    protected SegmentState[] getTestData() {
        Random r = new Random(5);
        return Stream.concat(Stream.of(new SegmentState()), Stream.generate(() -> {
            SegmentState s = new SegmentState();
            s.segment = ShopEventSamples.string(r);
            s.orderSessions = r.nextInt(1000);
            s.spend = r.nextDouble() * 1e6;
            s.lastOrderTs = r.nextLong();
            s.churnScore = r.nextFloat();
            s.lastSessionEnd = r.nextLong();
            s.evaluatedAt = r.nextLong();
            s.timer = r.nextBoolean() ? Long.MAX_VALUE : r.nextLong();
            s.churnModel = r.nextInt(4) == 0 ? null : ShopEventSamples.string(r);
            return s;
        }).limit(60)).toArray(SegmentState[]::new);
    }

    @Test
    void stateOfFormat1RestoresWithNoChurnModelVersion() throws Exception {
        SegmentState written = getTestData()[3];
        written.churnModel = "v1";
        SegmentState restored = restoredFromFormat(SegmentStateSerializer.forFormat(1),
                new SegmentStateSerializer.Snapshot(), written);
        assertThat(restored.churnModel).isNull();
        written.churnModel = null;
        deepEquals("the rest as written", written, restored);
    }

    @Test
    void flinksTypeExtractionPicksIt() {
        assertThat(TypeInformation.of(SegmentState.class).createSerializer(new SerializerConfigImpl()))
                .isSameAs(SegmentStateSerializer.INSTANCE);
    }
}
