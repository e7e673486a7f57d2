package com.shopsense.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.shopsense.event.ShopEventSamples;
import com.shopsense.serial.FormatSerializerContract;
import java.io.IOException;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.junit.jupiter.api.Test;

class ChurnRequestSerializerTest extends FormatSerializerContract<ChurnRequest> {

    @Override
    protected TypeSerializer<ChurnRequest> createSerializer() {
        return ChurnRequestSerializer.INSTANCE;
    }

    @Override
    protected Class<ChurnRequest> getTypeClass() {
        return ChurnRequest.class;
    }

    /** Customers (periods, orders) and prospects (no periods, no orders); a null summary; empty periods. */
    @Override
    protected ChurnRequest[] getTestData() {
        Random r = new Random(17);
        Stream<ChurnRequest> random = Stream.generate(() -> {
            boolean customer = r.nextBoolean();
            float[] periods = null;
            PurchaseSummary p = PurchaseSummary.NONE;
            if (customer) {
                periods = new float[4 * (1 + r.nextInt(6))];
                for (int i = 0; i < periods.length; i++) {
                    periods[i] = r.nextFloat() * 10;
                }
                p = new PurchaseSummary(1 + r.nextInt(20), r.nextDouble() * 1000, r.nextLong());
            }
            return new ChurnRequest(ShopEventSamples.string(r), ShopEventSamples.string(r), r.nextLong(), periods, p);
        }).limit(40);
        return Stream.concat(random, Stream.of(new ChurnRequest(null, null, 0L, null, null),
                new ChurnRequest("u", "s", 1L, new float[0], PurchaseSummary.NONE))).toArray(ChurnRequest[]::new);
    }

    @Test
    void flinksTypeExtractionPicksIt() {
        assertThat(TypeInformation.of(ChurnRequest.class).createSerializer(new SerializerConfigImpl()))
                .isSameAs(ChurnRequestSerializer.INSTANCE);
    }

    /** The churn call's in-flight requests of the release before (PojoSerializer) restore into this one. */
    @Test
    void inFlightStateWrittenByThePojoSerializerIsMigrated() throws IOException {
        for (ChurnRequest q : getTestData()) {
            deepEquals("migrated", q, migratedFromPojo(q));
        }
    }
}
