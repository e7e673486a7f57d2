package com.shopsense.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.shopsense.config.JobConfig;
import com.shopsense.config.JobOptions;
import com.shopsense.event.EventLimits;
import com.shopsense.event.EventType;
import com.shopsense.event.ParsedRecord;
import com.shopsense.event.ShopEvent;
import com.shopsense.scoring.IntentScore;
import com.shopsense.scoring.UserScoreUpdate;
import com.shopsense.sink.RedisKeys;
import com.shopsense.testing.FlinkTestConfig;
import com.shopsense.testing.KafkaTestClient;
import com.shopsense.testing.ReplayFixture;
import com.shopsense.testing.SharedKafka;
import com.shopsense.testing.SharedRedis;
import com.shopsense.testing.TestTopics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.UnifiedJedis;

/**
 * Journey actions through the whole job (real broker, redis-server, MiniCluster with RocksDB and checkpoints) on a
 * Taobao slice with the synthetic payments: the actions on the topic (read_committed) equal those derived here
 * from the same input. cart_abandoned from the input rows' own sessions (cut from each user's sorted timestamps) and
 * their carts; high_intent from the intent scores the job computed, applying the threshold rule per session;
 * entered_at_risk from the segment changes the job wrote to the score hashes. And churn is a customer's only: no
 * user without an order has a churn score, every user with one has.
 */
@ExtendWith({SharedKafka.class, SharedRedis.class})
class JourneyActionsIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final MiniClusterExtension FLINK = FlinkTestConfig.miniCluster(1, 2);

    @TempDir
    Path dir;

    /** A session cut from the input: its id as the job names it, its events in order, the cart left at its end. */
    private record Session(String userId, String id, List<ShopEvent> events, List<String> cartItems, double cartValue,
            int cartSize) {
    }

    @Test
    void theActionsOnTheTopicEqualThoseDerivedFromTheSameInputAndProspectsHaveNoChurn() throws Exception {
        ReplayFixture fixture = ReplayFixture.taobaoWithPayments(8_000, 6);
        TestTopics topics = TestTopics.fresh("journey");
        KafkaTestClient kafka = new KafkaTestClient(SharedKafka.bootstrap());
        kafka.createTopics(2, topics.allTopics());
        kafka.produce(topics.events(), fixture.records);
        // The slice spans days: no customer there lapses. These do, after it (in time and in the topic).
        List<ShopEvent> lapsing = lapsingCustomers(fixture.events.stream().mapToLong(ShopEvent::timestampMs).max()
                .orElseThrow() + DAY);
        kafka.produce(topics.events(), lapsing.stream().map(e -> (Map.Entry<String, byte[]>)
                new java.util.AbstractMap.SimpleEntry<>(e.userId(), com.shopsense.event.EventJson.toBytes(e))).toList());

        JobConfig cfg = topics.jobConfig(Map.of());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                FlinkTestConfig.rocksDbWithCheckpoints(dir, Duration.ofMillis(500)));
        env.setParallelism(2);
        DataStream<ParsedRecord> records = env.fromSource(ShopSenseJob.source(cfg), ShopSenseJob.watermarks(cfg),
                "Kafka shop-events").uid("kafka-shop-events");
        ShopSenseJob.Outputs outputs = ShopSenseJob.defineWorkflow(records, cfg);
        ShopSenseJob.attachSinks(outputs, cfg);
        List<IntentScore> intent;
        List<UserScoreUpdate> updates;
        try (CloseableIterator<IntentScore> i = outputs.intentScores().collectAsync();
                // One collecting task: each user's updates come from one upstream task, in order, over one channel.
                CloseableIterator<UserScoreUpdate> u = outputs.sessionScoreUpdates().rebalance().collectAsync()) {
            JobClient job = env.executeAsync("journey-it"); // bounded: the final watermark closes every session
            CompletableFuture<List<IntentScore>> is = CompletableFuture.supplyAsync(() -> drain(i));
            CompletableFuture<List<UserScoreUpdate>> us = CompletableFuture.supplyAsync(() -> drain(u));
            intent = is.get(5, TimeUnit.MINUTES);
            updates = us.get(5, TimeUnit.MINUTES);
            job.getJobExecutionResult().get(5, TimeUnit.MINUTES);
        }
        Map<String, List<JsonNode>> actions = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> r : kafka.readAllCommitted(topics.actions())) {
            JsonNode a = JSON.readTree(r.value());
            assertThat(new String(r.key(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(a.get("userId").asText());
            actions.computeIfAbsent(a.get("type").asText(), t -> new ArrayList<>()).add(a);
        }
        assertThat(actions.values().stream().flatMap(List::stream).map(a -> a.get("actionId").asText()))
                .as("ids unique").doesNotHaveDuplicates();

        List<ShopEvent> valid = java.util.stream.Stream.concat(fixture.events.stream(), lapsing.stream())
                .filter(e -> e.timestampMs() >= EventLimits.YEAR_2000_MS).toList();
        List<Session> sessions = sessions(valid, cfg.get(JobOptions.SESSION_GAP), cfg.get(JobOptions.SESSION_MAX_DURATION));
        Map<String, Float> scoreOf = new HashMap<>();
        for (IntentScore s : intent) {
            assertThat(scoreOf.put(s.ref().eventId(), s.probability())).as("one score per event").isNull();
        }
        double threshold = manifestThreshold("intent", "highIntent");

        // cart_abandoned: every session whose cart was not empty at its end, with the score of its last event.
        Map<String, String> expectedCarts = new TreeMap<>();
        for (Session s : sessions) {
            if (s.cartSize() > 0) {
                float p = scoreOf.get(s.events().get(s.events().size() - 1).eventId());
                expectedCarts.put(s.id(), s.userId() + " " + s.cartItems() + " " + s.cartSize() + " "
                        + String.format(java.util.Locale.ROOT, "%.2f %.4f", s.cartValue(), p));
            }
        }
        Map<String, String> actualCarts = new TreeMap<>();
        for (JsonNode a : actions.getOrDefault("cart_abandoned", List.of())) {
            List<String> items = new ArrayList<>();
            a.get("items").forEach(n -> items.add(n.asText()));
            actualCarts.put(a.get("sessionId").asText(), a.get("userId").asText() + " " + items + " "
                    + a.get("cartSize").asInt() + " " + String.format(java.util.Locale.ROOT, "%.2f %.4f",
                            a.get("cartValue").asDouble(), a.get("score").asDouble()));
            assertThat(a.get("model").asText()).isEqualTo("intent");
            assertThat(a.get("threshold").asDouble()).isCloseTo(threshold, within(1e-4));
            assertThat(a.get("reason").asText()).contains("left in the cart");
        }
        assertThat(expectedCarts).as("the input has abandoned carts").hasSizeGreaterThan(10);
        assertThat(actualCarts).isEqualTo(expectedCarts);

        // high_intent: the first event of a session whose score reaches the threshold, at most one per session.
        Map<String, String> expectedHigh = new TreeMap<>();
        for (Session s : sessions) {
            for (ShopEvent e : s.events()) {
                float p = scoreOf.get(e.eventId());
                if (p >= threshold) {
                    expectedHigh.put(s.id(), e.eventId() + " " + String.format(java.util.Locale.ROOT, "%.4f", p));
                    break;
                }
            }
        }
        Map<String, String> actualHigh = new TreeMap<>();
        for (JsonNode a : actions.getOrDefault("high_intent", List.of())) {
            assertThat(actualHigh.put(a.get("sessionId").asText(), a.get("eventId").asText() + " "
                    + String.format(java.util.Locale.ROOT, "%.4f", a.get("score").asDouble()))).as("once per session")
                    .isNull();
        }
        assertThat(expectedHigh).as("the input has high-intent sessions").isNotEmpty();
        assertThat(actualHigh).isEqualTo(expectedHigh);

        // entered_at_risk: each move into at_risk in the segment sequence the job wrote, per user in order.
        Map<String, List<String[]>> segmentsOf = new LinkedHashMap<>();
        for (UserScoreUpdate u : updates) {
            int f = Arrays.asList(u.fields()).indexOf("segment");
            if (f >= 0) {
                segmentsOf.computeIfAbsent(u.userId(), k -> new ArrayList<>())
                        .add(new String[] {u.values()[f], Long.toString(u.updatedAt())});
            }
        }
        Set<String> expectedAtRisk = new HashSet<>();
        segmentsOf.forEach((user, seq) -> {
            String previous = null;
            for (String[] change : seq) {
                if (change[0].equals("at_risk") && !"at_risk".equals(previous)) {
                    expectedAtRisk.add(user + " " + change[1] + " " + previous);
                }
                previous = change[0];
            }
        });
        Set<String> actualAtRisk = new HashSet<>();
        for (JsonNode a : actions.getOrDefault("entered_at_risk", List.of())) {
            actualAtRisk.add(a.get("userId").asText() + " " + a.get("eventTime").asLong() + " "
                    + (a.hasNonNull("fromSegment") ? a.get("fromSegment").asText() : null));
            assertThat(a.get("model").asText()).isEqualTo("churn");
            assertThat(a.get("threshold").asDouble()).isCloseTo(manifestThreshold("churn", "atRisk"), within(1e-4));
        }
        assertThat(actualAtRisk).isEqualTo(expectedAtRisk);
        Set<String> lapsingUsers = lapsing.stream().map(ShopEvent::userId).collect(Collectors.toSet());
        assertThat(actions.getOrDefault("entered_at_risk", List.of()).stream().map(a -> a.get("userId").asText()))
                .as("each lapsing customer (two orders, then 60 days without) enters at_risk once")
                .containsExactlyInAnyOrderElementsOf(lapsingUsers);

        // Churn for customers only; prospects' segment is prospect, never at_risk.
        Set<String> customers = valid.stream().filter(e -> e.type() == EventType.ORDER).map(ShopEvent::userId)
                .collect(Collectors.toSet());
        Set<String> users = valid.stream().map(ShopEvent::userId).collect(Collectors.toCollection(LinkedHashSet::new));
        assertThat(customers).as("the slice has customers and prospects").isNotEmpty().hasSizeLessThan(users.size());
        RedisKeys keys = new RedisKeys(topics.redisPrefix());
        Set<String> churnValues = new HashSet<>();
        try (UnifiedJedis redis = SharedRedis.settings("journey").createClient("journey")) {
            for (String user : users) {
                Map<String, String> h = redis.hgetAll(keys.scores(user));
                if (customers.contains(user)) {
                    assertThat(h).as("customer %s", user).containsKeys("churn", "churnModel", "churnAtRisk");
                    churnValues.add(h.get("churn"));
                } else {
                    assertThat(h).as("prospect %s", user).doesNotContainKeys("churn", "churnModel", "churnAtRisk")
                            .containsEntry("segment", "prospect");
                }
            }
        }
        assertThat(churnValues).as("customers' churn scores differ").hasSizeGreaterThan(1);
        System.out.printf("journey actions: %d cart_abandoned, %d high_intent, %d entered_at_risk; %d customers, "
                + "%d distinct churn scores, %d prospects%n", actualCarts.size(), actualHigh.size(), actualAtRisk.size(),
                customers.size(), churnValues.size(), users.size() - customers.size());
    }

    /** Throws once, at the subtask's {@code at}-th record, unless the marker file exists (so the restart goes on). */
    static final class FailOnce implements org.apache.flink.api.common.functions.MapFunction<ParsedRecord, ParsedRecord> {
        private final String marker;
        private final long at;
        private long seen;

        FailOnce(Path marker, long at) {
            this.marker = marker.toString();
            this.at = at;
        }

        @Override
        public ParsedRecord map(ParsedRecord r) throws Exception {
            if (++seen == at && !Files.exists(Path.of(marker))) {
                Files.createFile(Path.of(marker));
                throw new IllegalStateException("forced failure for the exactly-once test");
            }
            if (seen % 200 == 0) {
                Thread.sleep(20); // pace: checkpoints complete (and commit actions) before the failure
            }
            return r;
        }
    }

    /** The job over the topics' input, bounded; with a marker, one forced task failure mid-stream. */
    private Map<String, String> actionsById(TestTopics topics, Path failMarker) throws Exception {
        JobConfig cfg = topics.jobConfig(Map.of());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                FlinkTestConfig.rocksDbWithCheckpoints(dir.resolve(topics.group()), Duration.ofMillis(200)));
        env.setParallelism(2);
        DataStream<ParsedRecord> records = env.fromSource(ShopSenseJob.source(cfg), ShopSenseJob.watermarks(cfg),
                "Kafka shop-events").uid("kafka-shop-events");
        if (failMarker != null) {
            records = records.map(new FailOnce(failMarker, 2_500)).uid("fail-once").name("Fail once");
        }
        ShopSenseJob.attachSinks(ShopSenseJob.defineWorkflow(records, cfg), cfg);
        env.execute("journey-eos-it");
        Map<String, String> byId = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> r : new KafkaTestClient(SharedKafka.bootstrap())
                .readAllCommitted(topics.actions())) {
            String id = JSON.readTree(r.value()).get("actionId").asText();
            assertThat(byId.put(id, new String(r.value(), java.nio.charset.StandardCharsets.UTF_8)))
                    .as("action %s once", id).isNull();
        }
        return byId;
    }

    @Test
    void aRunWithATaskFailureWritesExactlyTheActionsOfAnUndisturbedRunOnce() throws Exception {
        ReplayFixture fixture = ReplayFixture.taobaoWithPayments(8_000, 6);
        TestTopics input = TestTopics.fresh("journey-eos");
        KafkaTestClient kafka = new KafkaTestClient(SharedKafka.bootstrap());
        kafka.createTopics(2, input.allTopics());
        kafka.produce(input.events(), fixture.records);
        TestTopics plain = input.sameInputFreshOutputs("plain");
        TestTopics failed = input.sameInputFreshOutputs("failed");
        kafka.createTopics(2, plain.actions(), failed.actions());

        Map<String, String> undisturbed = actionsById(plain, null);
        Path marker = dir.resolve("failed-once");
        Map<String, String> recovered = actionsById(failed, marker);
        assertThat(marker).as("the forced failure happened").exists();
        assertThat(undisturbed).as("actions raised").hasSizeGreaterThan(100);
        assertThat(recovered).as("the same actions, ids and JSON, each once (read_committed)").isEqualTo(undisturbed);
    }

    private static final long DAY = Duration.ofDays(1).toMillis();

    /** Customers who order twice, ten days apart, and come back 60 days after their last order without buying. */
    private static List<ShopEvent> lapsingCustomers(long d0) {
        List<ShopEvent> out = new ArrayList<>();
        for (int u = 0; u < 4; u++) {
            String user = "lapsing-" + u;
            out.add(ShopEvent.builder(user + "-o1", user, EventType.ORDER, d0 + u).itemId("r1").price(20.0).quantity(1)
                    .build());
            out.add(ShopEvent.builder(user + "-o2", user, EventType.ORDER, d0 + 10 * DAY + u).itemId("r2").price(30.0)
                    .quantity(1).build());
            out.add(ShopEvent.builder(user + "-v", user, EventType.VIEW, d0 + 70 * DAY + u).itemId("r3").build());
        }
        out.sort(Comparator.comparingLong(ShopEvent::timestampMs));
        return out;
    }

    private static <T> List<T> drain(CloseableIterator<T> it) {
        List<T> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }

    private static double manifestThreshold(String model, String key) throws Exception {
        for (JsonNode m : JSON.readTree(Files.readString(Path.of("onnx-models/manifest.json"))).get("models")) {
            if (m.path("name").asText().equals(model)) {
                return m.at("/thresholds/" + key).asDouble();
            }
        }
        throw new IllegalStateException("no model " + model);
    }

    /**
     * Each user's sessions from their events sorted by time (stable: ties in input order), closed by the gap or the
     * maximum duration, and the cart: add_to_cart adds (ids once, the newest 20), remove_from_cart removes, an order
     * empties it.
     */
    private static List<Session> sessions(List<ShopEvent> events, Duration gap, Duration maxDuration) {
        Map<String, List<ShopEvent>> byUser = new LinkedHashMap<>();
        events.forEach(e -> byUser.computeIfAbsent(e.userId(), k -> new ArrayList<>()).add(e));
        List<Session> out = new ArrayList<>();
        for (List<ShopEvent> list : byUser.values()) {
            list.sort(Comparator.comparingLong(ShopEvent::timestampMs));
            List<ShopEvent> current = new ArrayList<>();
            for (ShopEvent e : list) {
                if (!current.isEmpty() && (e.timestampMs() >= current.get(current.size() - 1).timestampMs() + gap.toMillis()
                        || e.timestampMs() >= current.get(0).timestampMs() + maxDuration.toMillis())) {
                    out.add(session(current));
                    current = new ArrayList<>();
                }
                current.add(e);
            }
            out.add(session(current));
        }
        return out;
    }

    private static Session session(List<ShopEvent> events) {
        List<String> items = new ArrayList<>();
        double value = 0;
        int size = 0;
        for (ShopEvent e : events) {
            int q = e.quantity() == null ? 1 : e.quantity();
            switch (e.type()) {
                case ADD_TO_CART -> {
                    size += q;
                    value += e.monetaryValue();
                    if (e.itemId() != null && !items.contains(e.itemId())) {
                        items.add(e.itemId());
                        if (items.size() > 20) {
                            items.remove(0);
                        }
                    }
                }
                case REMOVE_FROM_CART -> {
                    size = Math.max(0, size - q);
                    value = Math.max(0, value - e.monetaryValue());
                    items.remove(e.itemId());
                    if (size == 0) {
                        items.clear();
                    }
                }
                case ORDER -> {
                    size = 0;
                    value = 0;
                    items.clear();
                }
                default -> {
                }
            }
        }
        ShopEvent first = events.get(0);
        return new Session(first.userId(), first.userId() + "-" + first.timestampMs(), events, items, value, size);
    }
}
