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
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.UnifiedJedis;

/**
 * The sink on a real redis-server: plain writes in order and coalesced, scripts ordering per field in any order,
 * replays, idempotency, caps, TTLs, script-cache loss.
 */
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
        return writer(s, new Counts());
    }

    /** Counts what the writer reports. */
    static final class Counts implements RedisBatchWriter.Listener {
        final AtomicInteger sent = new AtomicInteger();
        final AtomicInteger coalesced = new AtomicInteger();
        final AtomicInteger losses = new AtomicInteger();

        @Override
        public void flushed(int writes, long nanos) {
            sent.addAndGet(writes);
        }

        @Override
        public void coalesced() {
            coalesced.incrementAndGet();
        }

        @Override
        public void scriptCacheLost() {
            losses.incrementAndGet();
        }
    }

    private RedisBatchWriter writer(RedisSettings s, Counts counts) {
        RedisBatchWriter w = new RedisBatchWriter(s.createClient("test"), s, counts);
        open.add(w);
        return w;
    }

    private static String firstItem(String json) throws Exception {
        return new ObjectMapper().readTree(json).get("items").get(0).get("itemId").asText();
    }

    @Test
    void aRecommendationReplacesTheStoredListWholeAndTheLastSentWins() throws Exception {
        RedisSettings s = SharedRedis.settings("reco-last");
        RedisBatchWriter w = writer(s);
        w.add(RedisWrites.recommendation(RedisTestData.reco("u1", 5, 4), s.keys(), s));
        w.flush();
        assertThat(firstItem(redis.get(s.keys().reco("u1")))).isEqualTo("g5-i0");
        // plain SET, no server-side check: order is the stream's job (a replay re-sends older lists first)
        w.add(RedisWrites.recommendation(RedisTestData.reco("u1", 3, 4), s.keys(), s));
        w.flush();
        assertThat(firstItem(redis.get(s.keys().reco("u1")))).isEqualTo("g3-i0");
        assertThat(redis.pttl(s.keys().reco("u1"))).isBetween(s.recoTtlMs() - 60_000, s.recoTtlMs());
        assertThat(redis.exists(s.keys().scoresVersions("u1"))).isFalse();
    }

    @Test
    void intentIsWrittenPlainlyAndTheOtherScoresKeepTheirNewestValuePerField() throws Exception {
        RedisSettings s = SharedRedis.settings("scores");
        RedisBatchWriter w = writer(s);
        RedisKeys k = s.keys();
        long t = RedisTestData.T0;
        w.add(RedisWrites.scores(new UserScoreUpdate("u1", new String[] {"churn"}, new String[] {"0.3"}, t + 8), k, s));
        // intent is set as sent, updatedAt too: it may go back behind a newer fraud/churn/segment write (docs/redis.md)
        w.add(RedisWrites.scores(RedisTestData.intent("u1", 0), k, s));
        w.flush();
        assertThat(redis.hget(k.scores("u1"), "updatedAt")).isEqualTo(Long.toString(t));
        w.add(RedisWrites.scores(new UserScoreUpdate("u1", new String[] {"fraud"}, new String[] {"0.9"}, t + 10), k, s));
        // a late churn score (older event time) is ignored: its field holds a newer one
        w.add(RedisWrites.scores(new UserScoreUpdate("u1", new String[] {"churn"}, new String[] {"0.2"}, t + 5), k, s));
        w.flush();
        Map<String, String> h = redis.hgetAll(k.scores("u1"));
        assertThat(h).containsEntry("intent", "0.0000").containsEntry("intentModel", "intent:v0")
                .containsEntry("churn", "0.3").containsEntry("fraud", "0.9")
                .containsEntry("updatedAt", Long.toString(t + 10)).hasSize(5);
        assertThat(redis.hgetAll(k.scoresVersions("u1"))).as("intent is not versioned")
                .containsOnlyKeys("churn", "fraud");
        assertThat(redis.pttl(k.scores("u1"))).isBetween(s.scoresTtlMs() - 60_000, s.scoresTtlMs());
        assertThat(redis.pttl(k.scoresVersions("u1"))).isPositive();
    }

    /** Recos, intent and the other scores of {@code users} users over {@code gens} generations, in stream order. */
    private static List<RedisWrite> stream(RedisSettings s, int users, int events) {
        List<RedisWrite> out = new ArrayList<>();
        var recos = RedisTestData.recos(users, events, 5);
        var scores = RedisTestData.scores(users, events);
        for (int i = 0, j = 0; i < events; i++) {
            out.add(RedisWrites.recommendation(recos.get(i), s.keys(), s));
            out.add(RedisWrites.scores(scores.get(j++), s.keys(), s)); // the event's intent update
            while (j < scores.size() && !scores.get(j).inOrder()) { // its churn and segment updates
                out.add(RedisWrites.scores(scores.get(j++), s.keys(), s));
            }
        }
        return out;
    }

    private void sendAll(RedisBatchWriter w, List<RedisWrite> writes) throws Exception {
        for (RedisWrite x : writes) {
            w.add(x);
        }
        w.flush();
    }

    @Test
    void aReplayFromACheckpointReSendsInOrderAndConvergesToTheUndisturbedState() throws Exception {
        RedisSettings a = SharedRedis.settings("undisturbed");
        sendAll(writer(a), stream(a, 20, 600));
        Map<String, String> expected = RedisState.dump(redis, a.keyPrefix());
        assertThat(expected).hasSize(60);

        // A failure after 450 events' writes went out; the restore replays from the checkpoint at event 200,
        // in order, with other batch boundaries (batch size 7: other coalescing too).
        RedisSettings b = SharedRedis.settings("replayed");
        List<RedisWrite> all = stream(b, 20, 600);
        int checkpoint = all.indexOf(RedisWrites.recommendation(RedisTestData.recos(20, 600, 5).get(200), b.keys(), b));
        int failure = all.indexOf(RedisWrites.recommendation(RedisTestData.recos(20, 600, 5).get(450), b.keys(), b));
        assertThat(checkpoint).isPositive().isLessThan(failure);
        sendAll(writer(b), all.subList(0, failure));
        RedisSettings b7 = new RedisSettings(b.cluster(), b.nodes(), b.database(), b.user(), b.password(), b.tls(),
                b.timeoutMs(), b.keyPrefix(), b.recoTtlMs(), b.scoresTtlMs(), b.alertsTtlMs(), b.alertsPerUser(), b.alertsShopWide(), 7,
                b.maxDelayMs(), b.maxRetries(), b.retryBackoffMs(), b.retryBackoffMaxMs());
        sendAll(writer(b7), all.subList(checkpoint, all.size()));
        assertThat(RedisState.dump(redis, b.keyPrefix())).isEqualTo(expected);
    }

    @Test
    void theOtherScoresConvergeInAnyOrderAndUnderAnyNumberOfReplays() throws Exception {
        List<UserScoreUpdate> rare = RedisTestData.scores(20, 600).stream().filter(u -> !u.inOrder()).toList();
        RedisSettings a = SharedRedis.settings("rare-inorder");
        RedisSettings b = SharedRedis.settings("rare-shuffled");
        List<RedisWrite> wa = new ArrayList<>();
        List<RedisWrite> wb = new ArrayList<>();
        for (UserScoreUpdate u : rare) {
            wa.add(RedisWrites.scores(u, a.keys(), a));
            wb.add(RedisWrites.scores(u, b.keys(), b));
        }
        wb.addAll(wb.subList(50, 250)); // a replay of a stretch
        Collections.shuffle(wb, new Random(7));
        sendAll(writer(a), wa);
        sendAll(writer(b), wb);
        Map<String, String> sa = RedisState.dump(redis, a.keyPrefix());
        assertThat(sa).hasSize(40);
        assertThat(RedisState.dump(redis, b.keyPrefix())).isEqualTo(sa);
    }

    @Test
    void laterPlainWritesOfAKeyReplaceThePendingOneInTheBatch() throws Exception {
        RedisSettings s = SharedRedis.settings("coalesce");
        Counts counts = new Counts();
        RedisBatchWriter w = writer(s, counts);
        RedisKeys k = s.keys();
        for (int gen = 1; gen <= 3; gen++) {
            w.add(RedisWrites.scores(RedisTestData.intent("u1", gen), k, s));
            w.add(RedisWrites.recommendation(RedisTestData.reco("u1", gen, 3), k, s));
            w.add(RedisWrites.scores(RedisTestData.intent("u2", gen), k, s));
        }
        w.add(RedisWrites.scores(new UserScoreUpdate("u1", new String[] {"churn"}, new String[] {"0.5"},
                RedisTestData.T0 + 500), k, s));
        w.add(RedisWrites.scores(new UserScoreUpdate("u1", new String[] {"churn"}, new String[] {"0.6"},
                RedisTestData.T0 + 600), k, s)); // script writes are never coalesced
        assertThat(w.pending()).isEqualTo(5);
        w.flush();
        assertThat(counts.coalesced).hasValue(6);
        assertThat(counts.sent).hasValue(5);
        assertThat(firstItem(redis.get(k.reco("u1")))).isEqualTo("g3-i0");
        assertThat(redis.hgetAll(k.scores("u1"))).containsEntry("intent", RedisTestData.intent("u1", 3).values()[0])
                .containsEntry("churn", "0.6").containsEntry("updatedAt", Long.toString(RedisTestData.T0 + 3000));
        assertThat(redis.hget(k.scores("u2"), "updatedAt")).isEqualTo(Long.toString(RedisTestData.T0 + 3000));
        // a new batch starts empty: the next write is sent, not merged into the flushed one
        w.add(RedisWrites.scores(RedisTestData.intent("u1", 4), k, s));
        w.flush();
        assertThat(counts.sent).hasValue(6);
        assertThat(redis.hget(k.scores("u1"), "updatedAt")).isEqualTo(Long.toString(RedisTestData.T0 + 4000));
    }

    @Test
    void theInOrderScoreUpdatesOfAUserMergeIntoOneHashWritePerBatch() throws Exception {
        RedisSettings s = SharedRedis.settings("merge");
        Counts counts = new Counts();
        RedisBatchWriter w = writer(s, counts);
        RedisKeys k = s.keys();
        long t = RedisTestData.T0;
        w.add(RedisWrites.scores(new UserScoreUpdate("u3", new String[] {"churn", "churnAtRisk"},
                new String[] {"0.4", "false"}, t + 20, true), k, s));
        w.add(RedisWrites.scores(new UserScoreUpdate("u3", new String[] {"segment"}, new String[] {"active"}, t + 20,
                true), k, s)); // the same close's segment
        w.add(RedisWrites.scores(new UserScoreUpdate("u3", new String[] {"intent"}, new String[] {"0.1"}, t + 10,
                true), k, s)); // an older event time: updatedAt keeps the newer one
        w.add(RedisWrites.scores(new UserScoreUpdate("u3", new String[] {"churn", "churnAtRisk"},
                new String[] {"0.7", "true"}, t + 30, true), k, s)); // the next close: its churn wins
        w.add(RedisWrites.scores(new UserScoreUpdate("u4", new String[] {"segment"}, new String[] {"new"}, t, true), k, s));
        assertThat(w.pending()).as("one write per user").isEqualTo(2);
        w.flush();
        assertThat(counts.coalesced).hasValue(3);
        assertThat(redis.hgetAll(k.scores("u3"))).containsExactlyInAnyOrderEntriesOf(Map.of("churn", "0.7",
                "churnAtRisk", "true", "segment", "active", "intent", "0.1", "updatedAt", Long.toString(t + 30)));
        assertThat(redis.hgetAll(k.scores("u4"))).containsEntry("segment", "new");
        assertThat(redis.exists(k.scoresVersions("u3"))).as("plain writes keep no versions").isFalse();
        assertThat(redis.pttl(k.scores("u3"))).isBetween(s.scoresTtlMs() - 60_000, s.scoresTtlMs());
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
    void theShopWideLatestAlertsAreDeduplicatedByIdAndCappedAcrossUsersUnderReplays() throws Exception {
        RedisSettings s = SharedRedis.settings("shopalerts");
        int cap = s.alertsShopWide();
        int n = cap + 7;
        RedisBatchWriter w = writer(s);
        for (int round = 0; round < 2; round++) { // the second round is a replay, in reverse order
            for (int j = 0; j < n; j++) {
                int i = round == 0 ? j : n - 1 - j;
                String eventId = "pay-" + i;
                for (RedisWrite x : RedisWrites.alerts(new FraudAlert(AlertIds.of(eventId, "f1"), "user-" + (i % 13),
                        eventId, 0.9, 0.8, "fraud", "f1", new String[] {"HIGH_AMOUNT"}, RedisTestData.T0 + 1000L * i,
                        RedisTestData.T0 + i + round, "m1", 10.0 * i, null, null), s.keys(), s)) {
                    w.add(x);
                }
            }
            w.flush();
        }
        // Expected independently: the cap newest event ids by event time, newest first.
        List<String> expected = new java.util.ArrayList<>();
        for (int i = n - 1; i >= n - cap; i--) {
            expected.add(AlertIds.of("pay-" + i, "f1"));
        }
        assertThat(redis.zrevrange(s.keys().latestAlerts(), 0, -1)).isEqualTo(expected);
        assertThat(redis.hkeys(s.keys().latestAlertBodies())).containsExactlyInAnyOrderElementsOf(expected);
        String newest = redis.hget(s.keys().latestAlertBodies(), expected.get(0));
        assertThat(new ObjectMapper().readTree(newest).get("userId").asText()).isEqualTo("user-" + ((n - 1) % 13));
        assertThat(redis.pttl(s.keys().latestAlerts())).isPositive();
        assertThat(redis.zcard(s.keys().alerts("user-0"))).as("the per-user write still happens")
                .isEqualTo(Math.min(s.alertsPerUser(), (n + 12) / 13));
    }

    private static RedisWrite churn(RedisSettings s, int gen) {
        return RedisWrites.scores(new UserScoreUpdate("u1", new String[] {"churn"}, new String[] {"0." + gen},
                RedisTestData.T0 + gen), s.keys(), s);
    }

    @Test
    void aServerThatLostItsScriptsIsServedWithEvalAndThePlainWritesOfTheBatchAreResent() throws Exception {
        RedisSettings s = SharedRedis.settings("noscript");
        RedisBatchWriter w = writer(s);
        w.add(churn(s, 1));
        w.flush();
        redis.scriptFlush();
        w.add(RedisWrites.recommendation(RedisTestData.reco("u1", 2, 2), s.keys(), s));
        w.add(churn(s, 2));
        w.flush();
        assertThat(redis.hget(s.keys().scores("u1"), "churn")).isEqualTo("0.2");
        assertThat(redis.get(s.keys().reco("u1"))).contains("g2-i0");
        w.add(churn(s, 3));
        w.flush();
        assertThat(redis.hget(s.keys().scores("u1"), "churn")).isEqualTo("0.3");
    }

    @Test
    void aFirstLoadOfTheScriptsIsNotReportedAsALostCacheButALaterNoScriptIs() throws Exception {
        RedisSettings s = SharedRedis.settings("firstload");
        Counts counts = new Counts();
        RedisBatchWriter w = writer(s, counts);
        redis.scriptFlush(); // a server that never saw the scripts
        w.add(RedisWrites.recommendation(RedisTestData.reco("u1", 1, 2), s.keys(), s));
        w.flush(); // plain writes only: says nothing about the script cache
        w.add(churn(s, 1));
        w.flush();
        assertThat(redis.hget(s.keys().scores("u1"), "churn")).isEqualTo("0.1");
        assertThat(counts.losses).as("first load").hasValue(0);

        redis.scriptFlush(); // now a restart or failover
        w.add(churn(s, 2));
        w.flush();
        assertThat(redis.hget(s.keys().scores("u1"), "churn")).isEqualTo("0.2");
        assertThat(counts.losses).as("lost after use").hasValue(1);
    }
}
