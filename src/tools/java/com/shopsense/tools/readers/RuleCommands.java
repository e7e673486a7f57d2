package com.shopsense.tools.readers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.shopsense.config.JobConfig;
import com.shopsense.config.JobOptions;
import com.shopsense.event.InvalidEventException;
import com.shopsense.sink.RedisKeys;
import com.shopsense.sink.RedisSettings;
import com.shopsense.tools.kafka.KafkaClientProps;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import redis.clients.jedis.UnifiedJedis;

/**
 * The risk console's rule commands (docs/readers.md): {@code list} the newest version of every rule with its
 * quality from Redis, {@code publish} a rule document, {@code disable} a rule, {@code rollback} to an earlier
 * version. Every change is a new version on the fraud-rules topic (key = ruleId), checked against the contract
 * first, so a typo fails here and not in the DLQ.
 */
final class RuleCommands {
    private RuleCommands() {
    }

    static int run(String command, ReaderArgs a, PrintStream out) throws Exception {
        JobConfig cfg = a.job;
        RuleCatalog catalog = read(cfg);
        Instant from = Instant.parse(a.get("effective-from", Instant.now().toString()));
        try {
            switch (command) {
                case "list" -> list(catalog, cfg, out);
                case "publish" -> send(cfg, catalog.publish(Files.readAllBytes(Path.of(a.get("file", "")))), out);
                case "disable" -> send(cfg, catalog.disable(a.get("rule-id", ""), from), out);
                case "rollback" -> send(cfg, catalog.rollback(a.get("rule-id", ""),
                        Integer.parseInt(a.get("to-version", "0")), from), out);
                default -> {
                    out.println("unknown rules command '" + command + "': list, publish, disable, rollback");
                    return 2;
                }
            }
        } catch (InvalidEventException e) {
            out.println("not sent: " + e.getMessage());
            return 2;
        }
        return 0;
    }

    /** Every valid document on the topic, read to its end (read_committed). */
    static RuleCatalog read(JobConfig cfg) {
        RuleCatalog catalog = new RuleCatalog();
        String topic = cfg.get(JobOptions.TOPIC_RULES);
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(KafkaClientProps.committedBytesConsumer(cfg))) {
            List<TopicPartition> parts = c.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            while (parts.stream().anyMatch(p -> c.position(p) < end.get(p))) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                    catalog.add(r.value());
                }
            }
        }
        return catalog;
    }

    private static void list(RuleCatalog catalog, JobConfig cfg, PrintStream out) {
        RedisKeys keys = new RedisKeys(cfg.get(JobOptions.REDIS_KEY_PREFIX));
        try (UnifiedJedis redis = RedisSettings.fromConfig(cfg).createClient("risk-console")) {
            for (ObjectNode n : catalog.latest()) {
                String key = RuleCatalog.field(n, "ruleId") + "@" + RuleCatalog.field(n, "version");
                Map<String, String> q = redis.hgetAll(keys.ruleQuality(key));
                out.println(String.format(java.util.Locale.ROOT,
                        "%s %s %s from=%s hits=%s alerts=%s fraud=%s legit=%s precision=%s reason=%s", key,
                        n.path("enabled").asBoolean() ? "enabled" : "DISABLED", RuleCatalog.field(n, "action"),
                        RuleCatalog.field(n, "effectiveFrom"), q.getOrDefault("hits", "0"),
                        q.getOrDefault("alerts", "0"), q.getOrDefault("hitsConfirmedFraud", "0"),
                        q.getOrDefault("hitsConfirmedLegit", "0"), q.getOrDefault("precision", "-"),
                        RuleCatalog.field(n, "reason")));
            }
        }
    }

    private static void send(JobConfig cfg, byte[] doc, PrintStream out) throws Exception {
        String topic = cfg.get(JobOptions.TOPIC_RULES);
        String id = new com.fasterxml.jackson.databind.ObjectMapper().readTree(doc).path("ruleId").asText();
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(KafkaClientProps.bytesProducer(cfg))) {
            var meta = p.send(new ProducerRecord<>(topic, id.getBytes(StandardCharsets.UTF_8), doc)).get();
            out.println("sent to " + topic + "-" + meta.partition() + "@" + meta.offset() + ": "
                    + new String(doc, StandardCharsets.UTF_8));
        }
    }
}
