package com.shopsense.tools.readers;

import com.shopsense.feedback.RecoAbTotals;
import com.shopsense.insight.KpiWindow;
import com.shopsense.insight.SegmentCount;
import com.shopsense.scoring.AlertIds;
import com.shopsense.scoring.FraudAlert;
import com.shopsense.scoring.Recommendation;
import com.shopsense.scoring.UserScoreUpdate;
import com.shopsense.sink.RedisBatchWriter;
import com.shopsense.sink.RedisKeys;
import com.shopsense.sink.RedisScript;
import com.shopsense.sink.RedisSettings;
import com.shopsense.sink.RedisWrites;
import com.shopsense.sink.ScriptWrite;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.UnifiedJedis;

/**
 * A small, realistic shop in Redis for the reader's tests, written through the job's own writers (RedisWrites,
 * the sink's scripts): 75 one-minute KPI windows (15 older than the last hour), an hour window, segment counts,
 * trending items shop-wide and per category, two recommender versions with online quality, 25 alerts over several
 * users, and three customers: a CJK at-risk customer with a model list, a prospect with no list, and a user whose
 * id is hostile markup. Trending keys and the quality.* fields are written as their contract says (docs/redis.md):
 * their writers are other parts of the job.
 */
final class DemoShop {
    static final long T0 = 1_511_683_200_000L; // 2017-11-26T08:00Z, inside the Taobao replay's days
    static final int MINUTES = 75;
    static final String CUSTOMER = "用户-七";
    static final String PROSPECT = "新客-1";
    static final String HOSTILE = "<script>alert(1)</script>\"'&";
    static final Map<String, String> CATEGORY = new LinkedHashMap<>();
    static final List<String> TRENDING = new ArrayList<>();
    static final Map<String, Integer> SEGMENTS = new LinkedHashMap<>();
    static final List<FraudAlert> ALERTS = new ArrayList<>();

    static {
        String[] cats = {"女装", "4756105", "982926", "数码"};
        for (int i = 0; i < 24; i++) {
            String item = i % 3 == 0 ? "商品-" + i : Integer.toString(2_300_000 + 17 * i);
            CATEGORY.put(item, cats[i % cats.length]);
            TRENDING.add(item); // best first
        }
        SEGMENTS.putAll(Map.of("prospect", 1200, "new", 150, "active", 420, "loyal", 90, "at_risk", 260, "dormant", 310));
        String[] users = {CUSTOMER, "u-1001", "u-1002", HOSTILE, "u-1003"};
        String[][] reasons = {{"AMOUNT_8X_MEDIAN", "NEW_DEVICE"}, {"VELOCITY_5_IN_1H"}, {"HIGH_AMOUNT", "NEW_CARD"},
                {"MERCHANT_CONFIRMED_FRAUD_2_IN_28D"}, {"FIRST_PAYMENT", "NEW_COUNTRY"}};
        for (int i = 0; i < 25; i++) {
            String e = "pay-" + i;
            ALERTS.add(new FraudAlert(AlertIds.of(e, "fraud-v3"), users[i % users.length], e, 0.2 + 0.03 * i,
                    0.1207, "fraud", "fraud-v3", reasons[i % reasons.length], T0 + (MINUTES - 40 + i) * 60_000L,
                    T0 + (MINUTES - 40 + i) * 60_000L + 300, "m-" + (i % 4), 40.0 + 37.5 * i, null, null));
        }
    }

    private DemoShop() {
    }

    static Catalogue catalogue() {
        return Catalogue.of(CATEGORY);
    }

    /** Minute i (1..MINUTES) of the fixture: deterministic, varied counts. */
    static KpiWindow minute(int i) {
        long end = T0 + i * 60_000L;
        long converted = 2 + i % 5;
        long orders = converted + 1;
        long[] a = actions(i);
        return new KpiWindow("1m", end - 60_000, end, 300 + 11 * i, 40 + (7L * i) % 25, 200 + i, 20 + i % 7, orders,
                orders * (30.0 + i % 11), 20 + i % 9, converted, 8 + i % 4, 3 + i % 3, 10 + i % 6, i % 4 == 0 ? 1 : 0,
                a[0], a[1], a[2]);
    }

    /** The journey action counts the fixture puts in minute i (the last 30 minutes carry them). */
    static long[] actions(int i) {
        return i > MINUTES - 30 ? new long[] {1 + i % 3, i % 2, 2 + i % 4} : new long[3];
    }

    static KpiWindow hour() {
        long end = T0 + MINUTES * 60_000L;
        return new KpiWindow("1h", end - 3_600_000, end, 20_000, 900, 15_000, 1_200, 420, 21_420.5, 1_100, 380, 500,
                160, 600, 9, 80, 12, 95);
    }

    static void write(RedisSettings s) throws Exception {
        RedisKeys k = s.keys();
        try (RedisBatchWriter w = new RedisBatchWriter(s.createClient("demo-shop"), s, new RedisBatchWriter.Listener() { })) {
            long retention = 7 * 86_400_000L;
            for (int i = 1; i <= MINUTES; i++) {
                KpiWindow m = minute(i);
                String json = RedisWrites.kpiJson(m);
                w.add(new ScriptWrite(RedisScript.KPI, List.of(k.kpi("1m")),
                        List.of(Long.toString(m.end()), json, Long.toString(retention))));
            }
            w.add(RedisWrites.kpi(hour(), k, retention));
            long seq = 1;
            for (var e : SEGMENTS.entrySet()) {
                w.add(RedisWrites.segmentCount(new SegmentCount(e.getKey(), e.getValue(), seq++, T0), k));
            }
            w.add(RedisWrites.recoAb(new RecoAbTotals("demo-v1", 5_000, 120, 30, 7), k, 86_400_000L));
            w.add(RedisWrites.recoAb(new RecoAbTotals("demo-v2", 4_000, 150, 45, 8), k, 86_400_000L));
            for (FraudAlert a : ALERTS) {
                for (var x : RedisWrites.alerts(a, k, s)) {
                    w.add(x);
                }
            }
            String[] customerItems = {TRENDING.get(3), TRENDING.get(6), "商品-99"};
            w.add(RedisWrites.recommendation(new Recommendation(CUSTOMER, customerItems, new float[] {0.31f, 0.22f, 0.07f},
                    Recommendation.MODEL, "recommend", "demo-v2", T0 + (MINUTES - 2) * 60_000L, "e-77",
                    new String[] {TRENDING.get(0), TRENDING.get(1)}), k, s));
            w.add(RedisWrites.scores(new UserScoreUpdate(CUSTOMER, new String[] {"intent", "intentModel"},
                    new String[] {"0.8210", "intent:i-1"}, T0 + (MINUTES - 2) * 60_000L, true), k, s));
            w.add(RedisWrites.scores(new UserScoreUpdate(CUSTOMER, new String[] {"churn", "churnModel", "churnAtRisk"},
                    new String[] {"0.4100", "churn:c-1", "true"}, T0 + (MINUTES - 3) * 60_000L, true), k, s));
            w.add(RedisWrites.scores(new UserScoreUpdate(CUSTOMER, new String[] {"segment"}, new String[] {"at_risk"},
                    T0 + (MINUTES - 3) * 60_000L, true), k, s));
            w.add(RedisWrites.scores(new UserScoreUpdate(CUSTOMER, new String[] {"fraud", "fraudModel"},
                    new String[] {"0.3500", "fraud:fraud-v3"}, T0 + (MINUTES - 4) * 60_000L), k, s));
            w.add(RedisWrites.scores(new UserScoreUpdate(PROSPECT, new String[] {"intent", "intentModel", "segment"},
                    new String[] {"0.1200", "intent:i-1", "prospect"}, T0 + (MINUTES - 1) * 60_000L, true), k, s));
            w.add(RedisWrites.scores(new UserScoreUpdate(HOSTILE, new String[] {"intent", "segment"},
                    new String[] {"0.5000", "new"}, T0 + (MINUTES - 5) * 60_000L, true), k, s));
            w.add(RedisWrites.recommendation(new Recommendation(HOSTILE, new String[] {"<img src=x onerror=alert(2)>"},
                    new float[] {0.5f}, Recommendation.MODEL, "recommend", "demo-v1", T0, "e-h", new String[0]), k, s));
            w.flush();
        }
        try (UnifiedJedis r = s.createClient("demo-shop-contracts")) {
            for (int i = 0; i < TRENDING.size(); i++) {
                String item = TRENDING.get(i);
                double score = 100.0 - 3.5 * i;
                r.zadd(k.popular(), score, item);
                r.zadd(k.popular() + ":cat:" + CATEGORY.get(item), score, item);
            }
            r.hset(k.recoAb("demo-v1"), quality(4_000, 520, 0.041, 900, 72, 0.012));
            r.hset(k.recoAb("demo-v2"), quality(3_500, 610, 0.052, 500, 35, 0.010));
        }
    }

    /** The quality.* fields of docs/redis.md from hits and a mean reciprocal rank. */
    static Map<String, String> quality(long modelLists, long modelHits, double modelMrr, long trendLists,
            long trendHits, double trendMrr) {
        Map<String, String> h = new LinkedHashMap<>();
        put(h, "model", modelLists, modelHits, modelMrr);
        put(h, "trending", trendLists, trendHits, trendMrr);
        put(h, "all", modelLists + trendLists, modelHits + trendHits,
                (modelMrr * modelLists + trendMrr * trendLists) / (modelLists + trendLists));
        return h;
    }

    private static void put(Map<String, String> h, String src, long lists, long hits, double mrr) {
        h.put("quality." + src + ".lists", Long.toString(lists));
        h.put("quality." + src + ".hits", Long.toString(hits));
        h.put("quality." + src + ".hitRate", String.format(java.util.Locale.ROOT, "%.4f", (double) hits / lists));
        h.put("quality." + src + ".mrr", String.format(java.util.Locale.ROOT, "%.4f", mrr));
    }
}
