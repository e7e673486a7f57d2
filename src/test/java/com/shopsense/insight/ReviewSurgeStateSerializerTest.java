package com.shopsense.insight;

import static org.assertj.core.api.Assertions.assertThat;

import com.shopsense.serial.FormatSerializerContract;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.junit.jupiter.api.Test;

class ReviewSurgeStateSerializerTest extends FormatSerializerContract<ReviewSurgeState> {

    @Override
    protected TypeSerializer<ReviewSurgeState> createSerializer() {
        return ReviewSurgeStateSerializer.INSTANCE;
    }

    @Override
    protected Class<ReviewSurgeState> getTypeClass() {
        return ReviewSurgeState.class;
    }

    @Override
    protected ReviewSurgeState[] getTestData() {
        Random r = new Random(9);
        return Stream.concat(Stream.of(new ReviewSurgeState()), Stream.generate(() -> {
            ReviewSurgeState s = new ReviewSurgeState();
            ReviewSurgeSpec spec = new ReviewSurgeSpec(1 + r.nextInt(30), 0.1, 1 + r.nextInt(20));
            int n = r.nextInt(200);
            for (int i = 0; i < n; i++) {
                s.offer(r.nextInt(4) == 0, spec);
            }
            return s;
        }).limit(30)).toArray(ReviewSurgeState[]::new);
    }

    @Test
    void flinksTypeExtractionPicksIt() {
        assertThat(TypeInformation.of(ReviewSurgeState.class).createSerializer(new SerializerConfigImpl()))
                .isSameAs(ReviewSurgeStateSerializer.INSTANCE);
    }
}
