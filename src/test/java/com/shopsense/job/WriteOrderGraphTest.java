package com.shopsense.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.shopsense.config.JobConfig;
import com.shopsense.event.ParsedRecord;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamEdge;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.apache.flink.streaming.runtime.partitioner.ForwardPartitioner;
import org.junit.jupiter.api.Test;

/**
 * The intent updates and the recommendations are written to Redis plainly, the last one sent winning, which is
 * only right if each user's reach the sink in order: every edge from the keyed sessionizer to those two sinks
 * must be a forward edge (no shuffle that could reorder a user's records), at a parallelism above 1. The trending
 * fallback sits on the recommendations' own path, so it keeps their order too.
 */
class WriteOrderGraphTest {

    private static StreamGraph graph() {
        JobConfig cfg = JobConfig.of(Map.of("privacy.allow-dev-key", "true"));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(3);
        ShopSenseJob.Outputs o = ShopSenseJob.defineWorkflow(
                env.fromData(List.<ParsedRecord>of(), TypeInformation.of(ParsedRecord.class)), cfg);
        ShopSenseJob.attachSinks(o, cfg);
        return env.getStreamGraph();
    }

    private static StreamNode node(StreamGraph g, String name) {
        return g.getStreamNodes().stream().filter(n -> n.getOperatorName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no operator " + name + " in " + g.getStreamNodes()));
    }

    /** Walks from the sink up through the named operators to the sessionizer, checking each edge. */
    private static void forwardAllTheWay(StreamGraph g, String sink, String... upstream) {
        StreamNode to = node(g, sink);
        for (String name : upstream) {
            StreamNode from = node(g, name);
            String target = to.getOperatorName();
            StreamEdge e = to.getInEdges().stream().filter(x -> x.getSourceId() == from.getId()).findFirst()
                    .orElseThrow(() -> new AssertionError(name + " does not feed " + target));
            assertThat(e.getPartitioner()).as("%s -> %s", name, to.getOperatorName())
                    .isInstanceOf(ForwardPartitioner.class);
            assertThat(from.getParallelism()).isEqualTo(to.getParallelism());
            to = from;
        }
    }

    @Test
    void intentUpdatesAreForwardedFromTheKeyedIntentOperatorToTheIntentSink() {
        forwardAllTheWay(graph(), "Redis user intent: Writer", "Intent scores", "Material intent changes",
                "Intent (GRU step, micro-batched)", "Sessionize");
    }

    @Test
    void churnAndSegmentUpdatesAreForwardedFromTheOrderedChurnCallToTheScoresSink() {
        StreamGraph g = graph();
        forwardAllTheWay(g, "Redis user scores: Writer", "Churn scores", "Customers' churn scores",
                "Churn (GRU over periods)", "Sessionize");
        forwardAllTheWay(g, "Redis user scores: Writer", "Segment to score hash", "Segment entered", "Segments",
                "Churn (GRU over periods)", "Sessionize");
    }

    @Test
    void theIntentSinkIsChainedToTheIntentOperator() {
        StreamGraph g = graph();
        StreamNode sink = node(g, "Redis user intent: Writer");
        assertThat(sink.getInEdges()).hasSize(1); // one input: nothing stops the chain (a union would)
    }

    @Test
    void recommendationsAreForwardedFromTheOrderedRecommendCallToTheRecoSink() {
        forwardAllTheWay(graph(), "Redis recommendations: Writer",
                "Trending fallback for requests the model cannot serve", "Recommend (Transformer + TopK)", "Sessionize");
    }

    @Test
    void eachScopesTrendingListsAreForwardedFromTheScopeKeyedTaskToTheTrendingSink() {
        forwardAllTheWay(graph(), "Redis trending items: Writer", "Trending: list per scope");
    }
}
