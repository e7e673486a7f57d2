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

class FraudRequestSerializerTest extends FormatSerializerContract<FraudRequest> {

    @Override
    protected TypeSerializer<FraudRequest> createSerializer() {
        return FraudRequestSerializer.INSTANCE;
    }

    @Override
    protected Class<FraudRequest> getTypeClass() {
        return FraudRequest.class;
    }

    /** Payments with and without merchant, device or card; 0-3 reasons; null parts and empty arrays. */
    @Override
    protected FraudRequest[] getTestData() {
        Random r = new Random(18);
        Stream<FraudRequest> random = Stream.generate(() -> {
            PaymentRef p = new PaymentRef(new EventRef(ShopEventSamples.string(r), ShopEventSamples.string(r),
                    r.nextLong()), ShopEventSamples.string(r), r.nextDouble() * 500, ShopEventSamples.string(r),
                    ShopEventSamples.string(r));
            return new FraudRequest(p, floats(r, 8 * r.nextInt(9)), floats(r, 24),
                    Stream.generate(() -> ShopEventSamples.string(r)).limit(r.nextInt(4)).toArray(String[]::new));
        }).limit(40);
        return Stream.concat(random, Stream.of(new FraudRequest(null, null, null, null),
                new FraudRequest(new PaymentRef(null, null, Double.NaN, null, null), new float[0], new float[0],
                        new String[0]))).toArray(FraudRequest[]::new);
    }

    private static float[] floats(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = r.nextFloat();
        }
        return a;
    }

    @Test
    void flinksTypeExtractionPicksIt() {
        assertThat(TypeInformation.of(FraudRequest.class).createSerializer(new SerializerConfigImpl()))
                .isSameAs(FraudRequestSerializer.INSTANCE);
    }

    /** The fraud call's in-flight requests of the release before (PojoSerializer) restore into this one. */
    @Test
    void inFlightStateWrittenByThePojoSerializerIsMigrated() throws IOException {
        for (FraudRequest q : getTestData()) {
            deepEquals("migrated", q, migratedFromPojo(q));
        }
    }
}
