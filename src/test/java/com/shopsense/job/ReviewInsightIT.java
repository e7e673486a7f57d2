package com.shopsense.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.shopsense.config.JobConfig;
import com.shopsense.event.ParsedRecord;
import com.shopsense.features.FeatureSpec;
import com.shopsense.features.ReviewTokenizer;
import com.shopsense.testing.FlinkTestConfig;
import com.shopsense.testing.KafkaTestClient;
import com.shopsense.testing.ReviewReplay;
import com.shopsense.testing.ReviewReplay.Review;
import com.shopsense.testing.SharedKafka;
import com.shopsense.testing.SharedRedis;
import com.shopsense.testing.TestTopics;
import java.nio.LongBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Real reviews (the bundled English and Chinese demo slices, {@link ReviewReplay}) through the whole job: a real
 * broker, redis-server, a MiniCluster with RocksDB and checkpoints, the real review.onnx. Expected values are
 * computed here: every text scored with ONNX Runtime directly (one text per run, this test's own tokenization by the
 * contract's rule), then per product and category the counts and means, per product the surge rule over the reviews
 * in time order, per user the latest review's sentiment. No review text may appear in Redis (every key and value
 * under the prefix) or on any output topic; the bad reviews are dead letters with their reasons.
 */
@ExtendWith({SharedKafka.class, SharedRedis.class})
class ReviewInsightIT {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
                    .build());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long DAY = 86_400_000L;
    private static final int LAST_N = 5;
    private static final double MARGIN = 0.1;
    private static final int MIN_REVIEWS = 10;

    @TempDir
    Path dir;

    @Test
    void reviewInsightEqualsAnIndependentComputationAndNoTextLeavesTheJob() throws Exception {
        Map<String, Float> byText = new HashMap<>();
        try (Scorer scorer = new Scorer()) {
            // Six products' reviews in the order of this test's own scores, most negative last: a surge at their end.
            ReviewReplay replay = ReviewReplay.load(60, 6, 30, t -> byText.computeIfAbsent(t, scorer::pNegative));
            replay.reviews.stream().filter(r -> r.text() != null)
                    .forEach(r -> byText.computeIfAbsent(r.text(), scorer::pNegative));
            run(replay, byText);
        }
    }

    private void run(ReviewReplay replay, Map<String, Float> byText) throws Exception {
        List<Review> reviews = replay.reviews;
        TestTopics topics = TestTopics.fresh("reviews");
        KafkaTestClient kafka = new KafkaTestClient(SharedKafka.bootstrap());
        kafka.createTopics(2, topics.allTopics());
        List<Map.Entry<String, byte[]>> records = new ArrayList<>(replay.records());
        records.addAll(badReviews(reviews));
        kafka.produce(topics.events(), records);

        JobConfig cfg = topics.jobConfig(Map.of("review.window", "30 d", "review.slide", "1 d",
                "review.surge.last-n", Integer.toString(LAST_N), "review.surge.margin", Double.toString(MARGIN),
                "review.surge.min-reviews", Integer.toString(MIN_REVIEWS)));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                FlinkTestConfig.rocksDbWithCheckpoints(dir, Duration.ofMillis(500)));
        env.setParallelism(2);
        DataStream<ParsedRecord> in = env.fromSource(ShopSenseJob.source(cfg), ShopSenseJob.watermarks(cfg),
                "Kafka shop-events").uid("kafka-shop-events");
        ShopSenseJob.attachSinks(ShopSenseJob.defineWorkflow(in, cfg), cfg);
        long started = System.nanoTime();
        env.execute("review-insight-it");
        System.out.printf("[ReviewInsightIT] %d reviews (%d with text) through the job in %.1f s%n", reviews.size(),
                reviews.stream().filter(r -> r.text() != null).count(), (System.nanoTime() - started) / 1e9);

        Map<String, Float> pNegative = new HashMap<>();
        reviews.stream().filter(r -> r.text() != null).forEach(r -> pNegative.put(r.eventId(), byText.get(r.text())));
        double threshold = JSON.readTree(Path.of("onnx-models/manifest.json").toFile()).path("models").path("review")
                .path("thresholds").path("negative").asDouble(Double.NaN);
        assertThat(threshold).as("the manifest's negative threshold").isBetween(0.0, 1.0);

        try (UnifiedJedis redis = SharedRedis.settings("reviews").createClient("reviews-it")) {
            String prefix = topics.redisPrefix();
            long maxTs = reviews.stream().mapToLong(Review::ts).max().orElseThrow();
            Map<String, List<Review>> byScope = new TreeMap<>();
            for (Review r : reviews) {
                byScope.computeIfAbsent(prefix + ":review:item:" + r.itemId(), k -> new ArrayList<>()).add(r);
                byScope.computeIfAbsent(prefix + ":review:cat:" + r.categoryId(), k -> new ArrayList<>()).add(r);
            }
            for (Map.Entry<String, List<Review>> e : byScope.entrySet()) {
                assertWindow(redis.hgetAll(e.getKey()), e.getKey(), e.getValue(), pNegative, threshold, maxTs);
            }
            assertThat(scanKeys(redis, prefix + ":review:*")).as("no other review key").isEqualTo(byScope.keySet());

            Map<String, Review> latest = new HashMap<>();
            reviews.stream().filter(r -> r.text() != null).forEach(r -> latest.merge(r.userId(), r,
                    (a, b) -> a.ts() >= b.ts() ? a : b));
            for (Review r : latest.values()) {
                Map<String, String> hash = redis.hgetAll(prefix + ":{" + r.userId() + "}:scores");
                assertThat(Double.parseDouble(hash.get("reviewSentiment"))).as(r.userId() + " reviewSentiment")
                        .isCloseTo(1.0 - pNegative.get(r.eventId()), within(6e-5));
                assertThat(hash.get("reviewModel")).startsWith("review:");
            }

            assertNoText(reviews, allRedisText(redis, prefix), "Redis");
        }

        List<String> expectedSurges = expectedSurges(reviews, pNegative, threshold);
        assertThat(expectedSurges).as("the products ordered most negative last surge").isNotEmpty();
        List<JsonNode> surges = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : kafka.readAllCommitted(topics.actions())) {
            JsonNode a = JSON.readTree(r.value());
            if (a.path("type").asText().equals("negative_review_surge")) {
                surges.add(a);
                assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(a.path("itemId").asText());
                assertThat(a.path("actionId").asText()).isEqualTo(sha256Id(a.path("itemId").asText(),
                        a.path("eventId").asText()));
                assertThat(a.has("userId")).isFalse();
            }
        }
        System.out.printf("[ReviewInsightIT] surges %s%n", expectedSurges);
        assertThat(surges.stream().map(a -> a.path("itemId").asText() + "/" + a.path("eventId").asText()).toList())
                .containsExactlyInAnyOrderElementsOf(expectedSurges);

        StringBuilder topicsText = new StringBuilder();
        for (String t : new String[] {topics.actions(), topics.alerts(), topics.sessions()}) {
            for (ConsumerRecord<byte[], byte[]> r : kafka.readAllCommitted(t)) {
                topicsText.append(r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8)).append('\n')
                        .append(new String(r.value(), StandardCharsets.UTF_8)).append('\n');
            }
        }
        assertThat(topicsText).as("closed sessions were published").isNotEmpty();
        assertNoText(reviews, topicsText.toString(), "the output topics");

        // The dead-letter topic keeps rejected records' bytes by design (event-contract.md); exactly the bad ones.
        List<String> reasons = kafka.readAllCommitted(topics.dlq()).stream()
                .map(r -> KafkaTestClient.header(r, "dlq.reason")).sorted().toList();
        assertThat(reasons).hasSize(3);
        assertThat(reasons.get(0)).startsWith("field_too_large: text");
        assertThat(reasons.get(1)).startsWith("malformed_json: invalid UTF-8");
        assertThat(reasons.get(2)).startsWith("missing_field: itemId is required for review");
        reasons.forEach(reason -> assertNoText(reviews, reason, "DLQ reasons"));
    }

    /** Oversized text, invalid UTF-8 in the text, a review without its product. */
    private static List<Map.Entry<String, byte[]>> badReviews(List<Review> reviews) {
        String text = reviews.stream().filter(r -> r.text() != null && r.text().length() > 100).findFirst().orElseThrow()
                .text();
        String head = "{\"eventId\":\"bad-%d\",\"userId\":\"rv-bad\",\"type\":\"review\",\"ts\":1740787200000,"
                + "\"rating\":1,";
        List<Map.Entry<String, byte[]>> out = new ArrayList<>();
        out.add(new AbstractMap.SimpleEntry<>("rv-bad", (String.format(head, 1) + "\"itemId\":\"wc-x\",\"text\":"
                + JSON.valueToTree(text.repeat(4097 / text.length() + 1)) + "}").getBytes(StandardCharsets.UTF_8)));
        byte[] a = (String.format(head, 2) + "\"itemId\":\"wc-x\",\"text\":\"" + "overlong ").getBytes(StandardCharsets.UTF_8);
        byte[] b = " A\"}".getBytes(StandardCharsets.UTF_8);
        byte[] raw = new byte[a.length + 2 + b.length];
        System.arraycopy(a, 0, raw, 0, a.length);
        raw[a.length] = (byte) 0xC1; // an overlong 'A'
        raw[a.length + 1] = (byte) 0x81;
        System.arraycopy(b, 0, raw, a.length + 2, b.length);
        out.add(new AbstractMap.SimpleEntry<>("rv-bad", raw));
        out.add(new AbstractMap.SimpleEntry<>("rv-bad", (String.format(head, 3) + "\"text\":" + JSON.valueToTree(text)
                + "}").getBytes(StandardCharsets.UTF_8)));
        return out;
    }

    /** p_negative of a text: ONNX Runtime on review.onnx, one text per run, ids by the contract's byte rule. */
    private static final class Scorer implements AutoCloseable {
        private final OrtEnvironment env = OrtEnvironment.getEnvironment();
        private final OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        private final OrtSession session;
        private final int maxTokens;

        Scorer() throws Exception {
            maxTokens = ReviewTokenizer.fromSpec(FeatureSpec.load(Path.of("onnx-models/feature_spec.json"))).maxTokens();
            options.setIntraOpNumThreads(1);
            session = env.createSession("onnx-models/review/review.onnx", options);
        }

        float pNegative(String text) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            int n = Math.min(bytes.length, maxTokens - 1);
            long[] ids = new long[n + 1];
            ids[0] = 1;
            for (int i = 0; i < n; i++) {
                ids[i + 1] = (bytes[i] & 0xFF) + 2;
            }
            try (OnnxTensor t = OnnxTensor.createTensor(env, LongBuffer.wrap(ids), new long[] {1, ids.length});
                    OrtSession.Result res = session.run(Map.of("input_ids", t))) {
                return ((float[]) res.get("p_negative").orElseThrow().getValue())[0];
            } catch (ai.onnxruntime.OrtException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() throws Exception {
            session.close();
            options.close();
        }
    }

    private static void assertWindow(Map<String, String> hash, String key, List<Review> reviews,
            Map<String, Float> pNegative, double threshold, long maxTs) {
        // The window (30 d) is longer than the replay (~12 d): the last written window holds all of a scope's reviews.
        long rated = reviews.stream().filter(r -> r.rating() != null).count();
        List<Review> scored = reviews.stream().filter(r -> r.text() != null).toList();
        assertThat(hash).as(key).isNotEmpty();
        assertThat(Long.parseLong(hash.get("count"))).as(key + " count").isEqualTo(reviews.size());
        assertThat(Long.parseLong(hash.get("rated"))).as(key + " rated").isEqualTo(rated);
        assertThat(Long.parseLong(hash.get("scored"))).as(key + " scored").isEqualTo(scored.size());
        if (rated == 0) {
            assertThat(hash.get("meanRating")).as(key).isEmpty();
        } else {
            double mean = reviews.stream().filter(r -> r.rating() != null).mapToInt(Review::rating).average()
                    .orElseThrow();
            assertThat(Double.parseDouble(hash.get("meanRating"))).as(key + " meanRating").isCloseTo(mean,
                    within(5.1e-5));
        }
        double share = scored.stream().filter(r -> pNegative.get(r.eventId()) >= threshold).count()
                / (double) scored.size();
        double sentiment = scored.stream().mapToDouble(r -> 1.0 - pNegative.get(r.eventId())).average().orElseThrow();
        assertThat(Double.parseDouble(hash.get("shareNegative"))).as(key + " shareNegative").isCloseTo(share,
                within(5.1e-5));
        assertThat(Double.parseDouble(hash.get("meanSentiment"))).as(key + " meanSentiment").isCloseTo(sentiment,
                within(6e-5));
        long newest = reviews.stream().mapToLong(Review::ts).max().orElseThrow();
        long windowEnd = Long.parseLong(hash.get("windowEnd"));
        assertThat(windowEnd % DAY).as(key + " window ends at a slide").isZero();
        assertThat(windowEnd).as(key + " windowEnd").isGreaterThan(newest).isLessThanOrEqualTo(Math.floorDiv(maxTs, DAY)
                * DAY + DAY);
        assertThat(hash.get("modelVersion")).as(key).isNotEmpty();
    }

    /** The surge rule over each product's scored reviews in (time, eventId) order: "item/eventId" per surge. */
    private static List<String> expectedSurges(List<Review> reviews, Map<String, Float> pNegative, double threshold) {
        Map<String, List<Review>> byItem = new TreeMap<>();
        reviews.stream().filter(r -> r.text() != null)
                .forEach(r -> byItem.computeIfAbsent(r.itemId(), k -> new ArrayList<>()).add(r));
        List<String> out = new ArrayList<>();
        byItem.forEach((item, list) -> {
            list.sort(Comparator.comparingLong(Review::ts).thenComparing(Review::eventId));
            boolean armed = true;
            for (int i = 0; i < list.size(); i++) {
                int seen = i + 1;
                boolean exceeds = false;
                if (seen >= LAST_N && seen - LAST_N >= MIN_REVIEWS) {
                    long recent = list.subList(seen - LAST_N, seen).stream()
                            .filter(r -> pNegative.get(r.eventId()) >= threshold).count();
                    long before = list.subList(0, seen - LAST_N).stream()
                            .filter(r -> pNegative.get(r.eventId()) >= threshold).count();
                    exceeds = (double) recent / LAST_N > (double) before / (seen - LAST_N) + MARGIN;
                }
                if (exceeds && armed) {
                    out.add(item + "/" + list.get(i).eventId());
                }
                armed = !exceeds;
            }
        });
        return out;
    }

    private static String sha256Id(String itemId, String eventId) throws Exception {
        byte[] h = MessageDigest.getInstance("SHA-256").digest(("journey-action/v1\0negative_review_surge\0" + itemId
                + "\0" + eventId).getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(h, 0, 16);
    }

    private static Set<String> scanKeys(UnifiedJedis redis, String pattern) {
        Set<String> keys = new TreeSet<>();
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> page = redis.scan(cursor, new ScanParams().match(pattern).count(1000));
            keys.addAll(page.getResult());
            cursor = page.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        return keys;
    }

    /** Every key under the prefix and every value in it, as text. */
    private static String allRedisText(UnifiedJedis redis, String prefix) {
        StringBuilder b = new StringBuilder();
        Set<String> keys = scanKeys(redis, "*" + prefix + "*");
        assertThat(keys).as("keys the job wrote").isNotEmpty();
        for (String k : keys) {
            b.append(k).append('\n');
            switch (redis.type(k)) {
                case "string" -> b.append(redis.get(k));
                case "hash" -> redis.hgetAll(k).forEach((f, v) -> b.append(f).append('=').append(v).append('\n'));
                case "zset" -> redis.zrange(k, 0, -1).forEach(m -> b.append(m).append('\n'));
                case "list" -> redis.lrange(k, 0, -1).forEach(m -> b.append(m).append('\n'));
                case "set" -> redis.smembers(k).forEach(m -> b.append(m).append('\n'));
                default -> b.append(redis.type(k));
            }
            b.append('\n');
        }
        return b.toString();
    }

    /**
     * No text, nor a piece of one: each review's first 16 and last 16 characters (whole texts when shorter, those
     * of 6 or more characters), also as JSON would escape them.
     */
    private static void assertNoText(List<Review> reviews, String haystack, String where) {
        for (Review r : reviews) {
            if (r.text() == null) {
                continue;
            }
            String t = r.text().strip();
            List<String> pieces = t.length() <= 16 ? List.of(t) : List.of(t.substring(0, 16), t.substring(t.length() - 16));
            for (String piece : pieces) {
                if (piece.strip().length() < 6) {
                    continue;
                }
                String escaped = JSON.valueToTree(piece).toString();
                assertThat(haystack).as("review text in " + where + " (" + r.eventId() + ")").doesNotContain(piece)
                        .doesNotContain(escaped.substring(1, escaped.length() - 1));
            }
        }
    }
}
