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

class TrendingTopSerializerTest extends FormatSerializerContract<TrendingTop> {

    @Override
    protected TypeSerializer<TrendingTop> createSerializer() {
        return TrendingTopSerializer.INSTANCE;
    }

    @Override
    protected Class<TrendingTop> getTypeClass() {
        return TrendingTop.class;
    }

    @Override
    protected TrendingTop[] getTestData() {
        Random r = new Random(13);
        return Stream.concat(Stream.of(TrendingTop.empty("shop", 0, 0), TrendingTop.empty("cat:x", 5, 50)),
                Stream.generate(() -> {
                    TrendingTop t = TrendingTop.empty("cat:" + ShopEventSamples.string(r), r.nextLong(),
                            1 + r.nextInt(60));
                    t.total = r.nextDouble() * 1e4;
                    int n = r.nextInt(120);
                    for (int i = 0; i < n; i++) {
                        t.offer("item" + r.nextInt(500), r.nextDouble() * 100);
                    }
                    return t;
                }).limit(40)).toArray(TrendingTop[]::new);
    }

    @Test
    void flinksTypeExtractionPicksIt() {
        assertThat(TypeInformation.of(TrendingTop.class).createSerializer(new SerializerConfigImpl()))
                .isSameAs(TrendingTopSerializer.INSTANCE);
    }

    @Test
    void aListKeepsTheBestKByScoreThenIdWhateverTheOrderTheyCameIn() {
        Random r = new Random(3);
        for (int round = 0; round < 50; round++) {
            int k = 1 + r.nextInt(8);
            java.util.List<Object[]> all = new java.util.ArrayList<>();
            for (int i = 0; i < 30; i++) {
                all.add(new Object[] {"i" + i, (double) r.nextInt(6)}); // many ties
            }
            TrendingTop whole = TrendingTop.empty("shop", 0, k);
            TrendingTop a = TrendingTop.empty("shop", 0, k);
            TrendingTop b = TrendingTop.empty("shop", 0, k);
            java.util.Collections.shuffle(all, r);
            for (int i = 0; i < all.size(); i++) {
                whole.offer((String) all.get(i)[0], (double) all.get(i)[1]);
                (i % 2 == 0 ? a : b).offer((String) all.get(i)[0], (double) all.get(i)[1]);
            }
            a.merge(b);
            all.sort(java.util.Comparator.comparingDouble((Object[] x) -> -(double) x[1])
                    .thenComparing(x -> (String) x[0]));
            String[] expected = all.stream().limit(k).map(x -> (String) x[0]).toArray(String[]::new);
            assertThat(java.util.Arrays.copyOf(whole.items, whole.size)).containsExactly(expected);
            assertThat(java.util.Arrays.copyOf(a.items, a.size)).as("merged halves").containsExactly(expected);
        }
    }
}
