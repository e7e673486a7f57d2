package com.shopsense.insight;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.shopsense.scoring.ChurnScore;
import com.shopsense.scoring.JourneyAction;
import com.shopsense.scoring.JourneyActions;
import com.shopsense.scoring.UserScoreUpdate;
import com.shopsense.session.PurchaseSummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SegmentTrackerTest {
    private static final long DAY = 86_400_000L;
    private static final long T0 = 1_300_000_000_000L;
    // newDays 30, atRiskDays 53, dormantDays 90, p >= 0.3 at risk, loyal from 6 sessions and 2500
    private static final SegmentRules RULES = new SegmentRules(30, 53, 90, 0.3, 6, 2500.0);

    private KeyedOneInputStreamOperatorTestHarness<String, ChurnScore, SegmentChange> harness;

    @BeforeEach
    void setUp() throws Exception {
        harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new SegmentTracker(RULES, Duration.ofDays(180))), ChurnScore::userId,
                Types.STRING);
        harness.open();
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    private void closeSession(String user, long end, int orderSessions, double spend, long lastOrder, float p)
            throws Exception {
        harness.processElement(new StreamRecord<>(new ChurnScore(user, end,
                new PurchaseSummary(orderSessions, spend, lastOrder), p, 0.3, "v1"), end + 1_800_000));
    }

    private List<String> path() {
        return harness.extractOutputValues().stream().map(c -> c.from() + ">" + c.to()).toList();
    }

    @Test
    void aFirstBuyerAgesThroughActiveAndAtRiskIntoDormantAndLeavesAfterTheRetention() throws Exception {
        closeSession("u", T0, 1, 40.0, T0, 0.1f);
        harness.processWatermark(T0 + 29 * DAY);
        assertThat(path()).containsExactly("null>new");
        harness.processWatermark(T0 + 90 * DAY);
        assertThat(path()).containsExactly("null>new", "new>active", "active>at_risk", "at_risk>dormant");
        assertThat(harness.extractOutputValues().get(2).time()).as("changes at the threshold crossing").isEqualTo(T0 + 53 * DAY);
        harness.processWatermark(T0 + 180 * DAY);
        assertThat(path()).endsWith("dormant>null");
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void aLoyalCustomerStaysLoyalUntilOverdueAndAHighChurnScoreMeansAtRisk() throws Exception {
        closeSession("a", T0, 8, 3000.0, T0, 0.1f);
        closeSession("b", T0, 8, 3000.0, T0, 0.9f);
        closeSession("c", T0, 2, 100.0, T0, 0.1f);
        assertThat(path()).containsExactly("null>loyal", "null>at_risk", "null>active");
        harness.processWatermark(T0 + 53 * DAY);
        assertThat(path()).contains("loyal>at_risk", "active>at_risk");
    }

    private List<JourneyAction> atRiskActions() {
        var q = harness.getSideOutput(SegmentTracker.ENTERED_AT_RISK);
        return q == null ? List.of() : q.stream().map(StreamRecord::getValue).toList();
    }

    @Test
    void enteringAtRiskByTheChurnScoreOrByRecencyIsAnActionWithTheScoreTheThresholdAndTheReason() throws Exception {
        closeSession("b", T0, 8, 3000.0, T0, 0.9f);
        closeSession("u", T0, 2, 100.0, T0, 0.1f);
        harness.processWatermark(T0 + 60 * DAY);
        assertThat(path()).contains("null>at_risk", "active>at_risk");

        assertThat(atRiskActions()).hasSize(2);
        assertThat(atRiskActions()).filteredOn(a -> a.userId().equals("b")).singleElement().satisfies(a -> {
            assertThat(a.type()).isEqualTo(JourneyAction.ENTERED_AT_RISK);
            assertThat(a.eventTime()).isEqualTo(T0);
            assertThat(a.score()).isEqualTo(0.9);
            assertThat(a.threshold()).isEqualTo(0.3);
            assertThat(a.model()).isEqualTo("churn");
            assertThat(a.modelVersion()).isEqualTo("v1");
            assertThat(a.fromSegment()).isNull();
            assertThat(a.reason()).contains("churn score 0.9000 at or above the at-risk threshold 0.3000");
            assertThat(a.actionId()).isEqualTo(JourneyActions.id(JourneyAction.ENTERED_AT_RISK, "b", Long.toString(T0)));
        });
        assertThat(atRiskActions()).filteredOn(a -> a.userId().equals("u")).singleElement().satisfies(a -> {
            assertThat(a.eventTime()).as("at the recency threshold").isEqualTo(T0 + 53 * DAY);
            assertThat(a.fromSegment()).isEqualTo("active");
            assertThat(a.score()).isEqualTo(0.1);
            assertThat(a.reason()).startsWith("no order for 53 days");
        });
    }

    @Test
    void aProspectHasNoChurnScoreIsNeverAtRiskAndRaisesNoAction() throws Exception {
        harness.processElement(new StreamRecord<>(ChurnScore.unscored("p", T0, PurchaseSummary.NONE), T0));
        harness.processWatermark(T0 + 170 * DAY);
        assertThat(path()).containsExactly("null>prospect");
        assertThat(atRiskActions()).isEmpty();
        assertThat(ChurnScore.unscored("p", T0, PurchaseSummary.NONE).scored()).isFalse();
        assertThat(ChurnScore.unscored("p", T0, PurchaseSummary.NONE).atRisk()).isFalse();
        assertThat(com.shopsense.scoring.Decisions.closedSession(ChurnScore.unscored("p", T0, PurchaseSummary.NONE)))
                .as("the churn path writes nothing for a prospect").isNull();
    }

    @Test
    void aProspectsLaterCloseReStatesItsSegmentOnTheOneStreamThatWritesIt() throws Exception {
        harness.processElement(new StreamRecord<>(ChurnScore.unscored("p", T0, PurchaseSummary.NONE), T0));
        harness.processElement(new StreamRecord<>(ChurnScore.unscored("p", T0 + DAY, PurchaseSummary.NONE), T0 + DAY));
        assertThat(path()).containsExactly("null>prospect", "prospect>prospect");
        SegmentChange restated = harness.extractOutputValues().get(1);
        assertThat(restated.time()).isEqualTo(T0 + DAY);
        assertThat(restated.scoreUpdate().values()).containsExactly(SegmentRules.PROSPECT);
    }

    @Test
    void anOlderSessionsLateScoreIsIgnoredAndNeverMovesTheSegmentBackInTime() throws Exception {
        closeSession("u", T0, 2, 100.0, T0, 0.1f);
        closeSession("u", T0 - DAY, 1, 50.0, T0 - DAY, 0.1f);
        assertThat(path()).containsExactly("null>active");
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);
    }

    @Test
    void theEndOfABoundedInputDoesNotAgeUsers() throws Exception {
        closeSession("u", T0, 1, 40.0, T0, 0.1f);
        harness.processWatermark(Long.MAX_VALUE);
        assertThat(path()).containsExactly("null>new");
    }

    @Test
    void theShippedThresholdsUseTheChurnModelsDecisionThreshold() throws Exception {
        ObjectMapper json = new ObjectMapper();
        JsonNode seg = json.readTree(Files.readString(Path.of("onnx-models/segments.json")));
        JsonNode manifest = json.readTree(Files.readString(Path.of("onnx-models/manifest.json")));
        JsonNode models = manifest.get("models");
        JsonNode churn = models.isArray() ? null : models.get("churn");
        if (churn == null) {
            for (JsonNode m : models) {
                churn = m.path("name").asText().equals("churn") ? m : churn;
            }
        }
        assertThat(seg.at("/thresholds/atRiskProbability").asDouble())
                .as("segments.json is recalibrated when the churn model changes (segments.py)")
                .isEqualTo(churn.at("/thresholds/atRisk").asDouble());
        SegmentRules.fromJson(Files.readString(Path.of("onnx-models/segments.json")));
    }
}
