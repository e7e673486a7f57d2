package com.shopsense.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.shopsense.config.JobConfig;
import com.shopsense.event.EventJson;
import com.shopsense.event.EventLimits;
import com.shopsense.event.EventType;
import com.shopsense.event.ShopEvent;
import com.shopsense.replay.MalformedRecords;
import com.shopsense.sink.DeadLetterSerializer;
import com.shopsense.testing.FlinkTestConfig;
import com.shopsense.testing.KafkaTestClient;
import com.shopsense.testing.PipelineRun;
import com.shopsense.testing.ReplayFixture;
import com.shopsense.testing.SharedKafka;
import com.shopsense.testing.SharedRedis;
import com.shopsense.testing.TestTopics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input, generated and hand-written, mixed into a real Taobao replay: every bad record lands in the
 * dead-letter topic with its original bytes and the reason its kind of damage calls for, the job never fails
 * or restarts, and valid + dead-lettered = input, exactly. Generated: random instances of each kind of damage
 * (truncated or broken JSON, wrong types, missing ids, unknown types, NaN/negative/huge amounts, 1970 and
 * far-future timestamps, 1 MB payloads, invalid UTF-8, oversized ids, non-objects, tombstones) from a fixed
 * seed, so a failure reproduces. Duplicate event ids are valid input: the job does not deduplicate events
 * (README "Event JSON"), so each copy is sessionized and counted; the outputs stay idempotent through the
 * event-derived alert id and the Redis writes (see {@link SourceRewindIT}).
 */
@ExtendWith({SharedKafka.class, SharedRedis.class})
class BadInputFuzzIT {
    static final long SEED = 20_261_124L;
    static final int GENERATED = 1_500;
    static final int ONE_MB_PAYLOADS = 4;
    static final int DUPLICATES = 100;
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final MiniClusterExtension FLINK = FlinkTestConfig.miniCluster(1, 2);

    @TempDir
    Path dir;

    /** A bad record and the reason code the contract gives it; value null = a tombstone. */
    record Bad(byte[] value, String reason) {
    }

    /** The reasons of {@link MalformedRecords#handWritten()}, in its order. */
    static final List<String> HAND_WRITTEN_REASONS = List.of("malformed_json", "malformed_json", "missing_field",
            "unknown_type", "out_of_range", "invalid_type", "ts_out_of_range", "ts_out_of_range", "invalid_type",
            "not_an_object", "empty_payload", "malformed_json", "payload_too_large", "missing_field");

    @Test
    void everyBadRecordLandsInTheDlqWithItsReasonAndTheJobKeepsRunning(@InjectMiniCluster MiniCluster cluster)
            throws Exception {
        ReplayFixture fixture = ReplayFixture.taobao(3_000);
        List<ShopEvent> valid = fixture.events.stream().filter(e -> e.timestampMs() >= EventLimits.YEAR_2000_MS)
                .collect(Collectors.toList());
        Random rnd = new Random(SEED);

        List<Bad> expectedBad = new ArrayList<>();
        List<byte[]> handWritten = MalformedRecords.handWritten();
        assertThat(handWritten).hasSameSizeAs(HAND_WRITTEN_REASONS);
        for (int i = 0; i < handWritten.size(); i++) {
            expectedBad.add(new Bad(handWritten.get(i), HAND_WRITTEN_REASONS.get(i)));
        }
        fixture.events.stream().filter(e -> e.timestampMs() < EventLimits.YEAR_2000_MS)
                .forEach(e -> expectedBad.add(new Bad(EventJson.toBytes(e), "ts_out_of_range"))); // the real 1970 row

        // The replay as ReplayFixture builds it, each valid event followed by an exact duplicate now and then,
        // and generated bad records at random places.
        List<Map.Entry<String, byte[]>> records = new ArrayList<>();
        int duplicates = 0;
        for (Map.Entry<String, byte[]> r : fixture.records) {
            records.add(r);
            if (!r.getKey().startsWith("junk-") && duplicates < DUPLICATES && rnd.nextInt(25) == 0) {
                records.add(new AbstractMap.SimpleEntry<>(r.getKey(), r.getValue().clone()));
                duplicates++;
            }
        }
        assertThat(duplicates).isEqualTo(DUPLICATES);
        List<Bad> generated = new ArrayList<>();
        for (int i = 0; i < GENERATED; i++) {
            generated.add(generate(rnd, valid.get(rnd.nextInt(valid.size()))));
        }
        for (int i = 0; i < ONE_MB_PAYLOADS; i++) {
            ObjectNode n = EventJson.toNode(valid.get(rnd.nextInt(valid.size())));
            n.put("pad", "p".repeat(1_000_000));
            generated.add(new Bad(JSON.writeValueAsBytes(n), "payload_too_large"));
        }
        for (int i = 0; i < generated.size(); i++) {
            records.add(rnd.nextInt(records.size() + 1), new AbstractMap.SimpleEntry<>("fuzz-" + i, generated.get(i).value()));
        }
        expectedBad.addAll(generated);

        TestTopics topics = TestTopics.fresh("bad-input");
        KafkaTestClient kafka = new KafkaTestClient(SharedKafka.bootstrap());
        kafka.createTopics(2, topics.allTopics());
        kafka.produce(topics.events(), records);
        JobConfig cfg = topics.jobConfig(Map.of());
        JobClient job = PipelineRun.start(PipelineRun.env(FlinkTestConfig.rocksDbWithCheckpoints(dir,
                UndisturbedRun.CHECKPOINTS)), cfg, null, "bad-input");
        job.getJobExecutionResult().get(5, TimeUnit.MINUTES);
        PipelineRun.Outcome out = PipelineRun.read(cfg);

        assertThat(Faults.restarts(cluster, job.getJobID())).as("no task ever failed").isZero();
        assertThat(out.sessionEvents()).as("valid events, duplicates included, all sessionized")
                .isEqualTo(valid.size() + DUPLICATES);
        assertThat(out.deadLetters()).as("dead letters").hasSize(expectedBad.size());
        assertThat(out.accounted()).as("valid + dead-lettered = input").isEqualTo(records.size());
        assertThat(reasonsByValue(out.deadLetters())).as("each bad record, byte for byte, with its reason")
                .isEqualTo(expected(expectedBad));
        assertThat(out.deadLetters()).allSatisfy(r -> {
            assertThat(KafkaTestClient.header(r, DeadLetterSerializer.H_TOPIC)).isEqualTo(topics.events());
            assertThat(Long.parseLong(KafkaTestClient.header(r, DeadLetterSerializer.H_OFFSET))).isNotNegative();
        });
        System.out.printf("BadInputFuzzIT: %d records, %d valid (+%d duplicates), %d dead letters by reason %s%n",
                records.size(), valid.size(), DUPLICATES, out.deadLetters().size(),
                expectedBad.stream().collect(Collectors.groupingBy(Bad::reason, TreeMap::new, Collectors.counting())));
    }

    /** One random instance of one random kind of damage, applied to a valid event. */
    static Bad generate(Random rnd, ShopEvent base) throws Exception {
        byte[] ok = EventJson.toBytes(base);
        ObjectNode n = EventJson.toNode(base);
        switch (rnd.nextInt(12)) {
            case 0 -> { // truncated anywhere
                return new Bad(java.util.Arrays.copyOf(ok, 1 + rnd.nextInt(ok.length - 1)), "malformed_json");
            }
            case 1 -> { // a structural colon broken
                String s = new String(ok, StandardCharsets.UTF_8);
                List<Integer> colons = new ArrayList<>();
                for (int i = s.indexOf("\":"); i >= 0; i = s.indexOf("\":", i + 1)) {
                    colons.add(i + 1);
                }
                int at = colons.get(rnd.nextInt(colons.size()));
                return new Bad(utf8(s.substring(0, at) + "=" + s.substring(at + 1)), "malformed_json");
            }
            case 2 -> { // a wrong type
                String field = pick(rnd, "eventId", "userId", "type", "ts", "amount", "price", "quantity", "rating",
                        "itemId", "deviceId");
                JsonNode wrong = switch (field) {
                    case "amount", "price" -> JSON.getNodeFactory().textNode(Integer.toString(rnd.nextInt(1000)));
                    case "quantity", "rating" -> JSON.getNodeFactory().numberNode(1.5 + rnd.nextInt(3));
                    default -> pick(rnd, JSON.getNodeFactory().booleanNode(rnd.nextBoolean()),
                            JSON.getNodeFactory().numberNode(rnd.nextDouble() + 0.25),
                            JSON.createObjectNode().put("id", rnd.nextInt()), JSON.createArrayNode().add(rnd.nextInt()));
                };
                n.set(field, wrong);
                return new Bad(JSON.writeValueAsBytes(n), "invalid_type");
            }
            case 3 -> { // a missing or blank required field
                String field = pick(rnd, "eventId", "userId", "type", "ts");
                switch (rnd.nextInt(3)) {
                    case 0 -> n.remove(field);
                    case 1 -> n.putNull(field);
                    default -> n.put(field, " ".repeat(rnd.nextInt(3)));
                }
                String reason = n.path(field).isTextual() && field.equals("ts") ? "invalid_ts" : "missing_field";
                return new Bad(JSON.writeValueAsBytes(n), reason);
            }
            case 4 -> { // an event type the contract does not know
                String t;
                do {
                    t = randomWord(rnd);
                } while (EventType.fromWireName(t) != null);
                n.put("type", t);
                return new Bad(JSON.writeValueAsBytes(n), "unknown_type");
            }
            case 5 -> { // NaN, Infinity: not JSON
                String s = new String(JSON.writeValueAsBytes(n.put("amount", 1.5)), StandardCharsets.UTF_8);
                return new Bad(utf8(s.replace("\"amount\":1.5", "\"amount\":" + pick(rnd, "NaN", "Infinity", "-Infinity"))),
                        "malformed_json");
            }
            case 6 -> { // negative or huge money
                String field = pick(rnd, "amount", "price");
                double v = rnd.nextBoolean() ? -(0.01 + rnd.nextDouble() * 1e6)
                        : pick(rnd, 1_000_000.01 + rnd.nextDouble() * 1e9, 1e300);
                n.put(field, v);
                return new Bad(JSON.writeValueAsBytes(n), "out_of_range");
            }
            case 7 -> { // 1970 (before 2000) or far in the future, as epoch ms or ISO text
                long ts = rnd.nextBoolean() ? (long) (rnd.nextDouble() * (EventLimits.YEAR_2000_MS - 1)) - 1_000_000L
                        : System.currentTimeMillis() + 2 * 86_400_000L + (long) (rnd.nextDouble() * 3e13);
                if (rnd.nextBoolean()) {
                    n.put("ts", ts);
                } else {
                    n.put("ts", java.time.Instant.ofEpochMilli(ts).toString());
                }
                return new Bad(JSON.writeValueAsBytes(n), "ts_out_of_range");
            }
            case 8 -> { // invalid UTF-8 inside a string
                byte[] bad = pick(rnd, new byte[] {(byte) 0xFF}, new byte[] {(byte) 0xC3, 0x28}, new byte[] {(byte) 0x80},
                        new byte[] {(byte) 0xE2, (byte) 0x82});
                String s = new String(ok, StandardCharsets.UTF_8);
                int at = s.indexOf("\"eventId\":\"") + 11 + rnd.nextInt(base.eventId().length());
                byte[] head = utf8(s.substring(0, at));
                byte[] tail = utf8(s.substring(at));
                byte[] out = new byte[head.length + bad.length + tail.length];
                System.arraycopy(head, 0, out, 0, head.length);
                System.arraycopy(bad, 0, out, head.length, bad.length);
                System.arraycopy(tail, 0, out, head.length + bad.length, tail.length);
                return new Bad(out, "malformed_json");
            }
            case 9 -> { // an id longer than the contract allows
                n.put(pick(rnd, "eventId", "userId", "itemId", "merchantId"), "x".repeat(129 + rnd.nextInt(500)));
                return new Bad(JSON.writeValueAsBytes(n), "field_too_large");
            }
            case 10 -> { // valid JSON that is not an object
                return new Bad(utf8(pick(rnd, "null", "true", Integer.toString(rnd.nextInt()), "\"" + randomWord(rnd) + "\"",
                        "[" + new String(ok, StandardCharsets.UTF_8) + "]")), "not_an_object");
            }
            default -> { // no value at all: empty or a tombstone
                return new Bad(rnd.nextBoolean() ? new byte[0] : null, "empty_payload");
            }
        }
    }

    /** Reason code by record value (base64; a tombstone is dead-lettered as an empty value), with multiplicity. */
    private static Map<String, Long> reasonsByValue(List<ConsumerRecord<byte[], byte[]>> dlq) {
        return dlq.stream().collect(Collectors.groupingBy(r -> key(r.value(),
                KafkaTestClient.header(r, DeadLetterSerializer.H_REASON).split(":")[0]), TreeMap::new, Collectors.counting()));
    }

    private static Map<String, Long> expected(List<Bad> bad) {
        Map<String, Long> m = new HashMap<>();
        bad.forEach(b -> m.merge(key(b.value(), b.reason()), 1L, Long::sum));
        return new TreeMap<>(m);
    }

    private static String key(byte[] value, String reason) {
        try {
            return reason + " " + Base64.getEncoder().encodeToString(
                    java.security.MessageDigest.getInstance("SHA-256").digest(value == null ? new byte[0] : value));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String randomWord(Random rnd) {
        StringBuilder b = new StringBuilder();
        for (int i = 0, len = 3 + rnd.nextInt(10); i < len; i++) {
            b.append((char) ('a' + rnd.nextInt(26)));
        }
        return b.toString();
    }

    @SafeVarargs
    private static <T> T pick(Random rnd, T... options) {
        return options[rnd.nextInt(options.length)];
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
