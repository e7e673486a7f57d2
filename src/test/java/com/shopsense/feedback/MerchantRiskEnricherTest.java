package com.shopsense.feedback;

import static com.shopsense.feedback.FeedbackFixtures.DAY;
import static com.shopsense.feedback.FeedbackFixtures.T;
import static com.shopsense.feedback.FeedbackFixtures.label;
import static com.shopsense.feedback.FeedbackFixtures.payment;
import static org.assertj.core.api.Assertions.assertThat;

import com.shopsense.event.FraudLabel;
import com.shopsense.features.MerchantFeedbackFeatures;
import com.shopsense.session.FraudRequest;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MerchantRiskEnricherTest {
    private static final MerchantFeedbackFeatures FEATURES = MerchantFeedbackFeatures.of(
            List.of("log_amount", "merchant_fraud_7d", "merchant_fraud_28d"));
    private KeyedTwoInputStreamOperatorTestHarness<String, FraudRequest, FraudLabel, FraudRequest> h;

    @BeforeEach
    void setUp() throws Exception {
        h = new KeyedTwoInputStreamOperatorTestHarness<>(
                new KeyedCoProcessOperator<>(new MerchantRiskEnricher(FEATURES, Duration.ofDays(60),
                        Duration.ofDays(1), 1000)),
                r -> r.payment().merchantId(), FraudLabel::merchantId, Types.STRING);
        h.open();
    }

    @AfterEach
    void tearDown() throws Exception {
        h.close();
    }

    private FraudRequest pay(String id, String merchant, long ts) throws Exception {
        h.getOutput().clear();
        h.processElement1(new StreamRecord<>(payment(id, merchant, ts, 3), ts));
        return (FraudRequest) ((StreamRecord<?>) h.getOutput().poll()).getValue();
    }

    private void confirm(String labelId, String merchant, long decidedAt) throws Exception {
        h.processElement2(new StreamRecord<>(label(labelId, "x-" + labelId, merchant, true, decidedAt, null), decidedAt));
    }

    @Test
    void aMerchantWithoutConfirmedFraudPassesPaymentsThroughUnchanged() throws Exception {
        confirm("elsewhere", "T2", T - DAY);
        FraudRequest out = pay("p", "T1", T);
        assertThat(out.payment().ref().eventId()).isEqualTo("p");
        assertThat(out.current()).containsExactly(0f, 0f, 0f);
        assertThat(out.reasons()).containsExactly("FIRST_PAYMENT");
    }

    @Test
    void aPaymentSeesTheFraudConfirmedAtItsMerchantBeforeItHappened() throws Exception {
        confirm("a", "T1", T - 3 * DAY);
        confirm("b", "T1", T - 20 * DAY);
        confirm("other", "T2", T - DAY);
        FraudRequest out = pay("p", "T1", T);
        assertThat(out.current()[1]).isEqualTo((float) Math.log1p(1));
        assertThat(out.current()[2]).isEqualTo((float) Math.log1p(2));
        assertThat(out.reasons()).containsExactly("FIRST_PAYMENT", "MERCHANT_CONFIRMED_FRAUD_2_IN_28D");
    }

    @Test
    void aLabelDecidedAfterThePaymentNeverInfluencesItsScoreEvenIfItArrivesFirst() throws Exception {
        confirm("late", "T1", T + 1);               // arrives first, decided a millisecond after the payment
        FraudRequest out = pay("p", "T1", T);
        assertThat(out.current()).containsExactly(0f, 0f, 0f);
        assertThat(out.reasons()).containsExactly("FIRST_PAYMENT");
        FraudRequest next = pay("q", "T1", T + 2);   // a later payment does see it
        assertThat(next.current()[1]).isEqualTo((float) Math.log1p(1));
    }

    @Test
    void legitLabelsAndDuplicatesDoNotCount() throws Exception {
        confirm("a", "T1", T - DAY);
        confirm("a", "T1", T - DAY);
        h.processElement2(new StreamRecord<>(label("ok", "x", "T1", false, T - DAY, null), T - DAY));
        FraudRequest out = pay("p", "T1", T);
        assertThat(out.current()[2]).isEqualTo((float) Math.log1p(1));
    }
}
