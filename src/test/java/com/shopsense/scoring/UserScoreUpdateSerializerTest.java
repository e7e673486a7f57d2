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

class UserScoreUpdateSerializerTest extends FormatSerializerContract<UserScoreUpdate> {

    @Override
    protected TypeSerializer<UserScoreUpdate> createSerializer() {
        return UserScoreUpdateSerializer.INSTANCE;
    }

    @Override
    protected Class<UserScoreUpdate> getTypeClass() {
        return UserScoreUpdate.class;
    }

    /** 1-3 fields in or out of order, odd strings; empty and null arrays (the sink refuses them, the wire not). */
    @Override
    protected UserScoreUpdate[] getTestData() {
        Random r = new Random(16);
        Stream<UserScoreUpdate> random = Stream.generate(() -> {
            int n = 1 + r.nextInt(3);
            String[] fields = Stream.generate(() -> ShopEventSamples.string(r)).limit(n).toArray(String[]::new);
            String[] values = Stream.generate(() -> ShopEventSamples.string(r)).limit(n).toArray(String[]::new);
            return new UserScoreUpdate(ShopEventSamples.string(r), fields, values, r.nextLong(), r.nextBoolean());
        }).limit(40);
        return Stream.concat(random, Stream.of(new UserScoreUpdate("u", new String[0], new String[0], 0L, true),
                new UserScoreUpdate(null, null, null, -1L))).toArray(UserScoreUpdate[]::new);
    }

    @Test
    void flinksTypeExtractionPicksIt() {
        assertThat(TypeInformation.of(UserScoreUpdate.class).createSerializer(new SerializerConfigImpl()))
                .isSameAs(UserScoreUpdateSerializer.INSTANCE);
    }
}
