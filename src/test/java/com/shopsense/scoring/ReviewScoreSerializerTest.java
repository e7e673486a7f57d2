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

class ReviewScoreSerializerTest extends FormatSerializerContract<ReviewScore> {

    @Override
    protected TypeSerializer<ReviewScore> createSerializer() {
        return ReviewScoreSerializer.INSTANCE;
    }

    @Override
    protected Class<ReviewScore> getTypeClass() {
        return ReviewScore.class;
    }

    @Override
    protected ReviewScore[] getTestData() {
        Random r = new Random(3);
        return Stream.generate(() -> {
            Integer rating = r.nextBoolean() ? null : 1 + r.nextInt(5);
            String cat = r.nextBoolean() ? null : ShopEventSamples.string(r);
            if (r.nextInt(4) == 0) {
                return ReviewScore.unscored("e" + r.nextInt(), "u" + r.nextInt(), ShopEventSamples.string(r), cat,
                        r.nextLong(), rating == null ? 3 : rating);
            }
            return new ReviewScore("e" + r.nextInt(), ShopEventSamples.string(r), "i" + r.nextInt(), cat, r.nextLong(),
                    rating, r.nextFloat(), 1 + 4 * r.nextFloat(), r.nextDouble(), "v" + r.nextInt(9));
        }).limit(40).toArray(ReviewScore[]::new);
    }

    @Test
    void flinksTypeExtractionPicksIt() {
        assertThat(TypeInformation.of(ReviewScore.class).createSerializer(new SerializerConfigImpl()))
                .isSameAs(ReviewScoreSerializer.INSTANCE);
    }
}
