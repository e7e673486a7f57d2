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

class RecoOutcomeSerializerTest extends FormatSerializerContract<RecoOutcome> {

    @Override
    protected TypeSerializer<RecoOutcome> createSerializer() {
        return RecoOutcomeSerializer.INSTANCE;
    }

    @Override
    protected Class<RecoOutcome> getTypeClass() {
        return RecoOutcome.class;
    }

    @Override
    protected RecoOutcome[] getTestData() {
        Random r = new Random(5);
        return Stream.generate(() -> {
            Recommendation list = RecommendationSerializerTest.list(r);
            return r.nextBoolean() ? RecoOutcome.served(list)
                    : new RecoOutcome(list, true, r.nextBoolean() ? null : ShopEventSamples.string(r), r.nextInt(50));
        }).limit(40).toArray(RecoOutcome[]::new);
    }

    @Test
    void flinksTypeExtractionPicksIt() {
        assertThat(TypeInformation.of(RecoOutcome.class).createSerializer(new SerializerConfigImpl()))
                .isSameAs(RecoOutcomeSerializer.INSTANCE);
    }
}
