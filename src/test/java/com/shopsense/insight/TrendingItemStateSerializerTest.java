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

class TrendingItemStateSerializerTest extends FormatSerializerContract<TrendingItemState> {

    @Override
    protected TypeSerializer<TrendingItemState> createSerializer() {
        return TrendingItemStateSerializer.INSTANCE;
    }

    @Override
    protected Class<TrendingItemState> getTypeClass() {
        return TrendingItemState.class;
    }

    @Override
    protected TrendingItemState[] getTestData() {
        Random r = new Random(11);
        return Stream.concat(Stream.of(new TrendingItemState()), Stream.generate(() -> {
            TrendingItemState s = new TrendingItemState();
            int n = r.nextInt(70);
            for (int i = 0; i < n; i++) {
                s.add(new TrendingPane("i", r.nextBoolean() ? null : ShopEventSamples.string(r), r.nextLong(),
                        60_000L * r.nextInt(100_000), r.nextInt(1000), 1 + r.nextInt(100)));
            }
            return s;
        }).limit(40)).toArray(TrendingItemState[]::new);
    }

    @Test
    void flinksTypeExtractionPicksIt() {
        assertThat(TypeInformation.of(TrendingItemState.class).createSerializer(new SerializerConfigImpl()))
                .isSameAs(TrendingItemStateSerializer.INSTANCE);
    }
}
