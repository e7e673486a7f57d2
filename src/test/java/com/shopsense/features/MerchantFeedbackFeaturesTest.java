package com.shopsense.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class MerchantFeedbackFeaturesTest {
    private static final long DAY = 86_400_000L;
    private static final long T = 1_530_000_000_000L;
    private final MerchantFeedbackFeatures f = MerchantFeedbackFeatures.of(
            List.of("log_amount", "merchant_fraud_7d", "hour_cos", "merchant_fraud_28d"));

    @Test
    void findsTheFeedbackSlotsByName() {
        assertThat(f.isEmpty()).isFalse();
        assertThat(f.names()).containsExactly("merchant_fraud_7d", "merchant_fraud_28d");
        assertThat(f.maxWindowMs()).isEqualTo(28 * DAY);
        assertThat(MerchantFeedbackFeatures.of(List.of("log_amount")).isEmpty()).isTrue();
    }

    @Test
    void countsOnlyLabelsAlreadyDecidedWhenThePaymentHappened() {
        MerchantLabelWindow w = new MerchantLabelWindow();
        w.add("a", T - 2 * DAY);       // in both windows
        w.add("b", T - 10 * DAY);      // 28 d only
        w.add("c", T);                 // decided at the payment's own millisecond: known
        w.add("d", T + 1);             // decided one millisecond later: never counts (no leakage)
        w.add("e", T - 28 * DAY);      // exactly 28 days before: outside (window is open on the left)
        w.add("f", T + 30 * DAY);      // a replay where labels run ahead
        assertThat(f.counts(w, T)).containsExactly(2, 3);
    }

    @Test
    void aRepeatedLabelIdCountsOnce() {
        MerchantLabelWindow w = new MerchantLabelWindow();
        assertThat(w.add("a", T - DAY)).isTrue();
        assertThat(w.add("a", T - DAY)).isFalse();
        assertThat(w.add("a", T - 3 * DAY)).isFalse();
        assertThat(f.counts(w, T)).containsExactly(1, 1);
    }

    @Test
    void fillsLogCountsIntoACopyAndNamesTheLongestWindowInTheReason() {
        float[] current = {3f, 0f, 0.5f, 0f};
        float[] out = f.fill(current, new int[] {1, 4});
        assertThat(out[1]).isCloseTo((float) Math.log(2), within(1e-6f));
        assertThat(out[3]).isCloseTo((float) Math.log(5), within(1e-6f));
        assertThat(out[0]).isEqualTo(3f);
        assertThat(current[1]).isZero();
        assertThat(f.reason(new int[] {1, 4})).isEqualTo("MERCHANT_CONFIRMED_FRAUD_4_IN_28D");
        assertThat(f.reason(new int[] {0, 0})).isNull();
    }

    @Test
    void pruningDropsOldDecisionsAndKeepsTheNewestUnderTheCap() {
        MerchantLabelWindow w = new MerchantLabelWindow();
        for (int i = 0; i < 10; i++) {
            w.add("l" + i, T + i * DAY);
        }
        w.prune(T + 2 * DAY, 100);
        assertThat(w.size()).isEqualTo(7);
        assertThat(w.decidedAt[0]).isEqualTo(T + 3 * DAY);
        w.prune(Long.MIN_VALUE, 3);
        assertThat(w.decidedAt).containsExactly(T + 7 * DAY, T + 8 * DAY, T + 9 * DAY);
        assertThat(w.add("l9", T)).isFalse(); // dedup keys follow their entries
        assertThat(w.add("l0", T)).isTrue();  // a pruned label is forgotten
    }
}
