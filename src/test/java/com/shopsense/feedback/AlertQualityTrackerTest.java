package com.shopsense.feedback;

import static com.shopsense.feedback.FeedbackFixtures.DAY;
import static com.shopsense.feedback.FeedbackFixtures.T;
import static com.shopsense.feedback.FeedbackFixtures.label;
import static com.shopsense.feedback.FeedbackFixtures.decided;
import static com.shopsense.feedback.FeedbackFixtures.score;
import static org.assertj.core.api.Assertions.assertThat;

import com.shopsense.event.DeadLetter;
import com.shopsense.event.FraudLabel;
import com.shopsense.scoring.AlertIds;
import com.shopsense.scoring.FraudDecision;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AlertQualityTrackerTest {
    private KeyedTwoInputStreamOperatorTestHarness<String, FraudDecision, FraudLabel, QualityDelta> h;

    @BeforeEach
    void setUp() throws Exception {
        h = new KeyedTwoInputStreamOperatorTestHarness<>(
                new KeyedCoProcessOperator<>(new AlertQualityTracker(Duration.ofDays(180))),
                FraudDecision::eventId, FraudLabel::eventId, Types.STRING);
        h.open();
    }

    @AfterEach
    void tearDown() throws Exception {
        h.close();
    }

    private void scored(String id, long ts, float p) throws Exception {
        h.processElement1(new StreamRecord<>(decided(score(id, ts, p, "fraud:v2")), ts));
    }

    private void labelled(FraudLabel l) throws Exception {
        h.processElement2(new StreamRecord<>(l, l.decidedAt()));
    }

    private QualityDelta sum() {
        QualityDelta s = new QualityDelta("fraud:v2", 0, 0, 0, 0, 0);
        for (Object o : h.getOutput()) {
            if (o instanceof StreamRecord<?> r && r.getValue() instanceof QualityDelta d) {
                s = s.plus(d);
            }
        }
        return s;
    }

    private List<String> rejectedReasons() {
        var q = h.getSideOutput(AlertQualityTracker.REJECTED_LABELS);
        return q == null ? List.of() : q.stream().map(r -> ((DeadLetter) r.getValue()).reasonCode()).toList();
    }

    @Test
    void anAlertLaterConfirmedFraudCountsForPrecisionAndRecall() throws Exception {
        scored("p1", T, 0.9f);
        scored("p2", T, 0.1f);
        labelled(label("l1", "p1", "T1", true, T + 7 * DAY, null));
        labelled(label("l2", "p2", "T1", true, T + 7 * DAY, null));
        assertThat(sum()).isEqualTo(new QualityDelta("fraud:v2", 1, 2, 0, 1, 0));
        assertThat(rejectedReasons()).isEmpty();
    }

    @Test
    void aLabelBeforeItsPaymentWaitsForIt() throws Exception {
        labelled(label("l1", "p1", "T1", true, T + DAY, null));
        assertThat(sum()).isEqualTo(new QualityDelta("fraud:v2", 0, 0, 0, 0, 0));
        scored("p1", T, 0.9f);
        assertThat(sum()).isEqualTo(new QualityDelta("fraud:v2", 1, 1, 0, 1, 0));
        h.processBothWatermarks(new org.apache.flink.streaming.api.watermark.Watermark(T + 2 * DAY));
        assertThat(rejectedReasons()).isEmpty();
    }

    @Test
    void aLabelForAPaymentNeverScoredGoesToTheDlqOnceItsDecisionTimeHasPassed() throws Exception {
        labelled(label("l1", "ghost", "T1", true, T + DAY, null));
        h.processBothWatermarks(new org.apache.flink.streaming.api.watermark.Watermark(T + DAY - 1));
        assertThat(rejectedReasons()).isEmpty();
        h.processBothWatermarks(new org.apache.flink.streaming.api.watermark.Watermark(T + DAY));
        assertThat(rejectedReasons()).containsExactly("unknown_event");
        assertThat(sum()).isEqualTo(new QualityDelta("fraud:v2", 0, 0, 0, 0, 0));
    }

    @Test
    void aLabelNamingAnotherAlertOrDecidedBeforeThePaymentIsRejected() throws Exception {
        scored("p1", T, 0.9f);
        labelled(label("l1", "p1", "T1", true, T + DAY, "not-the-alert"));
        labelled(label("l2", "p1", "T1", true, T - 1, null));
        assertThat(rejectedReasons()).containsExactly("unknown_alert", "decided_before_payment");
        labelled(label("l3", "p1", "T1", true, T + DAY, AlertIds.of("p1", "fraud:v2")));
        assertThat(rejectedReasons()).hasSize(2);
        assertThat(sum()).isEqualTo(new QualityDelta("fraud:v2", 1, 1, 0, 1, 0));
    }

    @Test
    void aDuplicateLabelCountsOnceAndALaterDecisionReplacesTheVerdict() throws Exception {
        scored("p1", T, 0.9f);
        labelled(label("case-1", "p1", "T1", false, T + DAY, null));
        labelled(label("case-1", "p1", "T1", false, T + DAY, null));
        assertThat(sum()).isEqualTo(new QualityDelta("fraud:v2", 1, 0, 1, 0, 1));
        labelled(label("cb-1", "p1", "T1", true, T + 30 * DAY, null));   // the chargeback overrules the case
        assertThat(sum()).isEqualTo(new QualityDelta("fraud:v2", 1, 1, 0, 1, 0));
        labelled(label("case-0", "p1", "T1", false, T + 2 * DAY, null)); // older than the verdict: ignored
        assertThat(sum()).isEqualTo(new QualityDelta("fraud:v2", 1, 1, 0, 1, 0));
    }

    @Test
    void aPaymentScoredTwiceCountsOnce() throws Exception {
        scored("p1", T, 0.9f);
        scored("p1", T, 0.9f);
        assertThat(sum()).isEqualTo(new QualityDelta("fraud:v2", 1, 0, 0, 0, 0));
    }
}
