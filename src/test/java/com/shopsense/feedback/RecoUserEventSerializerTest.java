package com.shopsense.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import com.shopsense.event.ShopEventSamples;
import com.shopsense.serial.FormatSerializerContract;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.junit.jupiter.api.Test;

class RecoUserEventSerializerTest extends FormatSerializerContract<RecoUserEvent> {

    @Override
    protected TypeSerializer<RecoUserEvent> createSerializer() {
        return RecoUserEventSerializer.INSTANCE;
    }

    @Override
    protected Class<RecoUserEvent> getTypeClass() {
        return RecoUserEvent.class;
    }

    /** Every kind (flags 0-7, and a byte with the sign bit), with and without an item hash, a null user. */
    @Override
    protected RecoUserEvent[] getTestData() {
        Random r = new Random(12);
        Stream<RecoUserEvent> random = Stream.generate(() -> new RecoUserEvent(ShopEventSamples.string(r),
                r.nextLong(), (byte) r.nextInt(8), r.nextBoolean() ? 0L : r.nextLong())).limit(40);
        return Stream.concat(random, Stream.of(new RecoUserEvent(null, 0L, (byte) 0, 0L),
                new RecoUserEvent("u", -1L, (byte) -128, Long.MIN_VALUE))).toArray(RecoUserEvent[]::new);
    }

    @Test
    void flinksTypeExtractionPicksIt() {
        assertThat(TypeInformation.of(RecoUserEvent.class).createSerializer(new SerializerConfigImpl()))
                .isSameAs(RecoUserEventSerializer.INSTANCE);
    }
}
