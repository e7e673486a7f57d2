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

class TrendingPaneSerializerTest extends FormatSerializerContract<TrendingPane> {

    @Override
    protected TypeSerializer<TrendingPane> createSerializer() {
        return TrendingPaneSerializer.INSTANCE;
    }

    @Override
    protected Class<TrendingPane> getTypeClass() {
        return TrendingPane.class;
    }

    /** Panes with and without a category (null when no event named one). */
    @Override
    protected TrendingPane[] getTestData() {
        Random r = new Random(13);
        return Stream.generate(() -> new TrendingPane(ShopEventSamples.string(r),
                r.nextBoolean() ? null : ShopEventSamples.string(r), r.nextLong(), r.nextLong(), r.nextInt(1000),
                r.nextLong())).limit(40).toArray(TrendingPane[]::new);
    }

    @Test
    void flinksTypeExtractionPicksIt() {
        assertThat(TypeInformation.of(TrendingPane.class).createSerializer(new SerializerConfigImpl()))
                .isSameAs(TrendingPaneSerializer.INSTANCE);
    }
}
