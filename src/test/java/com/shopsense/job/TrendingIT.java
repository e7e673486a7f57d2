package com.shopsense.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.shopsense.config.JobConfig;
import com.shopsense.event.EventJson;
import com.shopsense.event.EventLimits;
import com.shopsense.event.EventType;
import com.shopsense.event.ShopEvent;
import com.shopsense.sink.RedisKeys;
import com.shopsense.testing.ExpectedTrending;
import com.shopsense.testing.FlinkTestConfig;
import com.shopsense.testing.KafkaTestClient;
import com.shopsense.testing.PipelineRun;
import com.shopsense.testing.ReplayFixture;
import com.shopsense.testing.SharedKafka;
import com.shopsense.testing.SharedRedis;
import com.shopsense.testing.TestTopics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;
import redis.clients.jedis.resps.Tuple;

/**
 * Trending items through the whole job (Kafka, MiniCluster with RocksDB and checkpoints, redis-server) on 8,000
 * real Taobao rows: once the watermark stands at a known window end (a search event per partition, after the
 * replay, sets it), {@code prefix:popular} and every {@code prefix:popular:cat:<id>} in Redis must equal the lists
 * computed here from the input rows ({@link ExpectedTrending}); and every recommendation list labelled
 * {@code trending} must be the trending list of its request's category (or, when that category had none yet, the
 * shop-wide one) of some window up to then.
 */
@ExtendWith({SharedKafka.class, SharedRedis.class})
class TrendingIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MIN = 60_000L;

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
                    .build());

    @TempDir
    Path dir;

    @Test
    void trendingKeysEqualTheListsComputedFromTheReplayedRowsAndFallbacksServeThem() throws Exception {
        ReplayFixture fixture = ReplayFixture.taobao(8_000);
        TestTopics topics = TestTopics.fresh("trending");
        KafkaTestClient kafka = new KafkaTestClient(SharedKafka.bootstrap());
        kafka.createTopics(2, topics.allTopics());
        kafka.produce(topics.events(), fixture.records);
        // 10-min window of 1-min panes, half-life 5 min, support 3, top 20 (the slice spans 11 minutes).
        ExpectedTrending expected = new ExpectedTrending(10 * MIN, MIN, 5 * MIN, 3, 20, 1, 3, 5);
        JobConfig cfg = topics.jobConfig(Map.of("kafka.bounded", "false", "trending.window", "10 min",
                "trending.pane", "1 min", "trending.half-life", "5 min", "trending.min-support", "3",
                "trending.top-k", "20", "reco.min-interval", "0 s", "reco.min-session-events", "1"));
        List<ShopEvent> valid = fixture.events.stream().filter(e -> e.timestampMs() >= EventLimits.YEAR_2000_MS)
                .toList();
        long last = valid.stream().mapToLong(ShopEvent::timestampMs).max().orElseThrow();
        long end = expected.paneEnd(last); // the last window that holds every row
        // watermark = max event time - out-of-orderness - 1 = end, on both partitions
        long sentinelTs = end + cfg.get(com.shopsense.config.JobOptions.OUT_OF_ORDERNESS).toMillis() + 1;
        try (KafkaProducer<byte[], byte[]> p = kafka.producer()) {
            for (int partition = 0; partition < 2; partition++) {
                ShopEvent s = ShopEvent.builder("sentinel-" + partition, "sentinel-" + partition, EventType.SEARCH,
                        sentinelTs).query("clock").build();
                p.send(new ProducerRecord<>(topics.events(), partition, s.userId().getBytes(), EventJson.toBytes(s)))
                        .get();
            }
        }
        Map<String, List<Map.Entry<String, Double>>> want = expected.at(valid, end);
        assertThat(want.keySet().stream().filter(k -> k.startsWith("cat:")).count())
                .as("categories with a trending list in the reference").isGreaterThan(10);

        JobClient job = PipelineRun.start(PipelineRun.env(FlinkTestConfig.rocksDbWithCheckpoints(dir,
                Duration.ofMillis(500))), cfg, null, "trending-it");
        RedisKeys keys = new RedisKeys(topics.redisPrefix());
        Map<String, List<Map.Entry<String, Double>>> got = Map.of();
        try (UnifiedJedis redis = SharedRedis.settings("trending").createClient("trending")) {
            long deadline = System.currentTimeMillis() + 120_000;
            while (System.currentTimeMillis() < deadline) {
                got = trendingKeys(redis, keys);
                if (sameLists(got, want)) { // the scores decay every pane: only window `end` has these
                    break;
                }
                Thread.sleep(500);
            }
            try {
                assertThat(scan(redis, "{" + keys.popular() + "*")).as("staging keys left beside the lists").isEmpty();
                assertThat(got.keySet()).as("trending scopes in Redis").containsExactlyInAnyOrderElementsOf(want.keySet());
                for (Map.Entry<String, List<Map.Entry<String, Double>>> e : want.entrySet()) {
                    assertThat(got.get(e.getKey())).as("list of %s", e.getKey()).hasSameSizeAs(e.getValue());
                    for (int i = 0; i < e.getValue().size(); i++) {
                        assertThat(got.get(e.getKey()).get(i).getKey()).as("item %d of %s", i, e.getKey())
                                .isEqualTo(e.getValue().get(i).getKey());
                        assertThat(got.get(e.getKey()).get(i).getValue()).as("score %d of %s", i, e.getKey())
                                .isCloseTo(e.getValue().get(i).getValue(), org.assertj.core.api.Assertions.within(1e-9));
                    }
                }
                // The lists come out of the async recommend call and the reco sink's batches, after the trending
                // keys (which the watermark alone decides): wait until they stop changing.
                awaitSettledRecommendations(redis, keys, valid);
                assertFallbacksServeTrendingLists(redis, keys, fixture, expected, valid, end);
            } finally {
                job.cancel().get();
            }
        }
    }

    /** Waits (up to 60 s) until the users' recommendation lists in Redis are the same in three reads 1 s apart. */
    private static void awaitSettledRecommendations(UnifiedJedis redis, RedisKeys keys, List<ShopEvent> valid)
            throws InterruptedException {
        List<String> users = valid.stream().map(ShopEvent::userId).distinct().toList();
        List<String> recoKeys = users.stream().map(keys::reco).toList();
        List<String> previous = null;
        int same = 0;
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline && same < 2) {
            List<String> now = redis.mget(recoKeys.toArray(new String[0])); // one server, not a cluster
            same = now.equals(previous) && now.stream().anyMatch(java.util.Objects::nonNull) ? same + 1 : 0;
            previous = now;
            Thread.sleep(1_000);
        }
    }

    /** scope -> (item, score) best first, read from every trending key under the prefix. */
    private static Map<String, List<Map.Entry<String, Double>>> trendingKeys(UnifiedJedis redis, RedisKeys keys) {
        Map<String, List<Map.Entry<String, Double>>> out = new HashMap<>();
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> page = redis.scan(cursor, new ScanParams().match(keys.popular() + "*").count(1000));
            for (String key : page.getResult()) {
                String scope = key.equals(keys.popular()) ? ExpectedTrending.SHOP
                        : "cat:" + key.substring((keys.popular() + ":cat:").length());
                List<Map.Entry<String, Double>> l = new ArrayList<>();
                for (Tuple t : redis.zrevrangeWithScores(key, 0, -1)) {
                    l.add(Map.entry(t.getElement(), t.getScore()));
                }
                // ZREVRANGE orders equal scores by member descending; the lists order them by id ascending.
                l.sort(java.util.Comparator.comparingDouble((Map.Entry<String, Double> x) -> -x.getValue())
                        .thenComparing(Map.Entry::getKey));
                out.put(scope, l);
            }
            cursor = page.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        return out;
    }

    /**
     * Each user's latest list with source trending: its items must be, in order, the head of the reference list of
     * its triggering event's category at some window end up to {@code end}, or of the shop-wide one.
     */
    private static void assertFallbacksServeTrendingLists(UnifiedJedis redis, RedisKeys keys, ReplayFixture fixture,
            ExpectedTrending expected, List<ShopEvent> valid, long end) throws Exception {
        Map<String, ShopEvent> byId = valid.stream().collect(Collectors.toMap(ShopEvent::eventId, e -> e, (a, b) -> a));
        Map<Long, Map<String, List<Map.Entry<String, Double>>>> windows = new LinkedHashMap<>();
        long first = expected.paneEnd(valid.stream().mapToLong(ShopEvent::timestampMs).min().orElseThrow());
        for (long e = first; e <= end; e += MIN) {
            windows.put(e, expected.at(valid, e));
        }
        int fallbacks = 0;
        int trending = 0;
        int byCategory = 0;
        Set<String> users = new HashSet<>(valid.stream().map(ShopEvent::userId).toList());
        for (String user : users) {
            String json = redis.get(keys.reco(user));
            if (json == null) {
                continue;
            }
            JsonNode r = JSON.readTree(json);
            if (!"trending".equals(r.get("source").asText())) {
                continue;
            }
            fallbacks++;
            if (r.get("items").isEmpty()) {
                continue; // served before the first trending list reached the fallback
            }
            trending++;
            List<String> items = new ArrayList<>();
            r.get("items").forEach(i -> items.add(i.get("itemId").asText()));
            String category = byId.get(r.get("eventId").asText()).categoryId();
            boolean ofCategory = windows.values().stream().anyMatch(w -> isHead(items, w.get("cat:" + category)));
            boolean shopWide = windows.values().stream().anyMatch(w -> isHead(items, w.get(ExpectedTrending.SHOP)));
            assertThat(ofCategory || shopWide).as("%s's trending list %s is a trending list of category %s or the "
                    + "shop", user, items, category).isTrue();
            byCategory += ofCategory ? 1 : 0;
        }
        // Which fallbacks are filled depends on processing time: the lists the fallback had received when it served
        // the request (docs/insight.md). A fast run serves them all before the first list arrives (seen in CI), a
        // slower one fills most; the filling itself is pinned by TrendingFallbackTest. Asserted here: the model's
        // unservable requests become trending fallbacks, and every filled one is a real trending list of its scope.
        System.out.printf("TrendingIT: %d trending fallbacks, %d filled, %d with the request's category%n", fallbacks,
                trending, byCategory);
        assertThat(fallbacks).as("users whose latest list is a trending fallback").isGreaterThan(100);
        if (trending > 100) { // few of the slice's categories reach the support within minutes (1,455 of 4,944)
            assertThat(byCategory).as("of the filled ones, lists of the request's category").isGreaterThan(trending / 10);
        }
    }

    private static boolean isHead(List<String> items, List<Map.Entry<String, Double>> list) {
        if (list == null || list.size() < items.size() || items.size() != Math.min(20, list.size())) {
            return false;
        }
        for (int i = 0; i < items.size(); i++) {
            if (!list.get(i).getKey().equals(items.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** Same scopes, same items in the same order, scores within 1e-9 (the reference sums in another order). */
    private static boolean sameLists(Map<String, List<Map.Entry<String, Double>>> got,
            Map<String, List<Map.Entry<String, Double>>> want) {
        if (!got.keySet().equals(want.keySet())) {
            return false;
        }
        for (Map.Entry<String, List<Map.Entry<String, Double>>> e : want.entrySet()) {
            List<Map.Entry<String, Double>> g = got.get(e.getKey());
            if (g.size() != e.getValue().size()) {
                return false;
            }
            for (int i = 0; i < g.size(); i++) {
                if (!g.get(i).getKey().equals(e.getValue().get(i).getKey())
                        || Math.abs(g.get(i).getValue() - e.getValue().get(i).getValue()) > 1e-9) {
                    return false;
                }
            }
        }
        return true;
    }

    private static List<String> scan(UnifiedJedis redis, String pattern) {
        List<String> out = new ArrayList<>();
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> page = redis.scan(cursor, new ScanParams().match(pattern).count(1000));
            out.addAll(page.getResult());
            cursor = page.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        return out;
    }
}
