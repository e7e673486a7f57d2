package com.shopsense.tools.readers;

import static org.assertj.core.api.Assertions.assertThat;

import com.shopsense.config.JobOptions;
import com.shopsense.event.FraudRule;
import com.shopsense.event.RuleDocs;
import com.shopsense.sink.RedisKeys;
import com.shopsense.testing.KafkaTestClient;
import com.shopsense.testing.SharedKafka;
import com.shopsense.testing.SharedRedis;
import com.shopsense.testing.TestTopics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.UnifiedJedis;

/**
 * The risk console's rule commands against a real broker and redis-server: publish, disable and roll back write
 * new versions (key = ruleId) that the job's parser accepts, a broken or reused version is not sent, and the list
 * shows the newest version of each rule with the quality the job wrote to Redis.
 */
@ExtendWith({SharedKafka.class, SharedRedis.class})
class RiskConsoleRulesIT {
    private static final long T = 1_530_403_200_000L;

    @TempDir
    Path dir;

    private static String run(TestTopics t, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--" + JobOptions.KAFKA_BOOTSTRAP.key(), SharedKafka.bootstrap(),
                "--" + JobOptions.TOPIC_RULES.key(), t.rules(),
                "--" + JobOptions.REDIS_NODES.key(), SharedRedis.server().address(),
                "--" + JobOptions.REDIS_KEY_PREFIX.key(), t.redisPrefix()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int rc = RuleCommands.run(args[1], new ReaderArgs(all.toArray(new String[0]),
                java.util.Set.of("rules", "file", "rule-id", "to-version", "effective-from")),
                new PrintStream(out, true, StandardCharsets.UTF_8));
        return rc + " " + out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void publishDisableRollbackAndListWithQuality() throws Exception {
        TestTopics t = TestTopics.fresh("console-rules");
        KafkaTestClient kafka = new KafkaTestClient(SharedKafka.bootstrap());
        kafka.createTopics(1, t.rules());
        Path v1 = dir.resolve("v1.json");
        Files.write(v1, RuleDocs.bytes("big", 1, true, T, RuleDocs.compare("amount", ">=", 500), "alert"));
        Path v2 = dir.resolve("v2.json");
        Files.write(v2, RuleDocs.bytes("big", 2, true, T + 10, RuleDocs.compare("amount", ">=", 900), "alert"));
        assertThat(run(t, "--rules", "publish", "--file", v1.toString())).startsWith("0 sent to");
        assertThat(run(t, "--rules", "publish", "--file", v2.toString())).startsWith("0 sent to");
        assertThat(run(t, "--rules", "publish", "--file", v1.toString())).startsWith("2 not sent: version_conflict");
        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{\"ruleId\":\"big\",\"version\":3,\"enabled\":\"yes\"}");
        assertThat(run(t, "--rules", "publish", "--file", broken.toString())).startsWith("2 not sent:");
        assertThat(run(t, "--rules", "disable", "--rule-id", "big", "--effective-from", "2018-07-01T01:00:00Z"))
                .startsWith("0 sent to");
        assertThat(run(t, "--rules", "rollback", "--rule-id", "big", "--to-version", "1", "--effective-from",
                "2018-07-01T02:00:00Z")).startsWith("0 sent to");

        List<FraudRule> topic = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : kafka.readAllCommitted(t.rules())) {
            FraudRule rule = RuleDocs.parse(r.value());
            assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(rule.ruleId());
            topic.add(rule);
        }
        assertThat(topic).extracting(FraudRule::key).containsExactly("big@1", "big@2", "big@3", "big@4");
        assertThat(topic.get(2).enabled()).isFalse();
        assertThat(topic.get(3).enabled()).isTrue();
        assertThat(topic.get(3).condition()).isEqualTo(topic.get(0).condition());

        try (UnifiedJedis redis = SharedRedis.settings("console").createClient("console")) {
            redis.hset(new RedisKeys(t.redisPrefix()).ruleQuality("big@4"), Map.of("hits", "12", "alerts", "11",
                    "hitsConfirmedFraud", "9", "hitsConfirmedLegit", "2", "precision", "0.7500"));
        }
        String list = run(t, "--rules", "list");
        assertThat(list).startsWith("0 big@4 enabled alert from=2018-07-01T02:00:00Z hits=12 alerts=11 fraud=9 legit=2"
                + " precision=0.7500");
    }
}
