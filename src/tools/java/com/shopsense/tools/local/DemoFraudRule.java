package com.shopsense.tools.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.shopsense.config.JobConfig;
import com.shopsense.config.JobOptions;
import com.shopsense.sink.RedisSettings;
import com.shopsense.tools.kafka.KafkaClientProps;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The rule a risk analyst would write after looking at the demo's planted fraud (docs/local-run.md): a payment from
 * a device the customer never paid with, at 5x or more of their usual amount. Published on the rules topic before
 * the replay starts, effective from the replay's first event, so the demo shows the model and a rule side by side
 * (the rule's hits and alerts in the summary, {@code rule:demo-new-device-jump@1} in the alerts it raises).
 */
final class DemoFraudRule {
    static final Path FILE = Path.of("deploy/demo-data/fraud-rules/new-device-jump.json");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String ruleKey;

    private DemoFraudRule(String ruleKey) {
        this.ruleKey = ruleKey;
    }

    /**
     * Sends the bundled rule with {@code effectiveFrom} = {@code fromMs} (the file says the Taobao slice's day, so that
     * it is a valid document as it is); returns what the summary reads back.
     */
    static DemoFraudRule publish(JobConfig cfg, long fromMs) throws Exception {
        ObjectNode rule = (ObjectNode) JSON.readTree(Files.readString(FILE, StandardCharsets.UTF_8));
        rule.put("effectiveFrom", fromMs);
        String id = rule.path("ruleId").asText();
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(KafkaClientProps.bytesProducer(cfg))) {
            p.send(new ProducerRecord<>(cfg.get(JobOptions.TOPIC_RULES), id.getBytes(StandardCharsets.UTF_8),
                    JSON.writeValueAsBytes(rule))).get(30, TimeUnit.SECONDS);
        }
        return new DemoFraudRule(id + "@" + rule.path("version").asInt());
    }

    /** The summary line: the rule's hits and alerts from its quality hash (the job writes it per second of event time). */
    String line(RedisSettings settings) {
        Map<String, String> q;
        try (UnifiedJedis jedis = settings.createClient("local-run-rule")) {
            q = jedis.hgetAll(settings.keys().ruleQuality(ruleKey));
        } catch (JedisException e) {
            return "demo fraud rule            " + ruleKey + ": Redis unreachable";
        }
        return String.format(Locale.ROOT, "demo fraud rule            %s: hits %s, alerts %s (%s)", ruleKey,
                q.getOrDefault("hits", "0"), q.getOrDefault("alerts", "0"), FILE);
    }
}
