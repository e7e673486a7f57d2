package com.shopsense.features;

import static org.assertj.core.api.Assertions.assertThat;

import com.shopsense.event.EventType;
import com.shopsense.event.ShopEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

class FraudFeatureEncoderTest {
    private static final long MIN = 60_000L;
    private final FraudFeatureEncoder enc = FraudFeatureEncoder.fromSpec(GoldenFiles.spec());

    private static ShopEvent pay(int i, long ts, double amount, String merchant) {
        return ShopEvent.builder("e" + i, "u", EventType.PAYMENT, ts).amount(amount).merchantId(merchant).build();
    }

    @Test
    void reasonsForHighAmountAgainstMedianAndNewMerchant() {
        PaymentHistory h = enc.newHistory();
        for (int i = 0; i < 10; i++) {
            h.add(pay(i, i * 1440 * MIN, 20.0, "T1"));
        }
        List<String> r = enc.reasons(h, pay(99, 20 * 1440 * MIN, 250.0, "T9"));
        assertThat(r).containsExactly("AMOUNT_11X_MEDIAN", "HIGH_AMOUNT", "NEW_MERCHANT");
    }

    @Test
    void reasonsForABurstAndForAFirstPayment() {
        PaymentHistory h = enc.newHistory();
        assertThat(enc.reasons(h, pay(0, 0, 10.0, "T1"))).containsExactly("FIRST_PAYMENT");
        for (int i = 0; i < 4; i++) {
            h.add(pay(i, i * 10 * MIN, 10.0, "T1"));
        }
        assertThat(enc.reasons(h, pay(9, 45 * MIN, 10.0, "T1"))).containsExactly("VELOCITY_5_IN_1H");
    }

    @Test
    void encodesOnlyTheLastHistoryLengthPaymentsAndPadsAtTheFront() {
        PaymentHistory big = new PaymentHistory(enc.historyLength() + 8);
        for (int i = 0; i < enc.historyLength() + 8; i++) {
            big.add(pay(i, i * MIN, 10.0 + i, "T" + i));
        }
        ShopEvent cur = pay(100, 1000 * MIN, 15.0, "T3");
        FraudFeatureEncoder.Encoded x = enc.encode(big, cur);
        assertThat(x.history()).hasSize(enc.historyLength() * enc.historyFeatureCount());
        assertThat(x.current()).hasSize(enc.currentFeatureCount());

        PaymentHistory two = enc.newHistory();
        two.add(pay(1, 0, 10.0, "T1"));
        two.add(pay(2, MIN, 12.0, "T2"));
        FraudFeatureEncoder.Encoded y = enc.encode(two, cur);
        int f = enc.historyFeatureCount();
        for (int i = 0; i < (enc.historyLength() - 2) * f; i++) {
            assertThat(y.history()[i]).isZero();
        }
        assertThat(y.history()[(enc.historyLength() - 1) * f]).isEqualTo(1.0f); // mask of the newest row
    }
}
