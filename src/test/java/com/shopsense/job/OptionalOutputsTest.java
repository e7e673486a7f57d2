package com.shopsense.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.shopsense.config.JobConfig;
import com.shopsense.event.ParsedRecord;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;

/**
 * Outputs nobody reads by default are not built: the closed-sessions topic is opt-in (kafka.publish-sessions); the
 * review insight can be switched off (review.enabled) and then loads no review model.
 */
class OptionalOutputsTest {

    private static List<String> operatorNames(Map<String, String> options) {
        Map<String, String> m = new HashMap<>(options);
        m.put("privacy.allow-dev-key", "true");
        JobConfig cfg = JobConfig.of(m);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        ShopSenseJob.attachSinks(ShopSenseJob.defineWorkflow(
                env.fromData(List.<ParsedRecord>of(), TypeInformation.of(ParsedRecord.class)), cfg), cfg);
        return env.getStreamGraph().getStreamNodes().stream().map(StreamNode::getOperatorName).toList();
    }

    @Test
    void closedSessionsAreNotWrittenToKafkaByDefault() {
        assertThat(operatorNames(Map.of())).noneMatch(n -> n.startsWith("Kafka closed sessions"))
                .anyMatch(n -> n.startsWith("Kafka fraud alerts"));
    }

    @Test
    void publishSessionsAddsTheExactlyOnceSessionsSink() {
        assertThat(operatorNames(Map.of("kafka.publish-sessions", "true")))
                .anyMatch(n -> n.startsWith("Kafka closed sessions"));
    }

    @Test
    void reviewInsightIsOnByDefaultAndReviewEnabledFalseBuildsNoneOfIt() {
        assertThat(operatorNames(Map.of())).anyMatch(n -> n.startsWith("Review sentiment"))
                .anyMatch(n -> n.startsWith("Redis review insight"))
                .anyMatch(n -> n.startsWith("Negative review surge"));
        assertThat(operatorNames(Map.of("review.enabled", "false"))).noneMatch(n -> n.contains("eview"))
                .anyMatch(n -> n.startsWith("Kafka journey actions"));
    }
}
