package com.shopsense.features;

import static org.assertj.core.api.Assertions.assertThat;

import com.shopsense.event.EventType;
import com.shopsense.event.ShopEvent;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class PaymentHistoryTest {

    private static ShopEvent pay(int i, long ts, double amount) {
        return ShopEvent.builder("e" + i, "u", EventType.PAYMENT, ts).amount(amount).merchantId("T" + i).build();
    }

    @Test
    void keepsOnlyTheLastCapacityPaymentsOldestFirst() {
        PaymentHistory h = new PaymentHistory(4);
        for (int i = 0; i < 100; i++) {
            h.add(pay(i, 1_000L * i, i));
        }
        assertThat(h.length()).isEqualTo(4);
        assertThat(h.ts).containsExactly(96_000L, 97_000L, 98_000L, 99_000L);
        assertThat(h.merchantId).containsExactly("T96", "T97", "T98", "T99");
        assertThat(h.amount).containsExactly(96.0, 97.0, 98.0, 99.0);
    }

    @Test
    void latePaymentsAreInsertedInTimeOrderAndTooOldOnesDropped() {
        PaymentHistory h = new PaymentHistory(3);
        h.add(pay(1, 10, 1));
        h.add(pay(3, 30, 3));
        h.add(pay(2, 20, 2));
        assertThat(h.ts).containsExactly(10L, 20L, 30L);
        h.add(pay(0, 5, 0)); // older than everything in a full history
        assertThat(h.ts).containsExactly(10L, 20L, 30L);
        h.add(pay(4, 25, 4)); // late, but among the last 3
        assertThat(h.ts).containsExactly(20L, 25L, 30L);
        h.add(pay(5, 30, 5)); // same time: after the existing one
        assertThat(h.merchantId).containsExactly("T4", "T3", "T5");
    }

    @Test
    void defaultConstructorIsUsableAsFlinkPojo() {
        PaymentHistory h = new PaymentHistory();
        assertThat(h.capacity).isEqualTo(PaymentHistory.DEFAULT_CAPACITY);
        h.add(ShopEvent.builder("e", "u", EventType.PAYMENT, 1L).price(10.0).quantity(2).build());
        assertThat(h.amount[0]).isEqualTo(20.0);
        assertThat(h.merchantId[0]).isNull();
        h.clear();
        assertThat(h.isEmpty()).isTrue();
    }

    @Test
    void flinkTreatsItAsAPojoNotKryo() {
        assertThat(TypeInformation.of(PaymentHistory.class)).isInstanceOf(PojoTypeInfo.class);
    }

    @Test
    void survivesAFlinkSerializerRoundTripWithNullFields() throws Exception {
        PaymentHistory h = new PaymentHistory(4);
        h.add(pay(1, 10, 5.0));
        h.add(ShopEvent.builder("e2", "u", EventType.PAYMENT, 20).amount(7.0).deviceId("d").build());
        TypeSerializer<PaymentHistory> ser = TypeInformation.of(PaymentHistory.class)
                .createSerializer(new SerializerConfigImpl());
        DataOutputSerializer out = new DataOutputSerializer(256);
        ser.serialize(h, out);
        PaymentHistory back = ser.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertThat(back.size).isEqualTo(2);
        assertThat(back.ts).containsExactly(h.ts);
        assertThat(back.merchantId).containsExactly("T1", null, null, null);
        assertThat(back.deviceId).containsExactly(null, "d", null, null);
    }
}
