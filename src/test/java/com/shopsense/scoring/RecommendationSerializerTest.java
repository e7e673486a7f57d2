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

class RecommendationSerializerTest extends FormatSerializerContract<Recommendation> {

    @Override
    protected TypeSerializer<Recommendation> createSerializer() {
        return RecommendationSerializer.INSTANCE;
    }

    @Override
    protected Class<Recommendation> getTypeClass() {
        return Recommendation.class;
    }

    @Override
    protected Recommendation[] getTestData() {
        Random r = new Random(5);
        return Stream.generate(() -> list(r)).limit(40).toArray(Recommendation[]::new);
    }

    /** A list of 0-20 items (numeric ids and odd strings), with or without recent items and an event id. */
    static Recommendation list(Random r) {
        int n = r.nextInt(21);
        String[] items = new String[n];
        float[] scores = new float[n];
        for (int i = 0; i < n; i++) {
            items[i] = r.nextInt(5) == 0 ? ShopEventSamples.string(r) : Integer.toString(r.nextInt(5_000_000));
            scores[i] = r.nextFloat();
        }
        String[] recent = r.nextInt(6) == 0 ? null : new String[] {ShopEventSamples.string(r), "i" + r.nextInt()};
        return new Recommendation(ShopEventSamples.string(r), items, scores,
                r.nextBoolean() ? Recommendation.MODEL : Recommendation.TRENDING, "recommend", "v" + r.nextInt(),
                r.nextLong(), r.nextBoolean() ? null : "e" + r.nextInt(), recent);
    }

    @Test
    void flinksTypeExtractionPicksIt() {
        assertThat(TypeInformation.of(Recommendation.class).createSerializer(new SerializerConfigImpl()))
                .isSameAs(RecommendationSerializer.INSTANCE);
    }
}
