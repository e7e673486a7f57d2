package com.shopsense.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.shopsense.scoring.AlertIds;
import com.shopsense.scoring.FraudAlert;
import com.shopsense.scoring.UserScoreUpdate;
import com.shopsense.testing.RedisState;
import com.shopsense.testing.RedisTestData;
import com.shopsense.testing.SharedRedis;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.UnifiedJedis;

/** The sink's scripts on a real redis-server: ordering, idempotency, caps, TTLs, script-cache loss. */
@ExtendWith(SharedRedis.class)
class RedisBatchWriterTest {
    private final List<AutoCloseable> open = new ArrayList<>();
    private final UnifiedJedis redis = SharedRedis.settings("probe").createClient("test");

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        redis.close();
    }

    private RedisBatchWriter writer(RedisSettings s) {
        RedisBatchWriter w = new RedisBatchWriter(s.createClient("test"), s, new RedisBatchWriter.Listener() {
        });
        open.add(w);
        return w;
    }

    @Test
    void anOlderRecommendationNeverReplacesANewerOne() throws Exception {
        RedisSettings s = SharedRedis.settings("order");
        RedisBatchWriter w = writer(s);
        w.add(RedisWrites.recommendation(RedisTestData.reco("u1", 5, 4), s.keys(), s));
        w.add(RedisWrites.recommendation(RedisTestData.reco("u1", 3, 4), s.keys(), s));
        w.flush();
        String json = redis.get(s.keys().reco("u1"));
        assertThat(new ObjectMapper().readTree(json).get("items").get(0).get("itemId").asText()).isEqualTo("g5-i0");
        long ttl = redis.pttl(s.keys().reco("u1"));
        assertThat(ttl).isBetween(s.recoTtlMs() - 60_000, s.recoTtlMs());
    }

    @Test
    void scoreFieldsKeepTheirLatestValueEachAndUpdatedAtIsTheMax() throws Exception {
        RedisSettings s = SharedRedis.settings("scores");
        RedisBatchWriter w = writer(s);
        RedisKeys k = s.keys();
        long t = RedisTestData.T0;
        w.add(RedisWrites.scores(new UserScoreUpdate("u1", new String[] {"intent"}, new String[] {"0.9"}, t + 10), k, s));
        // a late churn score (older event time) still lands: fields are versioned one by one
        w.add(RedisWrites.scores(new UserScoreUpdate("u1", new String[] {"churn", "intent"},
                new String[] {"0.2", "0.1"}, t + 5), k, s));
        w.flush();
        Map<String, String> h = redis.hgetAll(k.scores("u1"));
        assertThat(h).containsEntry("intent", "0.9").containsEntry("churn", "0.2")
                .containsEntry("updatedAt", Long.toString(t + 10)).hasSize(3);
        assertThat(redis.pttl(k.scores("u1"))).isPositive();
        assertThat(redis.pttl(k.scoresVersions("u1"))).isPositive();
    }

    @Test
    void anyOrderAndAnyNumberOfReplaysConvergeToTheSameState() throws Exception {
        var recos = RedisTestData.recos(20, 600, 5);
        var scores = RedisTestData.scores(20, 600);
        RedisSettings a = SharedRedis.settings("inorder");
        RedisSettings b = SharedRedis.settings("shuffled");
        RedisBatchWriter wa = writer(a);
        for (int i = 0; i < recos.size(); i++) {
            wa.add(RedisWrites.recommendation(recos.get(i), a.keys(), a));
            wa.add(RedisWrites.scores(scores.get(i), a.keys(), a));
        }
        wa.flush();
        List<RedisWrite> writes = new ArrayList<>();
        for (int i = 0; i < recos.size(); i++) {
            writes.add(RedisWrites.recommendation(recos.get(i), b.keys(), b));
            writes.add(RedisWrites.scores(scores.get(i), b.keys(), b));
        }
        writes.addAll(writes.subList(100, 700)); // a replay of a stretch
        Collections.shuffle(writes, new Random(7));
        RedisBatchWriter wb = writer(b);
        for (RedisWrite w : writes) {
            wb.add(w);
        }
        wb.flush();
        Map<String, String> sa = RedisState.dump(redis, a.keyPrefix());
        assertThat(sa).hasSize(60);
        assertThat(RedisState.dump(redis, b.keyPrefix())).isEqualTo(sa);
    }

    @Test
    void alertsAreDeduplicatedByIdAndCappedPerUser() throws Exception {
        RedisSettings s = SharedRedis.settings("alerts");
        RedisBatchWriter w = writer(s);
        for (int round = 0; round < 2; round++) { // the second round is a replay
            for (int i = 0; i < s.alertsPerUser() + 5; i++) {
                String eventId = "pay-" + i;
                w.add(RedisWrites.alert(new FraudAlert(AlertIds.of(eventId, "f1"), "u9", eventId, 0.9, 0.8, "fraud",
                        "f1", new String[] {"AMOUNT_HIGH"}, RedisTestData.T0 + i, RedisTestData.T0 + i + round,
                        "m1", 10.0 * i, null, null), s.keys(), s));
            }
            w.flush();
        }
        List<String> ids = redis.zrange(s.keys().alerts("u9"), 0, -1);
        assertThat(ids).hasSize(s.alertsPerUser()).doesNotHaveDuplicates()
                .contains(AlertIds.of("pay-" + (s.alertsPerUser() + 4), "f1"))
                .doesNotContain(AlertIds.of("pay-0", "f1"));
        assertThat(redis.hlen(s.keys().alertBodies("u9"))).isEqualTo(s.alertsPerUser());
        String body = redis.hget(s.keys().alertBodies("u9"), ids.get(0));
        assertThat(new ObjectMapper().readTree(body).get("eventId").asText()).isEqualTo("pay-5");
        assertThat(redis.pttl(s.keys().alerts("u9"))).isPositive();
    }

    @Test
    void aServerThatLostItsScriptsIsServedWithEval() throws Exception {
        RedisSettings s = SharedRedis.settings("noscript");
        RedisBatchWriter w = writer(s);
        w.add(RedisWrites.recommendation(RedisTestData.reco("u1", 1, 2), s.keys(), s));
        w.flush();
        redis.scriptFlush();
        w.add(RedisWrites.recommendation(RedisTestData.reco("u1", 2, 2), s.keys(), s));
        w.flush();
        assertThat(redis.get(s.keys().reco("u1"))).contains("g2-i0");
        w.add(RedisWrites.recommendation(RedisTestData.reco("u1", 3, 2), s.keys(), s));
        w.flush();
        assertThat(redis.get(s.keys().reco("u1"))).contains("g3-i0");
    }

    @Test
    void aFirstLoadOfTheScriptsIsNotReportedAsALostCacheButALaterNoScriptIs() throws Exception {
        RedisSettings s = SharedRedis.settings("firstload");
        java.util.concurrent.atomic.AtomicInteger losses = new java.util.concurrent.atomic.AtomicInteger();
        RedisBatchWriter w = new RedisBatchWriter(s.createClient("test"), s, new RedisBatchWriter.Listener() {
            @Override
            public void scriptCacheLost() {
                losses.incrementAndGet();
            }
        });
        open.add(w);
        redis.scriptFlush(); // a server that never saw the scripts
        w.add(RedisWrites.recommendation(RedisTestData.reco("u1", 1, 2), s.keys(), s));
        w.flush();
        assertThat(redis.get(s.keys().reco("u1"))).contains("g1-i0");
        assertThat(losses).as("first load").hasValue(0);

        redis.scriptFlush(); // now a restart or failover
        w.add(RedisWrites.recommendation(RedisTestData.reco("u1", 2, 2), s.keys(), s));
        w.flush();
        assertThat(redis.get(s.keys().reco("u1"))).contains("g2-i0");
        assertThat(losses).as("lost after use").hasValue(1);
    }
}
