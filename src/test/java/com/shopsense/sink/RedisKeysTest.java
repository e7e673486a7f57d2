package com.shopsense.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.shopsense.config.JobConfig;
import com.shopsense.scoring.Recommendation;
import com.shopsense.testing.RedisTestData;
import java.util.Map;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.util.JedisClusterCRC16;

class RedisKeysTest {
    private final RedisKeys keys = new RedisKeys("shopsense");

    @Test
    void aTrendingKeyAndTheKeyItsNextListIsBuiltInShareOneClusterSlot() {
        assertThat(keys.popularCategory("4756105")).isEqualTo("shopsense:popular:cat:4756105");
        for (String key : new String[] {keys.popular(), keys.popularCategory("4756105"), keys.popularCategory("鞋")}) {
            assertThat(RedisKeys.trendingStaging(key)).as(key).isNotEqualTo(key)
                    .doesNotStartWith(keys.popular()); // not matched by a scan of the trending keys
            assertThat(JedisClusterCRC16.getSlot(RedisKeys.trendingStaging(key))).as(key)
                    .isEqualTo(JedisClusterCRC16.getSlot(key));
        }
        for (String bad : new String[] {"a{b", "a}b", "a b", ""}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> keys.popularCategory(bad))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void keysFollowTheDocumentedSchemaAndShareOneClusterSlotPerUser() {
        assertThat(keys.reco("u42")).isEqualTo("shopsense:{u42}:reco");
        assertThat(keys.scores("u42")).isEqualTo("shopsense:{u42}:scores");
        assertThat(keys.scoresVersions("u42")).isEqualTo("shopsense:{u42}:scores:ts");
        assertThat(keys.alerts("u42")).isEqualTo("shopsense:{u42}:alerts");
        assertThat(keys.alertBodies("u42")).isEqualTo("shopsense:{u42}:alerts:body");
        assertThat(keys.popular()).isEqualTo("shopsense:popular");
        for (String user : new String[] {"u42", "7", "a}b", "{x}", "ünï"}) {
            int slot = JedisClusterCRC16.getSlot(keys.reco(user));
            assertThat(JedisClusterCRC16.getSlot(keys.scores(user))).isEqualTo(slot);
            assertThat(JedisClusterCRC16.getSlot(keys.scoresVersions(user))).isEqualTo(slot);
            assertThat(JedisClusterCRC16.getSlot(keys.alerts(user))).isEqualTo(slot);
            assertThat(JedisClusterCRC16.getSlot(keys.alertBodies(user))).isEqualTo(slot);
        }
        assertThat(JedisClusterCRC16.getSlot(keys.reco("u1"))).isNotEqualTo(JedisClusterCRC16.getSlot(keys.reco("u2")));
    }

    @Test
    void badPrefixesAndEmptyUsersAreRejected() {
        assertThatThrownBy(() -> new RedisKeys("a{b")).hasMessageContaining("redis.key-prefix");
        assertThatThrownBy(() -> new RedisKeys("")).hasMessageContaining("redis.key-prefix");
        assertThatThrownBy(() -> keys.reco("")).hasMessageContaining("userId");
        assertThatThrownBy(() -> RedisSettings.fromConfig(JobConfig.of(Map.of("redis.mode", "cluster",
                "redis.database", "2")))).hasMessageContaining("database");
    }

    @Test
    void recommendationJsonStartsWithGeneratedAtSoTheScriptCanCompareVersions() throws Exception {
        String json = RedisWrites.recommendationJson(RedisTestData.reco("u1", 5, 3));
        assertThat(json).startsWith("{\"generatedAt\":" + (RedisTestData.T0 + 5000) + ",");
        JsonNode n = new ObjectMapper().readTree(json);
        assertThat(n.get("items")).hasSize(3);
        assertThat(n.get("items").get(0).get("itemId").asText()).isEqualTo("g5-i0");
        assertThat(n.get("source").asText()).isEqualTo("model");
        assertThat(n.get("model").asText()).isEqualTo("recommend");
        assertThat(n.get("version").asText()).isEqualTo("v2");
    }

    @Test
    void recommendationJsonEscapesAnyIdAndKeepsEveryScore() throws Exception {
        java.util.Random r = new java.util.Random(7);
        String alphabet = "ab\"\\/\n\r\t\u0000\u0001\u001f\u007f é中\uD83D\uDE00";
        for (int n = 0; n < 200; n++) {
            String[] ids = new String[1 + r.nextInt(5)];
            float[] scores = new float[ids.length];
            for (int i = 0; i < ids.length; i++) {
                StringBuilder id = new StringBuilder();
                for (int c = r.nextInt(8); c > 0; c--) {
                    int at = r.nextInt(alphabet.length() - 1);
                    id.append(Character.isHighSurrogate(alphabet.charAt(at)) ? alphabet.substring(at, at + 2)
                            : Character.isLowSurrogate(alphabet.charAt(at)) ? "x" : alphabet.substring(at, at + 1));
                }
                ids[i] = id.toString();
                scores[i] = r.nextFloat() * (r.nextBoolean() ? 1 : -1000);
            }
            Recommendation reco = new Recommendation("u\"" + ids[0], ids, scores, Recommendation.MODEL, "recommend", "v\\1",
                    1000L + n,
                    "e\n" + n, new String[] {ids[0]});
            JsonNode doc = new ObjectMapper().readTree(RedisWrites.recommendationJson(reco));
            assertThat(doc.get("userId").asText()).isEqualTo(reco.userId());
            assertThat(doc.get("generatedAt").asLong()).isEqualTo(reco.generatedAt());
            assertThat(doc.get("version").asText()).isEqualTo("v\\1");
            assertThat(doc.get("eventId").asText()).isEqualTo(reco.eventId());
            assertThat(doc.get("recentItems").get(0).asText()).isEqualTo(ids[0]);
            assertThat(doc.get("items")).hasSize(ids.length);
            for (int i = 0; i < ids.length; i++) {
                assertThat(doc.get("items").get(i).get("itemId").asText()).isEqualTo(ids[i]);
                assertThat(doc.get("items").get(i).get("score").asDouble()).isCloseTo(scores[i],
                        org.assertj.core.api.Assertions.within(0.00005 + Math.abs(scores[i]) * 1e-6));
            }
        }
    }

    @Test
    void scriptShasAreStable() {
        assertThat(RedisScript.SCORES.sha1()).hasSize(40).isNotEqualTo(RedisScript.ALERT.sha1());
    }
}
