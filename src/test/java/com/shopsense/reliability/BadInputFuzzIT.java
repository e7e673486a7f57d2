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
import com.shopsense.sink.DeadLetterSerializer;
import com.shopsense.testing.FlinkTestConfig;
import com.shopsense.testing.KafkaTestClient;
import com.shopsense.testing.PipelineRun;
import com.shopsense.testing.RedisState;
import com.shopsense.testing.ReplayFixture;
import com.shopsense.testing.SharedKafka;
import com.shopsense.testing.SharedRedis;
import com.shopsense.testing.TestTopics;
import com.shopsense.tools.replay.MalformedRecords;
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
import java.util.regex.Matcher;
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
 * or restarts, valid + dead-lettered = input, exactly, and the bad records leave no trace: Redis and the closed
 * sessions equal those of a second run over the same replay without them. Generated: random instances of each
 * kind of damage (truncated or broken JSON, wrong types, missing ids, unknown types, NaN/negative/huge amounts,
 * 1970 and far-future timestamps, 1 MB payloads, invalid UTF-8, oversized ids, non-objects, tombstones and
 * zero-length values, and from issue 16: the two extreme timestamps that once put the job into a restart
 * loop, 19+ digit and year +-999999999 timestamps, duplicate keys, lone surrogates and control characters in
 * ids, random byte mutations of valid records) from a fixed seed, so a failure reproduces. A byte mutation's
 * reason is what the parser, run here offline, calls it (mutations it accepts are not sent: they would be
 * valid events); the test is that the running job routes each record so. Duplicate event ids are valid input: the job does not deduplicate events
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

    /** The two single records of issue 16 that failed the source task on every restore. */
    static final List<String> RESTART_LOOP_TS = List.of("\"9999999999999999999\"", "\"+999999999-12-31T23:59:59Z\"");

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
        for (String ts : RESTART_LOOP_TS) {
            String json = new String(EventJson.toBytes(valid.get(rnd.nextInt(valid.size()))), StandardCharsets.UTF_8);
            generated.add(new Bad(utf8(json.replaceFirst("\"ts\":\"[^\"]*\"", Matcher.quoteReplacement("\"ts\":" + ts))), "ts_out_of_range"));
        }
        for (int i = 0; i < ONE_MB_PAYLOADS; i++) {
            ObjectNode n = EventJson.toNode(valid.get(rnd.nextInt(valid.size())));
            n.put("pad", "p".repeat(1_000_000));
            generated.add(new Bad(JSON.writeValueAsBytes(n), "payload_too_large"));
        }
        // The same replay without any bad record: the run whose Redis state and sessions the bad run must match.
        List<Map.Entry<String, byte[]>> cleanRecords = new ArrayList<>();
        for (Map.Entry<String, byte[]> r : records) {
            if (!r.getKey().startsWith("junk-") && isValid(r.getValue())) {
                cleanRecords.add(r);
            }
        }
        for (Bad b : generated) {
            assertThat(isValid(b.value())).as("generated record is bad: %s", b.reason()).isFalse();
        }
        for (int i = 0; i < generated.size(); i++) {
            records.add(rnd.nextInt(records.size() + 1), new AbstractMap.SimpleEntry<>("fuzz-" + i, generated.get(i).value()));
        }
        expectedBad.addAll(generated);
        assertThat(cleanRecords).as("clean = all records less the bad ones").hasSize(records.size() - expectedBad.size());

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
        assertThat(countByReason(out.deadLetters())).as("dead letters per reason code = what the generator produced")
                .isEqualTo(expectedBad.stream().collect(Collectors.groupingBy(Bad::reason, TreeMap::new, Collectors.counting())));
        assertThat(out.deadLetters()).as("bad input is never an unexpected error")
                .allSatisfy(r -> assertThat(KafkaTestClient.header(r, DeadLetterSerializer.H_ERROR_CLASS)).isNull());
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

        // The control run: the same valid records, same keys and order, no bad ones.
        TestTopics cleanTopics = TestTopics.fresh("bad-input-clean");
        kafka.createTopics(2, cleanTopics.allTopics());
        kafka.produce(cleanTopics.events(), cleanRecords);
        JobConfig cleanCfg = cleanTopics.jobConfig(Map.of());
        JobClient cleanJob = PipelineRun.start(PipelineRun.env(FlinkTestConfig.rocksDbWithCheckpoints(dir.resolve("clean"),
                UndisturbedRun.CHECKPOINTS)), cleanCfg, null, "bad-input-clean");
        cleanJob.getJobExecutionResult().get(5, TimeUnit.MINUTES);
        PipelineRun.Outcome clean = PipelineRun.read(cleanCfg);
        assertThat(Faults.restarts(cluster, cleanJob.getJobID())).isZero();
        assertThat(clean.deadLetters()).as("the control run has no bad input").isEmpty();
        assertThat(out.sessions()).as("closed sessions as without the bad records")
                .containsExactlyInAnyOrderElementsOf(clean.sessions());
        assertThat(out.redis()).as("Redis holds something to compare").isNotEmpty();
        RedisState.assertSameState(out.redis(), clean.redis());

        System.out.printf("BadInputFuzzIT: %d records, %d valid (+%d duplicates), %d dead letters by reason %s%n",
                records.size(), valid.size(), DUPLICATES, out.deadLetters().size(),
                expectedBad.stream().collect(Collectors.groupingBy(Bad::reason, TreeMap::new, Collectors.counting())));
    }

    /** One random instance of one random kind of damage, applied to a valid event. */
    static Bad generate(Random rnd, ShopEvent base) throws Exception {
        byte[] ok = EventJson.toBytes(base);
        ObjectNode n = EventJson.toNode(base);
        int kind = rnd.nextInt(18);
        if (kind >= 12) {
            return generateIssue16(rnd, ok, n, kind);
        }
        switch (kind) {
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
            default -> { // no value at all: a tombstone or zero bytes, told apart
                return rnd.nextBoolean() ? new Bad(new byte[0], "empty_payload") : new Bad(null, "tombstone");
            }
        }
    }

    /** The kinds of damage issue 16 found: extreme timestamps, duplicate keys, odd characters, byte mutations. */
    private static Bad generateIssue16(Random rnd, byte[] ok, ObjectNode n, int kind) throws Exception {
        String json = new String(ok, StandardCharsets.UTF_8);
        switch (kind) {
            case 12 -> { // timestamps that overflow a long or java.time's millisecond range
                String ts = pick(rnd, "\"" + "9".repeat(19 + rnd.nextInt(20)) + "\"", "\"+999999999-12-31T23:59:59Z\"",
                        "\"-999999999-01-01T00:00:00Z\"", "\"+999999999-06-01T00:00:00.999-18:00\"",
                        Long.toString(Long.MAX_VALUE), Long.toString(Long.MIN_VALUE), "9".repeat(25));
                return new Bad(utf8(json.replaceFirst("\"ts\":\"[^\"]*\"", Matcher.quoteReplacement("\"ts\":" + ts))), "ts_out_of_range");
            }
            case 13 -> { // a key twice: the last would win
                String field = present(n, pick(rnd, "ts", "userId", "eventId", "type", "itemId"));
                String again = field.equals("ts") ? "\"2017-11-25T00:00:00Z\"" : "\"other-" + rnd.nextInt(1000) + "\"";
                return new Bad(utf8(json.substring(0, json.length() - 1) + ",\"" + field + "\":" + again + "}"),
                        "duplicate_key");
            }
            case 14 -> { // a lone surrogate in an id (escaped: the only way to send one in valid UTF-8)
                String field = present(n, pick(rnd, "userId", "eventId", "itemId"));
                String sur = String.format("\\u%04X", 0xD800 + rnd.nextInt(0x800));
                return new Bad(utf8(json.replaceFirst("\"" + field + "\":\"", Matcher.quoteReplacement("\"" + field + "\":\"" + sur))),
                        "invalid_unicode");
            }
            case 15 -> { // NUL, ESC, newline, bidi override, zero-width space in an id
                String field = present(n, pick(rnd, "userId", "eventId", "itemId"));
                String c = pick(rnd, "\\u0000", "\\u001B", "\\n", "\\u202E", "\\u200B", "\\u0007");
                return new Bad(utf8(json.replaceFirst("\"" + field + "\":\"", Matcher.quoteReplacement("\"" + field + "\":\"x" + c))),
                        "control_char");
            }
            default -> { // random byte damage, kept only when the parser rejects it (else it is a valid event)
                for (;;) {
                    byte[] b = ok.clone();
                    for (int k = 0, edits = 1 + rnd.nextInt(3); k < edits; k++) {
                        int at = rnd.nextInt(b.length);
                        b[at] = rnd.nextBoolean() ? (byte) (b[at] ^ (1 << rnd.nextInt(8)))
                                : pick(rnd, (byte) '"', (byte) '}', (byte) ':', (byte) 0x00, (byte) 0xFF, (byte) '9');
                    }
                    try {
                        OFFLINE.parse(b);
                    } catch (com.shopsense.event.InvalidEventException e) {
                        return new Bad(b, e.code());
                    }
                }
            }
        }
    }

    /** The field if the event has it as text, else userId (always there): the damage must land. */
    private static String present(ObjectNode n, String field) {
        return n.path(field).isTextual() ? field : "userId";
    }

    private static final com.shopsense.event.EventParser OFFLINE =
            new com.shopsense.event.EventParser(EventLimits.defaults(), System::currentTimeMillis);

    private static boolean isValid(byte[] value) {
        try {
            OFFLINE.parse(value);
            return true;
        } catch (com.shopsense.event.InvalidEventException e) {
            return false;
        }
    }

    private static Map<String, Long> countByReason(List<ConsumerRecord<byte[], byte[]>> dlq) {
        return dlq.stream().collect(Collectors.groupingBy(r -> KafkaTestClient.header(r, DeadLetterSerializer.H_REASON)
                .split(":")[0], TreeMap::new, Collectors.counting()));
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
