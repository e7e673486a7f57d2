package com.shopsense.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import com.shopsense.event.ShopEventSamples;
import com.shopsense.scoring.Recommendation;
import com.shopsense.serial.FormatSerializerContract;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.junit.jupiter.api.Test;

class RecoShownSerializerTest extends FormatSerializerContract<RecoShown> {

    @Override
    protected TypeSerializer<RecoShown> createSerializer() {
        return RecoShownSerializer.INSTANCE;
    }

    @Override
    protected Class<RecoShown> getTypeClass() {
        return RecoShown.class;
    }

    /** Lists of 0-20 hashes (an empty list: a fallback before any trending list), null strings, a null array. */
    @Override
    protected RecoShown[] getTestData() {
        Random r = new Random(11);
        Stream<RecoShown> random = Stream.generate(() -> {
            long[] hashes = r.longs(r.nextInt(21)).toArray();
            return new RecoShown(ShopEventSamples.string(r), r.nextLong(), ShopEventSamples.string(r),
                    r.nextBoolean() ? Recommendation.MODEL : Recommendation.TRENDING, hashes);
        }).limit(40);
        return Stream.concat(random, Stream.of(new RecoShown(null, 0L, null, null, null),
                new RecoShown("u", Long.MIN_VALUE, "v1", Recommendation.MODEL, new long[0]))).toArray(RecoShown[]::new);
    }

    @Test
    void flinksTypeExtractionPicksIt() {
        assertThat(TypeInformation.of(RecoShown.class).createSerializer(new SerializerConfigImpl()))
                .isSameAs(RecoShownSerializer.INSTANCE);
    }

    @Test
    void aCopyIsTheRecordItself() {
        RecoShown r = getTestData()[0];
        assertThat(RecoShownSerializer.INSTANCE.copy(r)).isSameAs(r);
    }
}
