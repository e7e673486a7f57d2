package com.shopsense.tools.readers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.shopsense.config.JobOptions;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The risk team's console: reads the fraud-alerts topic with {@code isolation.level=read_committed}
 * (only alerts of committed Flink checkpoints, so each alert once) and prints one line per alert; with
 * {@code --rules list|publish|disable|rollback} it manages the fraud rules instead ({@link RuleCommands}).
 *
 * <pre>
 * java -cp ... com.shopsense.tools.readers.RiskConsole --kafka.bootstrap-servers localhost:9092 \
 *     [--kafka.topic.alerts fraud-alerts] [--from-beginning true] [--max-alerts N] [--group risk-console]
 *     [--kafka.properties.security.protocol SASL_SSL ...]
 * java -cp ... com.shopsense.tools.readers.RiskConsole --rules list --redis.nodes localhost:6379 ...
 * java -cp ... com.shopsense.tools.readers.RiskConsole --rules publish --file rule.json ...
 * java -cp ... com.shopsense.tools.readers.RiskConsole --rules disable --rule-id big-new-device [--effective-from ISO]
 * java -cp ... com.shopsense.tools.readers.RiskConsole --rules rollback --rule-id big-new-device --to-version 2
 * </pre>
 */
public final class RiskConsole {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RiskConsole() {
    }

    public static void main(String[] args) throws Exception {
        ReaderArgs a = new ReaderArgs(args, Set.of("from-beginning", "max-alerts", "group", "idle-exit-ms", "rules",
                "file", "rule-id", "to-version", "effective-from"));
        if (a.own.containsKey("rules")) {
            System.exit(RuleCommands.run(a.get("rules", ""), a, System.out));
        }
        String topic = a.job.get(JobOptions.TOPIC_ALERTS);
        long max = Long.parseLong(a.get("max-alerts", "-1"));
        long idleExit = Long.parseLong(a.get("idle-exit-ms", "-1"));
        boolean fromBeginning = Boolean.parseBoolean(a.get("from-beginning", "false"));
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, a.job.get(JobOptions.KAFKA_BOOTSTRAP));
        p.put(ConsumerConfig.GROUP_ID_CONFIG, a.get("group", "risk-console-" + UUID.randomUUID()));
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, fromBeginning ? "earliest" : "latest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.putAll(a.job.kafkaClientProperties()); // security (kafka.properties.*), as the job uses it
        long printed = run(p, topic, fromBeginning, max, idleExit, System.out);
        System.err.println(printed + " alerts");
    }

    /** Consumes and prints until max alerts (if >= 0) or idleExitMs without records (if >= 0). */
    static long run(Properties p, String topic, boolean fromBeginning, long max, long idleExitMs, PrintStream out) {
        long printed = 0;
        long lastRecord = System.currentTimeMillis();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            if (fromBeginning) {
                List<TopicPartition> parts = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                        .map(i -> new TopicPartition(topic, i.partition())).collect(Collectors.toList());
                consumer.assign(parts);
                consumer.seekToBeginning(parts);
            } else {
                consumer.subscribe(List.of(topic));
            }
            while (max < 0 || printed < max) {
                var records = consumer.poll(Duration.ofMillis(500));
                if (records.isEmpty() && idleExitMs >= 0 && System.currentTimeMillis() - lastRecord > idleExitMs) {
                    break;
                }
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    lastRecord = System.currentTimeMillis();
                    out.println(line(r.value()));
                    printed++;
                }
            }
        }
        return printed;
    }

    /** {@code 2026-01-01T10:00:00Z ALERT 1f2e... user=u42 score=0.970>=0.800 fraud@abc123 amount=912.50 merchant=m7 reasons=A,B event=e9}. */
    public static String line(byte[] value) {
        try {
            JsonNode n = JSON.readTree(value);
            StringBuilder reasons = new StringBuilder();
            n.path("reasons").forEach(r -> reasons.append(reasons.length() == 0 ? "" : ",").append(r.asText()));
            return String.format(java.util.Locale.ROOT,
                    "%s ALERT %s user=%s score=%.3f>=%.3f %s@%s amount=%.2f merchant=%s reasons=%s event=%s",
                    Instant.ofEpochMilli(n.path("eventTime").asLong()), n.path("alertId").asText(),
                    n.path("userId").asText(), n.path("score").asDouble(), n.path("threshold").asDouble(),
                    n.path("model").asText(), n.path("modelVersion").asText(), n.path("amount").asDouble(),
                    n.path("merchantId").asText(), reasons, n.path("eventId").asText());
        } catch (Exception e) {
            return "UNPARSEABLE " + new String(value, java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
