package com.shopsense.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.UnifiedJedis;

/**
 * Online recommendation quality through the whole job (real Kafka, redis-server, RocksDB, the shipped
 * recommender, two versions split by user): HitRate@20 and MRR@20 per version in Redis equal a hand computation
 * from the fixture's events and the lists the recommender makes for them (the test scores the same sessions with
 * the same model, and checks its lists against the job's last list per user in Redis).
 *
 * <p>Per user: view a (list L1 from [a]), view b (evaluates L1; list L2 from [a, b]), then the next item event c
 * (evaluates L2; list L3), chosen at a rank of L2 that varies by user, or outside it, as a view or a reco_click,
 * with an order (not an item event) before it for some; for some users one more view 25 h later (L3 is still in
 * the storefront, within the 7 d TTL though past the attribution window: evaluated). The last list of a user is
 * never evaluated.
 */
@ExtendWith({SharedKafka.class, SharedRedis.class})
class RecoQualityIT {
    @RegisterExtension
    static final MiniClusterExtension FLINK = FlinkTestConfig.miniCluster(1, 2);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long T0 = Instant.parse("2024-03-01T10:00:00Z").toEpochMilli();
    private static final long S = 1_000L;
    private static final long H = 3_600_000L;
    private static final int USERS = 30;

    @TempDir
    Path dir;

    /** Variant B: the same trained model under another manifest version ("q-test"). */
    private Path variantB() throws Exception {
        Path b = dir.resolve("models-b");
        Files.createDirectories(b.resolve("recommend"));
        for (String f : new String[] {"feature_spec.json", "recommend/items.txt", "recommend/recommend.onnx"}) {
            Files.copy(Path.of("onnx-models", f), b.resolve(f));
        }
        ObjectNode manifest = (ObjectNode) JSON.readTree(Path.of("onnx-models/manifest.json").toFile());
        ObjectNode recommend = ((ObjectNode) manifest.get("models").get("recommend")).put("version", "q-test");
        manifest.putObject("models").set("recommend", recommend);
        JSON.writeValue(b.resolve("manifest.json").toFile(), manifest);
        return b;
    }

    /** The recommender's list for a session of these items, best first. */
    private static List<String> listFor(SharedModels.Handle model, RecommendInputEncoder enc, List<String> items)
            throws Exception {
        Object[] out = model.score(new Object[] {enc.encode(items)}).get(10, TimeUnit.SECONDS).outputs();
        return enc.decode((long[]) out[ModelInputs.outputIndex(model.manifestEntry(), "topk_ids")]);
    }

    /** Expected totals of one version: lists evaluated, hits, sum of 1/rank. */
    private static final class Expected {
        long lists;
        long hits;
        double rrSum;

        void evaluate(List<String> list, String next) {
            lists++;
            int rank = list.subList(0, Math.min(20, list.size())).indexOf(next) + 1;
            if (rank > 0) {
                hits++;
                rrSum += 1.0 / rank;
            }
        }
    }

    @Test
    void onlineHitRateAndMrrPerVersionEqualAHandComputation() throws Exception {
        List<String> vocab = Files.readAllLines(Path.of("onnx-models/recommend/items.txt"));
        RecommendInputEncoder enc = RecommendInputEncoder.fromSection(
                FeatureSpec.load(Path.of("onnx-models/feature_spec.json")).section("recommend"),
                Path.of("onnx-models/recommend/items.txt"));
        RecoSplit split = new RecoSplit(variantB().toString(), 50);
        String versionA = ModelManifest.load(new ModelSource("onnx-models")).model("recommend").version();
        Expected expectedA = new Expected();
        Expected expectedB = new Expected();
        Map<String, List<String>> lastList = new java.util.HashMap<>();
        List<ShopEvent> timeline = new ArrayList<>();
        try (SharedModels.Handle model = SharedModels.acquire(RuntimeOptions.cpu("onnx-models"), "recommend")) {
            for (int i = 0; i < USERS; i++) {
                String user = "q-user-" + i;
                Expected expected = split.servesB(user) ? expectedB : expectedA;
                long t = T0 + i * 60 * S;
                String a = vocab.get(3 + i);
                String b = vocab.get(400 + 11 * i);
                List<String> l1 = listFor(model, enc, List.of(a));
                List<String> l2 = listFor(model, enc, List.of(a, b));
                // c: at rank 1 + (i mod 20) of L2, or (every fourth user) an item L2 does not hold.
                String c = i % 4 == 3 ? vocab.stream().skip(1).filter(v -> !l2.contains(v)).findFirst().orElseThrow()
                        : l2.get(i % 20);
                timeline.add(ShopEvent.builder(user + "-1", user, EventType.VIEW, t).itemId(a).build());
                timeline.add(ShopEvent.builder(user + "-2", user, EventType.VIEW, t + 10 * S).itemId(b).build());
                expected.evaluate(l1, b);
                if (i % 3 == 2) {
                    timeline.add(ShopEvent.builder(user + "-o", user, EventType.ORDER, t + 15 * S).amount(25.0).build());
                }
                EventType cType = i % 2 == 0 ? EventType.VIEW : EventType.RECO_CLICK;
                timeline.add(ShopEvent.builder(user + "-3", user, cType, t + 20 * S).itemId(c).build());
                expected.evaluate(l2, c);
                List<String> l3 = listFor(model, enc, List.of(a, b, c));
                if (i % 5 == 0) {
                    String d = vocab.get(900 + i);
                    timeline.add(ShopEvent.builder(user + "-4", user, EventType.VIEW, t + 20 * S + 25 * H).itemId(d)
                            .build());
                    expected.evaluate(l3, d);
                } else {
                    lastList.put(user, l3);
                }
            }
        }
        assertThat(expectedA.hits).as("fixture has hits for A").isPositive();
        assertThat(expectedB.hits).as("fixture has hits for B").isPositive();
        assertThat(expectedA.hits).as("and misses").isLessThan(expectedA.lists);

        TestTopics topics = TestTopics.fresh("reco-quality");
        KafkaTestClient kafka = new KafkaTestClient(SharedKafka.bootstrap());
        kafka.createTopics(2, topics.allTopics());
        timeline.sort(Comparator.comparingLong(ShopEvent::timestampMs)); // as a shop produces them
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
        env.execute("reco-quality-it");

        RedisKeys keys = new RedisKeys(topics.redisPrefix());
        try (UnifiedJedis redis = SharedRedis.settings("reco-quality").createClient("reco-quality")) {
            for (Map.Entry<String, List<String>> e : lastList.entrySet()) {
                JsonNode reco = JSON.readTree(redis.get(keys.reco(e.getKey())));
                List<String> shown = new ArrayList<>();
                reco.get("items").forEach(item -> shown.add(item.get("itemId").asText()));
                assertThat(shown).as("the job's last list for %s is the one the test computed", e.getKey())
                        .isEqualTo(e.getValue());
            }
            assertQuality(redis.hgetAll(keys.recoAb(versionA)), expectedA);
            assertQuality(redis.hgetAll(keys.recoAb("q-test")), expectedB);
        }
    }

    private static void assertQuality(Map<String, String> hash, Expected expected) {
        // Every item of the fixture is in the recommender's vocabulary: all its lists are the model's.
        String p = "quality.model.";
        {
            assertThat(hash).containsEntry(p + "lists", Long.toString(expected.lists))
                    .containsEntry(p + "hits", Long.toString(expected.hits));
            assertThat(Double.parseDouble(hash.get(p + "hitRate")))
                    .isCloseTo((double) expected.hits / expected.lists, within(1e-4));
            assertThat(Double.parseDouble(hash.get(p + "mrr"))).isCloseTo(expected.rrSum / expected.lists,
                    within(1e-4));
        }
        assertThat(Long.parseLong(hash.get("quality.all.lists"))).as("all = model + trending")
                .isEqualTo(expected.lists + Long.parseLong(hash.get("quality.trending.lists")));
        assertThat(Long.parseLong(hash.get("quality.all.hits")))
                .isEqualTo(expected.hits + Long.parseLong(hash.get("quality.trending.hits")));
    }
}
