package com.shopsense.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.shopsense.config.JobConfig;
import com.shopsense.event.EventJson;
import com.shopsense.event.EventType;
import com.shopsense.event.ParsedRecord;
import com.shopsense.event.ShopEvent;
import com.shopsense.sink.RedisKeys;
import com.shopsense.testing.ExpectedKpis;
import com.shopsense.testing.FlinkTestConfig;
import com.shopsense.testing.KafkaTestClient;
import com.shopsense.testing.SharedKafka;
import com.shopsense.testing.SharedRedis;
import com.shopsense.testing.TestTopics;
import com.shopsense.tools.replay.DemoData;
import com.shopsense.tools.replay.OnlineRetail;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.UnifiedJedis;

/**
 * Segments and KPIs through the whole job on real data: the Online Retail orders of every 20th customer
 * before the calibration cut-off of onnx-models/segments.json. Each customer's segment in Redis, and the
 * users per segment, must equal what the documented method (onnx-models/training/segments.py, another
 * language and its own converter) computed for the same customers and cut-off; the KPI windows must equal
 * those computed here from the input events.
 */
@ExtendWith({SharedKafka.class, SharedRedis.class})
class SegmentsIT {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
                    .build());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PARTITIONS = 2;

    private static JsonNode segments;
    private static long cutoff;
    private static List<ShopEvent> events;
    private static Map<String, String[]> expected;
    private static TestTopics topics;

    @TempDir
    Path dir;

    @BeforeAll
    static void produceInput() throws Exception {
        segments = JSON.readTree(Path.of("onnx-models/segments.json").toFile());
        cutoff = Instant.parse(segments.at("/calibration/cutoff").asText()).toEpochMilli();
        int modulo = segments.at("/testSubset/customerIdModulo").asInt();
        // The bundled slice holds every invoice of these customers, as in the full file (DemoDataIT checks it).
        events = new ArrayList<>(OnlineRetail.read(DemoData.require(DemoData.ONLINE_RETAIL, "bundled demo slice"),
                id -> id % modulo == 0, cutoff));
        // One view per partition 11 minutes after the cut-off: the watermark (10 min out-of-orderness in
        // tests) then passes the cut-off before the input ends, so every segment change up to it happens.
        Set<Integer> covered = new HashSet<>();
        for (int i = 0; covered.size() < PARTITIONS; i++) {
            String user = "sentinel-" + i;
            if (covered.add(Utils.toPositive(Utils.murmur2(user.getBytes())) % PARTITIONS)) {
                events.add(ShopEvent.builder("sentinel-view-" + i, user, EventType.VIEW, cutoff + 11 * 60_000L)
                        .itemId("none").build());
            }
        }
        expected = new TreeMap<>();
        List<String> lines = Files.readAllLines(Path.of(segments.at("/testSubset/expected").asText()));
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            expected.put(f[0], f);
        }
        topics = TestTopics.fresh("segments");
        KafkaTestClient kafka = new KafkaTestClient(SharedKafka.bootstrap());
        kafka.createTopics(PARTITIONS, topics.allTopics());
        List<Map.Entry<String, byte[]>> records = new ArrayList<>();
        for (ShopEvent e : events) {
            records.add(Map.entry(e.userId(), EventJson.toBytes(e)));
        }
        kafka.produce(topics.events(), records);
    }

    @Test
    void segmentsMatchTheDocumentedMethodAndKpisMatchTheInput() throws Exception {
        // Unbounded, as in production: a bounded input ends with a watermark at +infinity (see SegmentTracker).
        // Retention past the data's start: the documented distribution counts every customer as of the cut-off,
        // and every KPI window of the year stays in Redis.
        JobConfig cfg = topics.jobConfig(Map.of("kafka.bounded", "false", "segments.retention", "400 d",
                "redis.kpi-retention", "400 d", "redis.alerts-per-user", "100000"));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                FlinkTestConfig.rocksDbWithCheckpoints(dir, Duration.ofMillis(500)));
        env.setParallelism(2);
        DataStream<ParsedRecord> records = env.fromSource(ShopSenseJob.source(cfg), ShopSenseJob.watermarks(cfg),
                "Kafka shop-events").uid("kafka-shop-events");
        ShopSenseJob.attachSinks(ShopSenseJob.defineWorkflow(records, cfg), cfg);
        Duration gap = cfg.get(com.shopsense.config.JobOptions.SESSION_GAP);
        Duration max = cfg.get(com.shopsense.config.JobOptions.SESSION_MAX_DURATION);
        // The sentinels' own session and windows stay open: the watermark stops short of their end.
        List<ShopEvent> orders = events.stream().filter(e -> !e.userId().startsWith("sentinel-")).toList();
        RedisKeys keys = new RedisKeys(topics.redisPrefix());
        var job = env.executeAsync("segments-it");
        try (UnifiedJedis redis = SharedRedis.settings("segments").createClient("segments")) {
            TreeMap<Long, Map<String, Object>> ordersOnly = new TreeMap<>(ExpectedKpis.compute(orders, Set.of(), Map.of(),
                    Duration.ofHours(1), Duration.ofMinutes(5), gap, max));
            int expectedWindows = ordersOnly.size();
            // Wait for the last window of the orders (score = window end), not for a count: the journey actions'
            // timers add windows of their own, so the count is reached before the job has read everything.
            long lastEnd = ordersOnly.lastKey();
            long deadline = System.nanoTime() + Duration.ofSeconds(100).toNanos();
            while (redis.zcount(keys.kpi("1h"), lastEnd, Double.POSITIVE_INFINITY) == 0 && System.nanoTime() < deadline) {
                Thread.sleep(500);
            }
            System.out.printf("SegmentsIT: %d events, 1h windows %d of %d%n", events.size(), redis.zcard(keys.kpi("1h")),
                    expectedWindows);
            Thread.sleep(1_000); // the last segment changes and 1m windows are flushed by then (redis.max-delay 20 ms)
        } finally {
            job.cancel().get();
        }

        double atRisk = segments.at("/thresholds/atRiskProbability").asDouble();
        Map<String, Long> expectedCounts = new TreeMap<>();
        try (UnifiedJedis redis = SharedRedis.settings("segments").createClient("segments")) {
            // Alerts as the job wrote them to Redis (the Kafka topic only shows checkpointed transactions,
            // and the job is cancelled): which payments alerted is the model's decision, counted independently.
            Set<String> alerted = ExpectedKpis.alertedEventIds(redis, keys, expected.keySet());
            // Likewise the actions: written, committed or not (the cancelled job's last transaction stays open).
            Map<String, List<Long>> actions = ExpectedKpis.actionTimes(
                    new KafkaTestClient(SharedKafka.bootstrap()).readAllWritten(topics.actions()),
                    user -> !user.startsWith("sentinel-")); // their windows stay open
            ExpectedKpis.assertSame(ExpectedKpis.fromRedis(redis, keys.kpi("1m")),
                    ExpectedKpis.compute(orders, alerted, actions, Duration.ofMinutes(1), Duration.ofMinutes(1), gap, max),
                    "1m");
            ExpectedKpis.assertSame(ExpectedKpis.fromRedis(redis, keys.kpi("1h")),
                    ExpectedKpis.compute(orders, alerted, actions, Duration.ofHours(1), Duration.ofMinutes(5), gap, max),
                    "1h");
            assertThat(expected).hasSize(segments.at("/testSubset/customers").asInt());
            for (Map.Entry<String, String[]> e : expected.entrySet()) {
                String[] f = e.getValue();
                Map<String, String> scores = redis.hgetAll(keys.scores(e.getKey()));
                double pChurn = Double.parseDouble(f[4]);
                assertThat(Double.parseDouble(scores.get("churn"))).as("churn score of %s at its last session", e.getKey())
                        .isCloseTo(pChurn, org.assertj.core.api.Assertions.within(2e-4));
                // Only a score within float noise of the threshold could fall on the other side in Java.
                if (Math.abs(pChurn - atRisk) > 1e-5) {
                    assertThat(scores.get("segment")).as("segment of %s", e.getKey()).isEqualTo(f[5]);
                }
                expectedCounts.merge(f[5], 1L, Long::sum);
            }
            Map<String, Long> counts = new TreeMap<>();
            redis.hgetAll(keys.segmentCounts()).forEach((s, n) -> {
                if (!n.equals("0")) {
                    counts.put(s, Long.parseLong(n));
                }
            });
            assertThat(counts).as("users per segment").isEqualTo(expectedCounts);
            segments.at("/testSubset/bySegment").fields().forEachRemaining(s -> assertThat(
                    expectedCounts.getOrDefault(s.getKey(), 0L))
                    .as("documented distribution of the test subset, %s", s.getKey())
                    .isEqualTo(s.getValue().get("customers").asLong()));

        }
    }
}
