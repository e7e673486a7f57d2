package com.shopsense.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.shopsense.config.JobConfig;
import com.shopsense.event.EventJson;
import com.shopsense.event.EventType;
import com.shopsense.event.ParsedRecord;
import com.shopsense.event.ShopEvent;
import com.shopsense.features.FeatureSpec;
import com.shopsense.features.RecommendInputEncoder;
import com.shopsense.inference.ModelInputs;
import com.shopsense.inference.ModelManifest;
import com.shopsense.inference.ModelSource;
import com.shopsense.inference.RuntimeOptions;
import com.shopsense.inference.SharedModels;
import com.shopsense.scoring.RecoSplit;
import com.shopsense.sink.RedisKeys;
import com.shopsense.testing.FlinkTestConfig;
import com.shopsense.testing.KafkaTestClient;
import com.shopsense.testing.SharedKafka;
import com.shopsense.testing.SharedRedis;
import com.shopsense.testing.TestTopics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.UnifiedJedis;

/**
 * Two recommender versions side by side through the whole job (real Kafka, redis-server, RocksDB): users
 * split 50/50 by hash, each served by their variant, and the A/B counts per version in Redis equal the
 * counts worked out from the fixture's rules. Variant B is the same trained model under another manifest
 * version ("b-test"): the test is about serving, attribution and counting, not about a better model.
 */
@ExtendWith({SharedKafka.class, SharedRedis.class})
class RecoAbIT {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
                    .build());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long T0 = Instant.parse("2024-03-01T10:00:00Z").toEpochMilli();
    private static final long S = 1_000L;
    private static final long H = 3_600_000L;
    private static final int USERS = 40;

    @TempDir
    Path dir;

    /** Variant B's directory: manifest with only the recommender, version "b-test", same files. */
    private Path variantB() throws Exception {
        Path b = dir.resolve("models-b");
        Files.createDirectories(b.resolve("recommend"));
        for (String f : new String[] {"feature_spec.json", "recommend/items.txt", "recommend/recommend.onnx"}) {
            Files.copy(Path.of("onnx-models", f), b.resolve(f));
        }
        ObjectNode manifest = (ObjectNode) JSON.readTree(Path.of("onnx-models/manifest.json").toFile());
        ObjectNode recommend = ((ObjectNode) manifest.get("models").get("recommend")).put("version", "b-test");
        manifest.putObject("models").set("recommend", recommend);
        JSON.writeValue(b.resolve("manifest.json").toFile(), manifest);
        return b;
    }

    /** The recommender's top item for a session of these items (what the job will show after them). */
    private static String topItem(SharedModels.Handle model, RecommendInputEncoder enc, List<String> items)
            throws Exception {
        Object[] out = model.score(new Object[] {enc.encode(items)}).get(10, TimeUnit.SECONDS).outputs();
        return enc.decode((long[]) out[ModelInputs.outputIndex(model.manifestEntry(), "topk_ids")]).get(0);
    }

    @Test
    void countsPerRecommenderVersionEqualTheFixturesCounts() throws Exception {
        List<String> vocab = Files.readAllLines(Path.of("onnx-models/recommend/items.txt"));
        RecommendInputEncoder enc = RecommendInputEncoder.fromSection(
                FeatureSpec.load(Path.of("onnx-models/feature_spec.json")).section("recommend"),
                Path.of("onnx-models/recommend/items.txt"));
        RecoSplit split = new RecoSplit(variantB().toString(), 50);
        String versionA = ModelManifest.load(new ModelSource("onnx-models")).model("recommend").version();
        // Per user: view a, view b (list L1 shown), reco_click on L1's top item (attributed to L1), then an
        // order 40 s later (conversion), 25 h later (outside the window) or none. Every item event refreshes
        // the list (min-interval 0), so 3 impressions per user.
        List<ShopEvent> timeline = new ArrayList<>();
        long[] expectedA = new long[3];
        long[] expectedB = new long[3];
        try (SharedModels.Handle model = SharedModels.acquire(RuntimeOptions.cpu("onnx-models"), "recommend")) {
            for (int i = 0; i < USERS; i++) {
                String user = "ab-user-" + i;
                long t = T0 + i * 60 * S;
                String a = vocab.get(2 + i);
                String b = vocab.get(500 + 7 * i);
                String clicked = topItem(model, enc, List.of(a, b));
                List<ShopEvent> events = new ArrayList<>(List.of(
                        ShopEvent.builder(user + "-1", user, EventType.VIEW, t).itemId(a).build(),
                        ShopEvent.builder(user + "-2", user, EventType.VIEW, t + 10 * S).itemId(b).build(),
                        ShopEvent.builder(user + "-3", user, EventType.RECO_CLICK, t + 20 * S).itemId(clicked).build()));
                boolean converts = i % 3 != 0 && i % 2 == 0;
                if (i % 3 == 0) {
                    events.add(ShopEvent.builder(user + "-4", user, EventType.ORDER, t + 20 * S + 25 * H).amount(30.0).build());
                } else if (converts) {
                    events.add(ShopEvent.builder(user + "-4", user, EventType.ORDER, t + 60 * S).amount(30.0).build());
                }
                long[] expected = split.servesB(user) ? expectedB : expectedA;
                expected[0] += 3;
                expected[1] += 1;
                expected[2] += converts ? 1 : 0;
                timeline.addAll(events);
            }
        }
        assertThat(expectedA[2]).as("fixture has conversions for A").isPositive();
        assertThat(expectedB[2]).as("fixture has conversions for B").isPositive();

        TestTopics topics = TestTopics.fresh("reco-ab");
        KafkaTestClient kafka = new KafkaTestClient(SharedKafka.bootstrap());
        kafka.createTopics(2, topics.allTopics());
        // In time order, as a shop produces them: a user's order 25 h later must not come before the next
        // user's views, or its partition's watermark would make those views late (a flaky race otherwise).
        timeline.sort(java.util.Comparator.comparingLong(ShopEvent::timestampMs));
        List<Map.Entry<String, byte[]>> records = new ArrayList<>();
        timeline.forEach(e -> records.add(Map.entry(e.userId(), EventJson.toBytes(e))));
        kafka.produce(topics.events(), records);
        JobConfig cfg = topics.jobConfig(Map.of("reco.min-interval", "0 s", "reco.min-session-events", "1",
                "reco.variant-b.models-dir", split.variantBModelsDir(), "reco.variant-b.percent", "50"));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                FlinkTestConfig.rocksDbWithCheckpoints(dir.resolve("checkpoints"), Duration.ofMillis(500)));
        env.setParallelism(2);
        DataStream<ParsedRecord> input = env
                .fromSource(ShopSenseJob.source(cfg), ShopSenseJob.watermarks(cfg), "Kafka shop-events")
                .uid("kafka-shop-events");
        ShopSenseJob.attachSinks(ShopSenseJob.defineWorkflow(input, cfg), cfg);
        env.execute("reco-ab-it");

        RedisKeys keys = new RedisKeys(topics.redisPrefix());
        try (UnifiedJedis redis = SharedRedis.settings("reco-ab").createClient("reco-ab")) {
            for (int i = 0; i < USERS; i++) {
                String user = "ab-user-" + i;
                String reco = redis.get(keys.reco(user));
                assertThat(JSON.readTree(reco).get("version").asText()).as("variant serving %s", user)
                        .isEqualTo(split.servesB(user) ? "b-test" : versionA);
            }
            assertCounts(redis.hgetAll(keys.recoAb(versionA)), expectedA);
            assertCounts(redis.hgetAll(keys.recoAb("b-test")), expectedB);
            assertThat(redis.pttl(keys.recoAb("b-test"))).isPositive();
        }
    }

    private static void assertCounts(Map<String, String> hash, long[] expected) {
        assertThat(hash).containsEntry("impressions", Long.toString(expected[0]))
                .containsEntry("clicks", Long.toString(expected[1]))
                .containsEntry("conversions", Long.toString(expected[2]));
        assertThat(Double.parseDouble(hash.get("ctr"))).isCloseTo((double) expected[1] / expected[0],
                org.assertj.core.api.Assertions.within(1e-4));
        assertThat(Double.parseDouble(hash.get("conversionRate"))).isCloseTo((double) expected[2] / expected[1],
                org.assertj.core.api.Assertions.within(1e-4));
    }
}
