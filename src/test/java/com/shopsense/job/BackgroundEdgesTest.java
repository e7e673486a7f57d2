package com.shopsense.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.shopsense.config.JobConfig;
import com.shopsense.event.ParsedRecord;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;

/**
 * Only the edges no reader waits on flush at background.buffer-timeout: every listed operator is in the graph (a
 * renamed uid would silently drop it) and its network edges carry the timeout, while the per-user path (events to
 * the sessionizer, scores, recommendations, the fallback, alerts) keeps the job's own.
 */
class BackgroundEdgesTest {

    private static StreamGraph graph(Map<String, String> options) {
        Map<String, String> m = new HashMap<>(options);
        m.put("privacy.allow-dev-key", "true");
        JobConfig cfg = JobConfig.of(m);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setBufferTimeout(5);
        ShopSenseJob.attachSinks(ShopSenseJob.defineWorkflow(
                env.fromData(List.<ParsedRecord>of(), TypeInformation.of(ParsedRecord.class)), cfg), cfg);
        return env.getStreamGraph();
    }

    private static Map<String, StreamNode> byUid(StreamGraph g) {
        return g.getStreamNodes().stream().filter(n -> n.getTransformationUID() != null)
                .collect(Collectors.toMap(StreamNode::getTransformationUID, n -> n));
    }

    @Test
    void theBackgroundEdgesFlushAtTheirOwnTimeoutAndThePerUserPathAtTheJobs() {
        StreamGraph g = graph(Map.of());
        Map<String, StreamNode> nodes = byUid(g);
        assertThat(nodes.keySet()).containsAll(BackgroundEdges.UIDS);
        for (String uid : BackgroundEdges.UIDS) {
            StreamNode n = nodes.get(uid);
            assertThat(n.getBufferTimeout()).as(uid).isEqualTo(100L);
            assertThat(n.getOutEdges()).as("edges out of %s", uid).isNotEmpty()
                    .allSatisfy(e -> assertThat(e.getBufferTimeout()).isEqualTo(100L));
        }
        for (String uid : List.of("route-invalid", "session-tracker", "intent-scoring", "recommend-model",
                "recommend-trending-fallback", "churn-model", "fraud-model", "fraud-alerts")) {
            StreamNode n = nodes.get(uid);
            assertThat(n).as(uid).isNotNull();
            assertThat(n.getOutEdges()).as("edges out of %s", uid)
                    .allSatisfy(e -> assertThat(e.getBufferTimeout()).as(uid).isEqualTo(5L));
        }
    }

    @Test
    void zeroLeavesEveryEdgeAtTheJobsTimeout() {
        StreamGraph g = graph(Map.of("background.buffer-timeout", "0 ms"));
        assertThat(g.getStreamNodes()).allSatisfy(n -> assertThat(n.getOutEdges())
                .allSatisfy(e -> assertThat(e.getBufferTimeout()).isEqualTo(5L)));
    }
}
