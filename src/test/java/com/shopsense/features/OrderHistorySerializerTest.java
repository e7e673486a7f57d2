package com.shopsense.features;

import static org.assertj.core.api.Assertions.assertThat;

import com.shopsense.serial.FormatSerializerContract;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.flink.api.common.typeutils.TypeSerializer;

class OrderHistorySerializerTest extends FormatSerializerContract<OrderHistory> {

    @Override
    protected TypeSerializer<OrderHistory> createSerializer() {
        return OrderHistorySerializer.INSTANCE;
    }

    @Override
    protected Class<OrderHistory> getTypeClass() {
        return OrderHistory.class;
    }

    @Override
    protected void deepEquals(String message, OrderHistory should, OrderHistory is) {
        assertThat(HistoryComparison.held(is)).as(message).isEqualTo(HistoryComparison.held(should));
    }

    @Override
    protected OrderHistory[] getTestData() {
        Random r = new Random(8);
        return Stream.generate(() -> HistorySamples.orders(r)).limit(100).toArray(OrderHistory[]::new);
    }
}
