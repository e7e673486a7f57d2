package com.shopsense.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.shopsense.config.JobConfig;
import com.shopsense.config.JobOptions;
import com.shopsense.scoring.AlertIds;
import com.shopsense.scoring.FraudAlert;
import com.shopsense.testing.RedisTestData;
import com.shopsense.tools.local.RedisServerProcess;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.UnifiedJedis;

/**
 * The sink's multi-key scripts in cluster mode (a one-node Redis Cluster owning all 16384 slots, so
 * the client takes the cluster code path and the server enforces CROSSSLOT), and ACL credentials.
 */
class RedisClusterIT {
    @TempDir
    Path tmp;

    @Test
    void scriptsWorkInClusterModeBecauseAUsersKeysShareOneSlot() throws Exception {
        try (RedisServerProcess redis = RedisServerProcess.start(tmp.resolve("cluster"), RedisServerProcess.freePort(),
                false, List.of("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                        "--requirepass", "s3cret-pw"))) {
            try (Jedis admin = new Jedis(redis.host(), redis.port())) {
                admin.auth("s3cret-pw");
                admin.sendCommand(Protocol.Command.CLUSTER, "ADDSLOTSRANGE", "0", "16383");
                long deadline = System.nanoTime() + 20_000_000_000L;
                while (!admin.clusterInfo().contains("cluster_state:ok") && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
            }
            RedisSettings s = RedisSettings.fromConfig(JobConfig.of(Map.of(JobOptions.REDIS_MODE.key(), "cluster",
                    JobOptions.REDIS_NODES.key(), redis.address(), JobOptions.REDIS_PASSWORD.key(), "s3cret-pw",
                    JobOptions.REDIS_BATCH_SIZE.key(), "64")));
            try (RedisBatchWriter w = new RedisBatchWriter(s.createClient("cluster-test"), s,
                    new RedisBatchWriter.Listener() {
                    })) {
                for (var r : RedisTestData.recos(50, 500, 5)) {
                    w.add(RedisWrites.recommendation(r, s.keys(), s));
                }
                for (var u : RedisTestData.scores(50, 500)) {
                    w.add(RedisWrites.scores(u, s.keys(), s));
                }
                for (RedisWrite a : RedisWrites.alerts(new FraudAlert(AlertIds.of("p1", "v"), "u7", "p1", 0.9, 0.5,
                        "fraud", "v", new String[0], 1, 2, "m", 3, null, null), s.keys(), s)) {
                    w.add(a); // the user's slot and the shop-wide {alerts} slot: one script call each
                }
                // Trending lists: built in a staging key and RENAMEd over the list, two keys of one slot (else
                // CROSSSLOT), routed to one node in order. The second flush replaces existing lists, one by none.
                w.add(RedisWrites.trending(new com.shopsense.insight.TrendingList("shop", null, 60_000,
                        new String[] {"i3", "i9"}, new double[] {5.0, 4.0}, 9.0), s.keys(), 60_000));
                w.add(RedisWrites.trending(new com.shopsense.insight.TrendingList("cat:c8", "c8", 60_000,
                        new String[] {"i8"}, new double[] {1.0}, 1.0), s.keys(), 60_000));
                w.flush();
                w.add(RedisWrites.trending(new com.shopsense.insight.TrendingList("shop", null, 120_000,
                        new String[] {"i1", "i2"}, new double[] {2.0, 1.0}, 3.0), s.keys(), 60_000));
                w.add(RedisWrites.trending(new com.shopsense.insight.TrendingList("cat:c9", "c9", 120_000,
                        new String[] {"i2"}, new double[] {1.0}, 1.0), s.keys(), 60_000));
                w.add(RedisWrites.trending(new com.shopsense.insight.TrendingList("cat:c8", "c8", 120_000,
                        new String[0], new double[0], 0.0), s.keys(), 60_000));
                w.flush();
            }
            try (UnifiedJedis c = s.createClient("check")) {
                assertThat(c.get(s.keys().reco("u7"))).contains("\"generatedAt\":" + (RedisTestData.T0 + 9000));
                assertThat(c.hgetAll(s.keys().scores("u7"))).containsKeys("intent", "updatedAt");
                assertThat(c.zcard(s.keys().alerts("u7"))).isEqualTo(1);
                assertThat(c.zrevrange(s.keys().popular(), 0, -1)).containsExactly("i1", "i2");
                assertThat(c.zrevrange(s.keys().popularCategory("c9"), 0, -1)).containsExactly("i2");
                assertThat(c.exists(s.keys().popularCategory("c8"))).as("an empty list removes the key").isFalse();
                assertThat(c.pttl(s.keys().popular())).isBetween(1L, 60_000L);
                assertThat(c.exists(RedisKeys.trendingStaging(s.keys().popular()))).as("staging key left").isFalse();
                assertThat(c.zrange(s.keys().latestAlerts(), 0, -1)).containsExactly(AlertIds.of("p1", "v"));
            }
            // The merchandiser's view reads in cluster mode too: every key it names is in one slot per command.
            try (var reader = new com.shopsense.tools.readers.StorefrontReader(s, List.of(), 20)) {
                var shop = reader.shopOverview();
                assertThat(shop.get("latestAlerts").get(0).get("alertId").asText()).isEqualTo(AlertIds.of("p1", "v"));
                assertThat(reader.userView("u7").get("latestAlerts")).hasSize(1);
            }
        }
    }
}
