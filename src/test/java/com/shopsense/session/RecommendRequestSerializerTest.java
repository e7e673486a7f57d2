package com.shopsense.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.shopsense.event.EventRef;
import com.shopsense.event.ShopEventSamples;
import com.shopsense.serial.FormatSerializerContract;
import java.io.IOException;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.junit.jupiter.api.Test;

class RecommendRequestSerializerTest extends FormatSerializerContract<RecommendRequest> {

    @Override
    protected TypeSerializer<RecommendRequest> createSerializer() {
        return RecommendRequestSerializer.INSTANCE;
    }

    @Override
    protected Class<RecommendRequest> getTypeClass() {
        return RecommendRequest.class;
    }

    /** 0-20 recent items, with and without a category; a null ref, items and category; an empty session. */
    @Override
    protected RecommendRequest[] getTestData() {
        Random r = new Random(15);
        Stream<RecommendRequest> random = Stream.generate(() -> {
            String[] items = Stream.generate(() -> ShopEventSamples.string(r)).limit(r.nextInt(21))
                    .toArray(String[]::new);
            return new RecommendRequest(new EventRef(ShopEventSamples.string(r), ShopEventSamples.string(r),
                    r.nextLong()), items, r.nextBoolean() ? null : ShopEventSamples.string(r));
        }).limit(40);
        return Stream.concat(random, Stream.of(new RecommendRequest(null, null, null),
                new RecommendRequest(new EventRef("u", "e", 0L), new String[0], "c")))
                .toArray(RecommendRequest[]::new);
    }

    @Test
    void flinksTypeExtractionPicksIt() {
        assertThat(TypeInformation.of(RecommendRequest.class).createSerializer(new SerializerConfigImpl()))
                .isSameAs(RecommendRequestSerializer.INSTANCE);
    }

    @Test
    void aCopyIsTheRecordItself() {
        RecommendRequest r = getTestData()[0];
        assertThat(RecommendRequestSerializer.INSTANCE.copy(r)).isSameAs(r);
    }

    /** The recommend call's in-flight requests of the release before (PojoSerializer) restore into this one. */
    @Test
    void inFlightStateWrittenByThePojoSerializerIsMigrated() throws IOException {
        for (RecommendRequest q : getTestData()) {
            deepEquals("migrated", q, migratedFromPojo(q));
        }
    }
}
