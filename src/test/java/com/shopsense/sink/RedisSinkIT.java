package com.shopsense.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.shopsense.config.JobConfig;
import com.shopsense.config.JobOptions;
import com.shopsense.scoring.AlertIds;
import com.shopsense.scoring.FraudAlert;
import com.shopsense.scoring.Recommendation;
import com.shopsense.scoring.UserScoreUpdate;
import com.shopsense.testing.FlinkTestConfig;
import com.shopsense.testing.RedisState;
import com.shopsense.testing.RedisTestData;
import com.shopsense.testing.SharedRedis;
import com.shopsense.testing.Throttle;
import com.shopsense.tools.local.RedisServerProcess;
import com.shopsense.tools.readers.StorefrontReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.UnifiedJedis;

/** The Redis sinks in a MiniCluster job (RocksDB, checkpoints) over a real redis-server. */
@ExtendWith(SharedRedis.class)
class RedisSinkIT {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
                    .build());

    @TempDir
    Path tmp;

    private StreamExecutionEnvironment env(Configuration extra) {
        Configuration c = FlinkTestConfig.rocksDbWithCheckpoints(tmp.resolve("flink-" + UUID.randomUUID()),
                Duration.ofMillis(200));
        c.addAll(extra);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(c);
        env.setParallelism(2);
        return env;
    }

    /**
     * Recos and score updates through a paced parallelism-1 map into parallelism-2 sinks, keyed by user: each
     * user's records reach one sink subtask in order, as in the job (keyed operators forwarded to the sinks); the
     * two subtasks interleave differently from run to run.
     */
    private static void pipeline(StreamExecutionEnvironment env, RedisSettings s, List<Recommendation> recos,
            List<UserScoreUpdate> scores, int paceEvery) {
        env.fromData(recos).map(new Throttle<Recommendation>(paceEvery)).setParallelism(1)
                .returns(TypeInformation.of(Recommendation.class)).keyBy(Recommendation::userId)
                .sinkTo(RedisSink.recommendations(s)).name("redis-reco");
        if (!scores.isEmpty()) {
            env.fromData(scores).map(new Throttle<UserScoreUpdate>(paceEvery)).setParallelism(1)
                    .returns(TypeInformation.of(UserScoreUpdate.class)).keyBy(UserScoreUpdate::userId)
                    .sinkTo(RedisSink.scores(s)).name("redis-scores");
        }
    }

    @Test
    void writesAreVisibleWithTheDocumentedKeysTypesAndTtls() throws Exception {
        RedisSettings s = SharedRedis.settings("schema");
        StreamExecutionEnvironment env = env(new Configuration());
        pipeline(env, s, RedisTestData.recos(10, 200, 5), RedisTestData.scores(10, 200), 1000);
        List<FraudAlert> alerts = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String e = "pay-" + i;
            alerts.add(new FraudAlert(AlertIds.of(e, "f1"), "u" + (i % 2), e, 0.9, 0.8, "fraud", "f1",
                    new String[] {"R" + i}, RedisTestData.T0 + i, RedisTestData.T0 + i, "m", i, null, null));
        }
        env.fromData(alerts).sinkTo(RedisSink.alerts(s));
        env.execute("redis-schema-it");

        try (UnifiedJedis r = s.createClient("check")) {
            RedisKeys k = s.keys();
            assertThat(r.type(k.reco("u3"))).isEqualTo("string");
            assertThat(r.pttl(k.reco("u3"))).isBetween(s.recoTtlMs() - 60_000, s.recoTtlMs());
            JsonNode reco = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.get(k.reco("u3")));
            assertThat(reco.get("generatedAt").asLong()).isEqualTo(RedisTestData.T0 + 19_000); // newest generation
            assertThat(reco.get("items")).hasSize(5);
            assertThat(r.type(k.scores("u3"))).isEqualTo("hash");
            assertThat(r.hgetAll(k.scores("u3"))).containsKeys("intent", "churn", "segment")
                    .containsEntry("updatedAt", Long.toString(RedisTestData.T0 + 19_000));
            assertThat(r.pttl(k.scores("u3"))).isBetween(s.scoresTtlMs() - 60_000, s.scoresTtlMs());
            assertThat(r.type(k.alerts("u1"))).isEqualTo("zset");
            assertThat(r.zcard(k.alerts("u1"))).isEqualTo(15);
            assertThat(r.type(k.alertBodies("u1"))).isEqualTo("hash");
            assertThat(r.pttl(k.alerts("u1"))).isBetween(s.alertsTtlMs() - 60_000, s.alertsTtlMs());
            assertThat(r.type(k.latestAlerts())).isEqualTo("zset");
            assertThat(r.zcard(k.latestAlerts())).as("both users' alerts, shop-wide").isEqualTo(30);
            assertThat(r.hlen(k.latestAlertBodies())).isEqualTo(30);
            assertThat(r.pttl(k.latestAlerts())).isBetween(s.alertsTtlMs() - 60_000, s.alertsTtlMs());
            assertThat(RedisState.dump(r, s.keyPrefix())).hasSize(10 * 3 + 2 * 2 + 2);
        }
        try (StorefrontReader reader = new StorefrontReader(s, List.of("p1", "p2"), 20)) {
            assertThat(reader.recommendations("u3").get("source").asText()).isEqualTo("personal");
            ObjectNode fallback = reader.recommendations("nobody");
            assertThat(fallback.get("source").asText()).isEqualTo("popular");
            assertThat(fallback.get("items").get(1).get("itemId").asText()).isEqualTo("p2");
            try (UnifiedJedis r = s.createClient("seed")) {
                r.zadd(s.keys().popular(), Map.of("hot1", 9.0, "hot2", 5.0));
            }
            assertThat(reader.recommendations("nobody").get("items").get(0).get("itemId").asText()).isEqualTo("hot1");
            assertThat(reader.recommendations("nobody").get("source").asText()).isEqualTo("trending");
            try (UnifiedJedis r = s.createClient("seed")) {
                r.zadd(s.keys().popularCategory("shoes"), Map.of("boot", 3.0));
                r.set(s.keys().reco("cold"), "{\"generatedAt\":1,\"userId\":\"cold\",\"items\":[],\"source\":\"trending\"}");
            }
            assertThat(reader.recommendations("nobody", "shoes").get("items")).extracting(i -> i.get("itemId").asText())
                    .containsExactly("boot");
            assertThat(reader.recommendations("nobody", "hats").get("items").get(0).get("itemId").asText())
                    .as("a category without trending items: shop-wide").isEqualTo("hot1");
            assertThat(reader.recommendations("cold").get("source").asText()).as("the job's fallback keeps its label")
                    .isEqualTo("trending");
            assertThat(reader.latestAlerts("u1")).hasSize(15);
            var http = reader.serve(0);
            try {
                var client = java.net.http.HttpClient.newHttpClient();
                String base = "http://127.0.0.1:" + http.getAddress().getPort();
                var reco = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base
                        + "/recommendations/u3")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
                assertThat(reco.statusCode()).isEqualTo(200);
                assertThat(reco.body()).contains("\"source\":\"personal\"").contains("\"userId\":\"u3\"");
                var user = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base
                        + "/users/u1")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
                assertThat(user.body()).contains("\"intent\"").contains("latestAlerts").contains("pay-29");
            } finally {
                http.stop(0);
            }
        }
    }

    @Test
    void aReaderPollingDuringUpdatesNeverSeesAPartialList() throws Exception {
        RedisSettings s = SharedRedis.settings("atomic");
        int k = 20;
        StreamExecutionEnvironment env = env(new Configuration());
        pipeline(env, s, RedisTestData.recos(3, 3000, k), List.of(), 3);
        AtomicBoolean done = new AtomicBoolean();
        AtomicInteger reads = new AtomicInteger();
        AtomicReference<String> problem = new AtomicReference<>();
        Map<String, Integer> lastGen = new HashMap<>();
        java.util.Set<Integer> gens = new java.util.HashSet<>();
        Thread poller = new Thread(() -> {
            try (StorefrontReader reader = new StorefrontReader(s, List.of(), k)) {
                while (!done.get() && problem.get() == null) {
                    for (String u : List.of("u0", "u1", "u2")) {
                        ObjectNode n = reader.recommendations(u);
                        if (!n.get("source").asText().equals("personal")) {
                            continue;
                        }
                        reads.incrementAndGet();
                        JsonNode items = n.get("items");
                        String gen = items.get(0).get("itemId").asText().split("-")[0];
                        for (int j = 0; j < items.size(); j++) {
                            if (!items.get(j).get("itemId").asText().equals(gen + "-i" + j)) {
                                problem.set("mixed list " + n);
                            }
                        }
                        if (items.size() != k) {
                            problem.set("partial list of " + items.size() + ": " + n);
                        }
                        int g = Integer.parseInt(gen.substring(1));
                        gens.add(g);
                        if (g < lastGen.getOrDefault(u, -1)) {
                            problem.set("went back from g" + lastGen.get(u) + " to " + gen + " for " + u);
                        }
                        lastGen.put(u, g);
                    }
                }
            } catch (Exception e) {
                problem.set(e.toString());
            }
        });
        poller.start();
        env.execute("redis-atomic-it");
        done.set(true);
        poller.join();
        assertThat(problem.get()).isNull();
        assertThat(reads.get()).isGreaterThan(300);
        assertThat(gens.size()).as("generations observed").isGreaterThan(20);
        assertThat(lastGen).containsEntry("u0", 999);
    }

    @Test
    void redisKilledMidStreamTheSinkRetriesAndTheFinalStateEqualsAnUndisturbedRun() throws Exception {
        killAndCompare(Map.of(JobOptions.REDIS_MAX_RETRIES.key(), "12", JobOptions.REDIS_RETRY_BACKOFF.key(), "50 ms",
                JobOptions.REDIS_RETRY_BACKOFF_MAX.key(), "500 ms"), new Configuration());
    }

    @Test
    void redisDownLongerThanTheRetriesTheJobRestartsFromACheckpointAndConverges() throws Exception {
        Configuration restarts = new Configuration();
        restarts.setString("restart-strategy.type", "fixed-delay");
        restarts.setString("restart-strategy.fixed-delay.attempts", "100");
        restarts.setString("restart-strategy.fixed-delay.delay", "250 ms");
        killAndCompare(Map.of(JobOptions.REDIS_MAX_RETRIES.key(), "1", JobOptions.REDIS_RETRY_BACKOFF.key(), "50 ms"),
                restarts);
    }

    private void killAndCompare(Map<String, String> retryOptions, Configuration flinkExtra) throws Exception {
        List<Recommendation> recos = RedisTestData.recos(100, 4000, 10);
        List<UserScoreUpdate> scores = RedisTestData.scores(100, 4000);
        try (RedisServerProcess redis = RedisServerProcess.startPersistent(tmp.resolve("redis-" + UUID.randomUUID()))) {
            Map<String, String> opts = new HashMap<>(retryOptions);
            opts.put(JobOptions.REDIS_NODES.key(), redis.address());
            opts.put(JobOptions.REDIS_BATCH_SIZE.key(), "50");
            opts.put(JobOptions.REDIS_MAX_DELAY.key(), "20 ms");
            opts.put(JobOptions.REDIS_TIMEOUT.key(), "500 ms");
            RedisSettings base = RedisSettings.fromConfig(JobConfig.of(opts));
            RedisSettings calm = base.withKeyPrefix("calm");
            RedisSettings hit = base.withKeyPrefix("hit");

            StreamExecutionEnvironment env = env(flinkExtra);
            pipeline(env, calm, recos, scores, 1000);
            env.execute("redis-undisturbed");

            env = env(flinkExtra);
            pipeline(env, hit, recos, scores, 4);
            JobClient job = env.executeAsync("redis-disturbed");
            try (UnifiedJedis r = hit.createClient("watch")) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (r.dbSize() < 150 && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
            }
            assertThat(job.getJobStatus().get().isGloballyTerminalState()).as("killed mid-stream").isFalse();
            redis.kill();
            Thread.sleep(2000);
            assertThat(job.getJobStatus().get().isGloballyTerminalState()).as("waits for Redis").isFalse();
            redis.restart();
            job.getJobExecutionResult().get(90, TimeUnit.SECONDS);

            try (UnifiedJedis r = base.createClient("compare")) {
                Map<String, String> expected = RedisState.dump(r, "calm");
                assertThat(expected).hasSize(300);
                assertThat(RedisState.dump(r, "hit")).isEqualTo(expected);
            }
        }
    }
}
