package com.shopsense.insight;

import static org.assertj.core.api.Assertions.assertThat;

import com.shopsense.serial.FormatSerializerContract;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.junit.jupiter.api.Test;

class ReviewPanesSerializerTest extends FormatSerializerContract<ReviewPanes> {

    @Override
    protected TypeSerializer<ReviewPanes> createSerializer() {
        return ReviewPanesSerializer.INSTANCE;
    }

    @Override
    protected Class<ReviewPanes> getTypeClass() {
        return ReviewPanes.class;
    }

    @Override
    protected ReviewPanes[] getTestData() {
        Random r = new Random(5);
        return Stream.concat(Stream.of(new ReviewPanes()), Stream.generate(() -> {
            ReviewPanes p = new ReviewPanes();
            int n = r.nextInt(60);
            for (int i = 0; i < n; i++) {
                boolean scored = r.nextBoolean();
                p.add(86_400_000L * r.nextInt(40), new ReviewFact("item", "i", r.nextLong(), r.nextInt(6),
                        scored ? r.nextDouble() : Double.NaN, scored && r.nextBoolean(), scored ? "v" + r.nextInt(3)
                                : null));
            }
            return p;
        }).limit(30)).toArray(ReviewPanes[]::new);
    }

    @Test
    void flinksTypeExtractionPicksIt() {
        assertThat(TypeInformation.of(ReviewPanes.class).createSerializer(new SerializerConfigImpl()))
                .isSameAs(ReviewPanesSerializer.INSTANCE);
    }
}
