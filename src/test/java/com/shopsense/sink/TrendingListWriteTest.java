package com.shopsense.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.shopsense.insight.TrendingList;
import com.shopsense.testing.SharedRedis;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;
import redis.clients.jedis.resps.Tuple;

/**
 * Trending lists written with plain commands on a real redis-server ({@link SortedSetReplace}): swapped in whole,
 * the last one sent per scope wins, replays and resent pipelines converge, a reader never sees a partial or mixed
 * list.
 */
@ExtendWith(SharedRedis.class)
class TrendingListWriteTest {
    private static final long TTL = 3_600_000L;
    private final List<AutoCloseable> open = new ArrayList<>();
    private final UnifiedJedis redis = SharedRedis.settings("probe").createClient("test");

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        redis.close();
    }

    private RedisBatchWriter writer(RedisSettings s, RedisBatchWriter.Listener listener) {
        RedisBatchWriter w = new RedisBatchWriter(s.createClient("test"), s, listener);
        open.add(w);
        return w;
    }

    private RedisBatchWriter writer(RedisSettings s) {
        return writer(s, new RedisBatchWriter.Listener() {
        });
    }

    private static RedisSettings withBatchSize(RedisSettings b, int batchSize) {
        return new RedisSettings(b.cluster(), b.nodes(), b.database(), b.user(), b.password(), b.tls(), b.timeoutMs(),
                b.keyPrefix(), b.recoTtlMs(), b.scoresTtlMs(), b.alertsTtlMs(), b.alertsPerUser(), b.alertsShopWide(),
                batchSize, b.maxDelayMs(), b.maxRetries(), b.retryBackoffMs(), b.retryBackoffMaxMs());
    }

    private static TrendingList list(String category, long windowEnd, String[] items, double[] scores) {
        return new TrendingList(category == null ? "shop" : "cat:" + category, category, windowEnd, items, scores, 0);
    }

    /** member -> score, as stored. */
    private Map<String, Double> stored(String key) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (Tuple t : redis.zrevrangeWithScores(key, 0, -1)) {
            out.put(t.getElement(), t.getScore());
        }
        return out;
    }

    private List<String> scan(String pattern) {
        List<String> out = new ArrayList<>();
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> page = redis.scan(cursor, new ScanParams().match(pattern).count(1000));
            out.addAll(page.getResult());
            cursor = page.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        return out;
    }

    @Test
    void aListReplacesTheStoredOneWholeRenewsItsTtlAndAnEmptyListRemovesTheKey() throws Exception {
        RedisSettings s = SharedRedis.settings("trend-whole");
        RedisKeys k = s.keys();
        RedisBatchWriter w = writer(s);
        double decayed = 3 * Math.pow(2, -7 / 30.0) + Math.pow(2, -52 / 30.0); // not a short decimal
        w.add(RedisWrites.trending(list(null, 60_000, new String[] {"2333346", "1715", "3611281"},
                new double[] {decayed + 2, decayed, 0.5}), k, TTL));
        w.flush();
        assertThat(stored(k.popular())).containsExactly(Map.entry("2333346", decayed + 2), Map.entry("1715", decayed),
                Map.entry("3611281", 0.5));
        redis.pexpire(k.popular(), 5_000);

        // Fewer, other items: nothing of the old list stays; the TTL is the write's again.
        w.add(RedisWrites.trending(list(null, 120_000, new String[] {"1715", "42"}, new double[] {9.25, decayed}), k,
                TTL));
        w.flush();
        assertThat(stored(k.popular())).containsExactly(Map.entry("1715", 9.25), Map.entry("42", decayed));
        assertThat(redis.pttl(k.popular())).isBetween(TTL - 60_000, TTL);

        w.add(RedisWrites.trending(list(null, 180_000, new String[0], new double[0]), k, TTL));
        w.flush();
        assertThat(redis.exists(k.popular())).as("an empty list removes the key").isFalse();
        assertThat(scan("{" + k.popular() + "*")).as("no staging or guard key beside it").isEmpty();
    }

    @Test
    void whatAnInterruptedWriteLeftInTheStagingKeyNeverReachesTheList() throws Exception {
        RedisSettings s = SharedRedis.settings("trend-stale");
        RedisKeys k = s.keys();
        String key = k.popularCategory("4756105");
        // DEL + ZADD of a write ran, the connection dropped before its RENAME
        redis.zadd(RedisKeys.trendingStaging(key), 7.0, "stale-item");
        RedisBatchWriter w = writer(s);
        w.add(RedisWrites.trending(list("4756105", 60_000, new String[] {"1715"}, new double[] {1.5}), k, TTL));
        w.flush();
        assertThat(stored(key)).containsExactly(Map.entry("1715", 1.5));
        assertThat(redis.exists(RedisKeys.trendingStaging(key))).isFalse();
    }

    /** 40 windows of 7 scopes, each list 0..8 items (0: the scope's list ended; c5's last one), best first. */
    private static List<TrendingList> windows(long seed) {
        Random r = new Random(seed);
        List<TrendingList> out = new ArrayList<>();
        for (int window = 1; window <= 40; window++) {
            for (int c = -1; c < 6; c++) {
                int n = window == 40 && c == 5 ? 0 : r.nextInt(9);
                String[] items = new String[n];
                double[] scores = new double[n];
                double score = 50 * r.nextDouble();
                for (int i = 0; i < n; i++) {
                    items[i] = Integer.toString(1 + r.nextInt(5_163_070));
                    scores[i] = score;
                    score *= 0.5 + 0.5 * r.nextDouble(); // decreasing (ties at most by chance)
                }
                out.add(list(c < 0 ? null : "c" + c, window * 60_000L, items, scores));
            }
        }
        return out;
    }

    /** The reference: each scope's last list (its items and scores), computed from the lists, not from Redis. */
    private static Map<String, Map<String, Double>> lastPerScope(List<TrendingList> lists, RedisKeys k) {
        Map<String, Map<String, Double>> out = new HashMap<>();
        for (TrendingList l : lists) {
            Map<String, Double> m = new HashMap<>();
            for (int i = 0; i < l.itemIds().length; i++) {
                m.put(l.itemIds()[i], l.scores()[i]);
            }
            String key = l.categoryId() == null ? k.popular() : k.popularCategory(l.categoryId());
            if (m.isEmpty()) {
                out.remove(key);
            } else {
                out.put(key, m);
            }
        }
        return out;
    }

    private Map<String, Map<String, Double>> trendingKeys(RedisKeys k) {
        Map<String, Map<String, Double>> out = new HashMap<>();
        for (String key : scan(k.popular() + "*")) {
            assertThat(redis.pttl(key)).as("TTL of %s", key).isBetween(TTL - 60_000, TTL);
            out.put(key, new HashMap<>(stored(key)));
        }
        return out;
    }

    @Test
    void replaysFromACheckpointAndResentPipelinesConvergeToEachScopesLastList() throws Exception {
        List<TrendingList> lists = windows(21);
        RedisSettings a = SharedRedis.settings("trend-undisturbed");
        RedisBatchWriter wa = writer(a);
        for (TrendingList l : lists) {
            wa.add(RedisWrites.trending(l, a.keys(), TTL));
        }
        wa.flush();
        Map<String, Map<String, Double>> expected = lastPerScope(lists, a.keys());
        assertThat(expected.size()).as("scopes with a list at the end").isBetween(1, 6);
        assertThat(trendingKeys(a.keys())).isEqualTo(expected);

        // A failure after window 31's lists went out; the restore replays from the checkpoint at window 12, in
        // order, in batches of 10 (other coalescing); a pipeline resent whole (a retry after a lost reply) on the way.
        RedisSettings b = withBatchSize(SharedRedis.settings("trend-replayed"), 10);
        AtomicInteger coalesced = new AtomicInteger();
        RedisBatchWriter wb = writer(b, new RedisBatchWriter.Listener() {
            @Override
            public void coalesced() {
                coalesced.incrementAndGet();
            }
        });
        int checkpoint = 12 * 7;
        int failure = 31 * 7;
        for (TrendingList l : lists.subList(0, failure)) {
            wb.add(RedisWrites.trending(l, b.keys(), TTL));
        }
        wb.flush();
        Map<String, Map<String, Double>> beforeReplay = trendingKeys(b.keys());
        for (int i = checkpoint; i < lists.size(); i++) {
            wb.add(RedisWrites.trending(lists.get(i), b.keys(), TTL));
            if (i == 200) { // the same writes once more, as a resent pipeline sends them
                wb.flush();
                for (TrendingList l : lists.subList(190, 201)) {
                    wb.add(RedisWrites.trending(l, b.keys(), TTL));
                }
            }
        }
        wb.flush();
        assertThat(beforeReplay).as("the replay had something to undo").isNotEqualTo(lastPerScope(lists, b.keys()));
        assertThat(trendingKeys(b.keys())).isEqualTo(lastPerScope(lists, b.keys()));
        assertThat(scan("{" + b.keys().popular() + "*")).as("staging keys left").isEmpty();
        assertThat(coalesced).as("a scope's two lists in one batch of 10: one is sent").hasValueGreaterThan(0);
    }

    @Test
    void twoListsOfAScopeInOneBatchCostOneWriteAndTheLaterWins() throws Exception {
        RedisSettings s = SharedRedis.settings("trend-coalesce");
        AtomicInteger coalesced = new AtomicInteger();
        RedisBatchWriter w = writer(s, new RedisBatchWriter.Listener() {
            @Override
            public void coalesced() {
                coalesced.incrementAndGet();
            }
        });
        RedisKeys k = s.keys();
        w.add(RedisWrites.trending(list("c1", 60_000, new String[] {"1", "2"}, new double[] {2, 1}), k, TTL));
        w.add(RedisWrites.trending(list(null, 60_000, new String[] {"3"}, new double[] {1}), k, TTL));
        w.add(RedisWrites.trending(list("c1", 120_000, new String[] {"5"}, new double[] {4}), k, TTL));
        assertThat(w.pending()).isEqualTo(2);
        w.flush();
        assertThat(coalesced).hasValue(1);
        assertThat(stored(k.popularCategory("c1"))).containsExactly(Map.entry("5", 4.0));
        assertThat(stored(k.popular())).containsExactly(Map.entry("3", 1.0));
    }

    /**
     * Generation g of category c's list has 1 + (7g + c) mod 50 items "g&lt;g&gt;-i&lt;j&gt;" scored 100 - j + g / 1000:
     * a read is whole when it is exactly one generation's list.
     */
    private static TrendingList generation(int c, int g) {
        int n = 1 + (7 * g + c) % 50;
        String[] items = new String[n];
        double[] scores = new double[n];
        for (int j = 0; j < n; j++) {
            items[j] = "g" + g + "-i" + j;
            scores[j] = 100 - j + g / 1000.0;
        }
        return list("c" + c, g * 60_000L, items, scores);
    }

    /**
     * Redis runs a pipeline's commands as it reads them, 16 KB at a time, and serves other clients in between: a
     * pipeline of 64 lists (~50 KB) is cut a few times, often inside a write. The reader reads all 64 lists in one
     * pipeline of its own (one read: a snapshot between two of the writer's) as often as it can.
     */
    @Test
    void aReaderPollingDuringUpdatesNeverSeesAPartialOrMixedList() throws Exception {
        int scopes = 64;
        RedisSettings s = withBatchSize(SharedRedis.settings("trend-atomic"), scopes);
        RedisKeys k = s.keys();
        AtomicBoolean done = new AtomicBoolean();
        AtomicInteger reads = new AtomicInteger();
        AtomicReference<String> problem = new AtomicReference<>();
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        Thread poller = new Thread(() -> {
            int[] last = new int[scopes];
            java.util.Arrays.fill(last, -1);
            try (UnifiedJedis reader = s.createClient("reader")) {
                while (!done.get() && problem.get() == null) {
                    List<redis.clients.jedis.Response<List<Tuple>>> rs = new ArrayList<>(scopes);
                    try (redis.clients.jedis.AbstractPipeline p = reader.pipelined()) {
                        for (int c = 0; c < scopes; c++) {
                            rs.add(p.zrevrangeWithScores(k.popularCategory("c" + c), 0, -1));
                        }
                        p.sync();
                    }
                    reads.incrementAndGet();
                    for (int c = 0; c < scopes && problem.get() == null; c++) {
                        List<Tuple> got = rs.get(c).get();
                        if (got.isEmpty()) {
                            if (last[c] >= 0) {
                                problem.set("c" + c + "'s list vanished after g" + last[c]);
                            }
                            continue; // before its first write
                        }
                        int g = Integer.parseInt(got.get(0).getElement().split("-")[0].substring(1));
                        TrendingList want = generation(c, g);
                        if (got.size() != want.itemIds().length) {
                            problem.set("partial list of " + got.size() + " for c" + c + " g" + g + ": " + got);
                        }
                        for (int j = 0; j < got.size() && problem.get() == null; j++) {
                            if (!got.get(j).getElement().equals(want.itemIds()[j])
                                    || got.get(j).getScore() != want.scores()[j]) {
                                problem.set("mixed list for c" + c + " g" + g + ": " + got);
                            }
                        }
                        if (g < last[c]) {
                            problem.set("c" + c + " went back from g" + last[c] + " to g" + g);
                        }
                        last[c] = g;
                        seen.add(g);
                    }
                }
            } catch (Exception e) {
                problem.set(e.toString());
            }
        });
        poller.start();
        RedisBatchWriter w = writer(s);
        try {
            for (int g = 0; g < 300 && problem.get() == null; g++) {
                for (int c = 0; c < scopes; c++) {
                    w.add(RedisWrites.trending(generation(c, g), k, TTL)); // one pipeline per generation
                }
            }
            w.flush();
        } finally {
            done.set(true);
            poller.join();
        }
        assertThat(problem.get()).isNull();
        assertThat(reads.get()).as("snapshots of all 64 lists").isGreaterThan(100);
        assertThat(seen.size()).as("generations observed").isGreaterThan(20);
        assertThat(stored(k.popularCategory("c5")).keySet()).containsExactly(generation(5, 299).itemIds());
    }
}
