package com.shopsense.tools.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class JourneySummaryTest {
    @Test
    void churnQuantilesAreTheNearestRankOfTheSortedScores() {
        List<Double> scores = new ArrayList<>();
        for (int i = 1; i <= 200; i++) {
            scores.add(i / 1000.0);
        }
        Collections.shuffle(scores, new Random(3));
        JourneySummary.Churn c = JourneySummary.Churn.of(scores, 0);
        // nearest rank: the ceil(q * n)-th smallest, 1-based
        assertThat(c.quantiles()).containsExactly(0.020, 0.050, 0.100, 0.150, 0.180);
        assertThat(c.customers()).isEqualTo(200);
        assertThat(c.distinct()).isEqualTo(200);
        assertThat(c.healthy()).isTrue();
    }

    @Test
    void oneValueForEveryoneOrAProspectWithAScoreIsNotHealthy() {
        assertThat(JourneySummary.Churn.of(List.of(0.7217, 0.7217, 0.7217), 0).healthy()).isFalse();
        assertThat(JourneySummary.Churn.of(List.of(0.1, 0.2), 1).healthy()).isFalse();
        assertThat(JourneySummary.Churn.of(List.of(), 0).healthy()).isFalse();
    }

    @Test
    void actionsAreCountedByTypeEveryTypeListed() {
        JourneySummary s = new JourneySummary();
        var count = s.actionCounter();
        count.accept(new ConsumerRecord<>("t", 0, 0, null, "{\"type\":\"high_intent\"}".getBytes()));
        count.accept(new ConsumerRecord<>("t", 0, 1, null, "{\"type\":\"high_intent\"}".getBytes()));
        count.accept(new ConsumerRecord<>("t", 0, 2, null, "{\"type\":\"cart_abandoned\"}".getBytes()));
        assertThat(s.actionCounts()).containsExactlyEntriesOf(new java.util.TreeMap<>(java.util.Map.of(
                "cart_abandoned", 1L, "entered_at_risk", 0L, "high_intent", 2L, "negative_review_surge", 0L)));
    }
}
