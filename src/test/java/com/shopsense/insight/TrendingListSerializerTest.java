package com.shopsense.insight;

import static org.assertj.core.api.Assertions.assertThat;

import com.shopsense.event.ShopEventSamples;
import com.shopsense.serial.FormatSerializerContract;
import java.io.IOException;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.junit.jupiter.api.Test;

class TrendingListSerializerTest extends FormatSerializerContract<TrendingList> {

    @Override
    protected TypeSerializer<TrendingList> createSerializer() {
        return TrendingListSerializer.INSTANCE;
    }

    @Override
    protected Class<TrendingList> getTypeClass() {
        return TrendingList.class;
    }

    @Override
    protected TrendingList[] getTestData() {
        Random r = new Random(14);
        Stream<TrendingList> random = Stream.generate(() -> list(r)).limit(40);
        return Stream.concat(random, Stream.of(TrendingList.empty(TrendingSpec.SHOP, 0L),
                TrendingList.empty("cat:7", Long.MAX_VALUE), new TrendingList(null, null, 0L, null, null, Double.NaN)))
                .toArray(TrendingList[]::new);
    }

    /** The shop-wide list or a category's (its categoryId set), 0-50 items. */
    private static TrendingList list(Random r) {
        int n = r.nextInt(51);
        String[] items = new String[n];
        double[] scores = new double[n];
        for (int i = 0; i < n; i++) {
            items[i] = r.nextInt(5) == 0 ? ShopEventSamples.string(r) : Integer.toString(r.nextInt(5_000_000));
            scores[i] = r.nextDouble() * 100;
        }
        String category = r.nextBoolean() ? null : Integer.toString(r.nextInt(10_000));
        String scope = category == null ? TrendingSpec.SHOP : TrendingSpec.CATEGORY_PREFIX + category;
        return new TrendingList(scope, category, r.nextLong(), items, scores, r.nextDouble() * 1000);
    }

    @Test
    void flinksTypeExtractionPicksIt() {
        assertThat(TypeInformation.of(TrendingList.class).createSerializer(new SerializerConfigImpl()))
                .isSameAs(TrendingListSerializer.INSTANCE);
        // the fallback's broadcast state: its descriptor's serializer, as the operator initializes it
        TrendingFallback.LISTS.initializeSerializerUnlessSet(new ExecutionConfig());
        assertThat(TrendingFallback.LISTS.getValueSerializer()).isSameAs(TrendingListSerializer.INSTANCE);
    }

    /** The fallback's broadcast state of the release before (PojoSerializer) restores into this one. */
    @Test
    void broadcastStateWrittenByThePojoSerializerIsMigrated() throws IOException {
        for (TrendingList t : getTestData()) {
            deepEquals("migrated", t, migratedFromPojo(t));
        }
    }
}
