package com.shopsense.features;

import static org.assertj.core.api.Assertions.assertThat;

import com.shopsense.serial.FormatSerializerContract;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.flink.api.common.typeutils.TypeSerializer;

class PaymentHistorySerializerTest extends FormatSerializerContract<PaymentHistory> {

    @Override
    protected TypeSerializer<PaymentHistory> createSerializer() {
        return PaymentHistorySerializer.INSTANCE;
    }

    @Override
    protected Class<PaymentHistory> getTypeClass() {
        return PaymentHistory.class;
    }

    @Override
    protected void deepEquals(String message, PaymentHistory should, PaymentHistory is) {
        assertThat(HistoryComparison.held(is)).as(message).isEqualTo(HistoryComparison.held(should));
    }

    @Override
    protected PaymentHistory[] getTestData() {
        Random r = new Random(7);
        return Stream.generate(() -> HistorySamples.payments(r)).limit(100).toArray(PaymentHistory[]::new);
    }
}
