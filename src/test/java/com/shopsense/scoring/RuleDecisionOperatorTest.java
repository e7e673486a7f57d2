package com.shopsense.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.shopsense.event.DeadLetter;
import com.shopsense.event.EventLimits;
import com.shopsense.event.EventRef;
import com.shopsense.event.RuleDocs;
import com.shopsense.event.RuleFeature;
import com.shopsense.session.PaymentRef;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.TwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * Payments are decided once the watermark has passed them, with the rule versions effective at their event time,
 * whatever the order the two inputs arrive in; rules and waiting payments survive a snapshot and restore.
 */
class RuleDecisionOperatorTest {
    private static final long T = 1_530_403_200_000L;
    private static final byte[] BIG = RuleDocs.bytes("big", 1, true, T, RuleDocs.compare("amount", ">=", 500), "alert");

    private static TwoInputStreamOperatorTestHarness<FraudScore, byte[], FraudDecision> harness() throws Exception {
        return new TwoInputStreamOperatorTestHarness<>(new RuleDecisionOperator(EventLimits.defaults(), "fraud-rules"));
    }

    private static FraudScore payment(String eventId, long ts, double amount, float p) {
        double[] facts = new double[RuleFeature.count()];
        facts[RuleFeature.AMOUNT.ordinal()] = amount;
        facts[RuleFeature.MODEL_SCORE.ordinal()] = p;
        return new FraudScore(new PaymentRef(new EventRef("u1", eventId, ts), "m1", amount, null, null),
                new String[] {"HIGH_AMOUNT"}, p, 0.8, "v1", facts);
    }

    private static List<FraudDecision> decisions(TwoInputStreamOperatorTestHarness<?, ?, FraudDecision> h) {
        List<FraudDecision> out = new ArrayList<>();
        for (Object o : h.getOutput()) {
            if (o instanceof StreamRecord<?> r) {
                out.add((FraudDecision) r.getValue());
            }
        }
        return out;
    }

    @Test
    void aPaymentWaitsForTheWatermarkSoARuleReadAfterItStillApplies() throws Exception {
        try (var h = harness()) {
            h.open();
            h.processElement1(new StreamRecord<>(payment("e1", T + 10, 600, 0.1f), T + 10));
            h.processElement1(new StreamRecord<>(payment("e0", T - 10, 600, 0.1f), T - 10));
            h.processElement2(new StreamRecord<>(BIG, T));
            assertThat(decisions(h)).as("nothing before the watermark").isEmpty();
            h.processWatermark1(new Watermark(T + 20));
            assertThat(decisions(h)).as("the rules' watermark holds them back").isEmpty();
            h.processWatermark2(new Watermark(T + 20));
            List<FraudDecision> d = decisions(h);
            assertThat(d).extracting(FraudDecision::eventId).containsExactly("e0", "e1"); // in event-time order
            assertThat(d.get(0).alert()).as("before the rule's effective time").isFalse();
            assertThat(d.get(1).alert()).isTrue();
            assertThat(d.get(1).reasons()).containsExactly("HIGH_AMOUNT", "rule:big@1");
            assertThat(d.get(1).ruleHits()).containsExactly("big@1");
        }
    }

    @Test
    void rulesAndWaitingPaymentsSurviveASnapshotAndRestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness()) {
            h.open();
            h.processElement2(new StreamRecord<>(BIG, T));
            h.processElement1(new StreamRecord<>(payment("e1", T + 10, 600, 0.1f), T + 10));
            snapshot = h.snapshot(1L, 1L);
        }
        try (var restored = harness()) {
            restored.initializeState(snapshot);
            restored.open();
            restored.processElement1(new StreamRecord<>(payment("e2", T + 30, 700, 0.1f), T + 30));
            restored.processWatermark1(new Watermark(Long.MAX_VALUE));
            restored.processWatermark2(new Watermark(Long.MAX_VALUE));
            assertThat(decisions(restored)).extracting(FraudDecision::eventId, FraudDecision::alert)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("e1", true),
                            org.assertj.core.groups.Tuple.tuple("e2", true));
        }
    }

    @Test
    void aConflictingVersionIsDeadLetteredAndNeverReplacesTheValidOne() throws Exception {
        try (var h = harness()) {
            h.open();
            h.processElement2(new StreamRecord<>(BIG, T));
            h.processElement2(new StreamRecord<>(BIG, T)); // a replayed record: same document, no dead letter
            h.processElement2(new StreamRecord<>(RuleDocs.bytes("big", 1, true, T,
                    RuleDocs.compare("amount", ">=", 500), "allow"), T));
            var rejected = h.getSideOutput(RuleDecisionOperator.REJECTED_RULES);
            assertThat(rejected).hasSize(1);
            DeadLetter dl = rejected.peek().getValue();
            assertThat(dl.reasonCode()).isEqualTo("version_conflict");
            assertThat(dl.stage()).isEqualTo("rule");
            h.processElement1(new StreamRecord<>(payment("e1", T + 10, 600, 0.1f), T + 10));
            h.processWatermark1(new Watermark(T + 10));
            h.processWatermark2(new Watermark(T + 10));
            assertThat(decisions(h)).singleElement().extracting(FraudDecision::alert).isEqualTo(true);
        }
    }

    @Test
    void aLatePaymentIsDecidedAtOnce() throws Exception {
        try (var h = harness()) {
            h.open();
            h.processElement2(new StreamRecord<>(BIG, T));
            h.processWatermark1(new Watermark(T + 100));
            h.processWatermark2(new Watermark(T + 100));
            h.processElement1(new StreamRecord<>(payment("late", T + 50, 600, 0.1f), T + 50));
            assertThat(decisions(h)).singleElement().extracting(FraudDecision::alert).isEqualTo(true);
        }
    }
}
