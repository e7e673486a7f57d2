package com.shopsense.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.shopsense.config.JobConfig;
import com.shopsense.event.EventJson;
import com.shopsense.event.ParsedLabel;
import com.shopsense.event.ParsedRecord;
import com.shopsense.event.ParsedRule;
import com.shopsense.event.RuleDocs;
import com.shopsense.event.ShopEvent;
import com.shopsense.features.FeatureSpec;
import com.shopsense.features.FraudFeatureEncoder;
import com.shopsense.scoring.FraudDecision;
import com.shopsense.scoring.FraudScore;
import com.shopsense.session.FraudRequest;
import com.shopsense.sink.DeadLetterSerializer;
import com.shopsense.sink.RedisKeys;
import com.shopsense.testing.FlinkTestConfig;
import com.shopsense.testing.KafkaTestClient;
import com.shopsense.testing.SharedKafka;
import com.shopsense.testing.SharedRedis;
import com.shopsense.testing.TestTopics;
import com.shopsense.tools.replay.DemoData;
import com.shopsense.tools.replay.FraudHandbook;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.UnifiedJedis;

/**
 * Fraud rules through the whole job on the Fraud Detection Handbook's replayed payments (the bundled two days),
 * with their chargebacks and some legit verdicts on the label topic, and rule versions on the rules topic: an
 * alert rule that takes effect mid-stream and is disabled later, an allow rule for large amounts, and documents
 * the job must refuse. The alerts must be exactly what the model's scores and the rules' conditions, evaluated
 * here by hand on each payment's features at its event time, give; a run with a task failure in the middle must
 * end with the same alerts and the same rule quality; and the rule quality in Redis must equal the precision
 * computed here from the alert topic and the labels sent.
 */
@ExtendWith({SharedKafka.class, SharedRedis.class})
class FraudRulesIT {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
                    .build());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long FROM = Instant.parse("2018-07-01T00:00:00Z").toEpochMilli();
    private static final long TO = Instant.parse("2018-07-03T00:00:00Z").toEpochMilli();
    /** big-jump@1 takes effect here (mid-stream) ... */
    private static final long RULE_ON = Instant.parse("2018-07-01T12:00:00Z").toEpochMilli();
    /** ... and big-jump@2 switches it off here. */
    private static final long RULE_OFF = Instant.parse("2018-07-02T06:00:00Z").toEpochMilli();
    private static final long ALLOW_ON = Instant.parse("2018-07-01T06:00:00Z").toEpochMilli();
    private static final double JUMP = 3.0;
    private static final double JUMP_MIN_AMOUNT = 50.0;
    private static final String BIG_JUMP = "{\"all\":[" + RuleDocs.compare("amountOverMedian", ">=", JUMP) + ","
            + RuleDocs.compare("amount", ">=", JUMP_MIN_AMOUNT) + "]}";

    private static FraudHandbook.Replay replay;
    private static TestTopics topics;
    private static Set<String> fraudIds;
    private static Set<String> legitIds;
    private static double allowAbove;

    @TempDir
    Path dir;

    @BeforeAll
    static void produceInput() throws Exception {
        replay = FraudHandbook.read(DemoData.require(DemoData.FRAUD_HANDBOOK, "bundled demo slice"), FROM, TO,
                Duration.ofDays(1));
        topics = TestTopics.fresh("rules");
        KafkaTestClient kafka = new KafkaTestClient(SharedKafka.bootstrap());
        kafka.createTopics(2, topics.allTopics());
        fraudIds = new HashSet<>();
        List<Map.Entry<String, byte[]>> labels = new ArrayList<>();
        List<Double> fraudAmounts = new ArrayList<>();
        for (FraudHandbook.Label l : replay.labels()) {
            labels.add(Map.entry(l.eventId(), l.toJson()));
            fraudIds.add(l.eventId());
        }
        legitIds = new HashSet<>();
        int n = 0;
        for (ShopEvent p : replay.payments()) {
            if (fraudIds.contains(p.eventId())) {
                fraudAmounts.add(p.monetaryValue());
            } else if (n++ % 10 == 0) {
                legitIds.add(p.eventId());
                labels.add(Map.entry(p.eventId(), ("{\"labelId\":\"legit-" + p.eventId() + "\",\"eventId\":\""
                        + p.eventId() + "\",\"label\":\"legit\",\"source\":\"case\",\"decidedAt\":"
                        + (p.timestampMs() + 86_400_000L) + "}").getBytes(StandardCharsets.UTF_8)));
            }
        }
        fraudAmounts.sort(Double::compare);
        // Large amounts (the top tenth of the fraud's): the model alerts on some of them, the allow rule suppresses.
        allowAbove = fraudAmounts.get(fraudAmounts.size() * 9 / 10);
        kafka.produce(topics.labels(), labels);

        List<Map.Entry<String, byte[]>> rules = new ArrayList<>();
        rules.add(rule("trusted-large", RuleDocs.json("trusted-large", 1, true, ALLOW_ON,
                RuleDocs.compare("amount", ">", allowAbove), "allow")));
        rules.add(rule("big-jump", RuleDocs.json("big-jump", 1, true, RULE_ON, BIG_JUMP, "alert")));
        rules.add(rule("big-jump", RuleDocs.json("big-jump", 2, false, RULE_OFF, BIG_JUMP, "alert")));
        // Refused, each with its reason; none replaces a valid version.
        rules.add(rule("big-jump", RuleDocs.json("big-jump", 1, true, RULE_ON, BIG_JUMP, "allow"))); // version_conflict
        rules.add(rule("bad", "{\"ruleId\":\"bad\",\"version\":"));
        rules.add(rule("bad", RuleDocs.json("deep", 1, true, FROM, "{\"not\":".repeat(9)
                + RuleDocs.compare("amount", ">", 0) + "}".repeat(9), "alert")));
        rules.add(rule("bad", RuleDocs.json("huge", 1, true, FROM, "{\"feature\":\"amount\",\"op\":\">\",\"value\":1e999}",
                "alert")));
        rules.add(rule("bad", RuleDocs.json("sneaky", 1, true, FROM, BIG_JUMP, "alert").replace("{\"schemaVersion\"",
                "{\"eval\":\"java.lang.Runtime\",\"schemaVersion\"")));
        kafka.produce(topics.rules(), rules);

        List<Map.Entry<String, byte[]>> events = new ArrayList<>();
        for (ShopEvent e : replay.payments()) {
            events.add(Map.entry(e.userId(), EventJson.toBytes(e)));
        }
        kafka.produce(topics.events(), events);
    }

    private static Map.Entry<String, byte[]> rule(String key, String json) {
        return Map.entry(key, json.getBytes(StandardCharsets.UTF_8));
    }

    /** One run of the whole job on the shared input; with {@code fail}, a task fails once after a checkpoint. */
    private static List<FraudScore> run(TestTopics t, Path checkpoints, boolean fail, List<FraudRequest> requests)
            throws Exception {
        JobConfig cfg = t.jobConfig(Map.of());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                FlinkTestConfig.rocksDbWithCheckpoints(checkpoints, Duration.ofMillis(500)));
        env.setParallelism(2);
        DataStream<ParsedRecord> records = env.fromSource(ShopSenseJob.source(cfg), ShopSenseJob.watermarks(cfg),
                "Kafka shop-events").uid("kafka-shop-events");
        DataStream<ParsedLabel> labels = env.fromSource(ShopSenseJob.labelSource(cfg),
                ShopSenseJob.labelWatermarks(cfg), "Kafka fraud-labels").uid("kafka-fraud-labels");
        DataStream<ParsedRule> rules = env.fromSource(ShopSenseJob.ruleSource(cfg), ShopSenseJob.ruleWatermarks(cfg),
                "Kafka fraud-rules").uid("kafka-fraud-rules");
        ShopSenseJob.Outputs out = ShopSenseJob.defineWorkflow(records, labels, rules, cfg);
        ShopSenseJob.attachSinks(out, cfg);
        if (fail) {
            FailOnceAfterCheckpoint.failed.set(false);
            out.fraudDecisions().map(new FailOnceAfterCheckpoint()).uid("test-fail-once").name("Fail once")
                    .sinkTo(new DiscardingSink<>()).uid("test-discard");
            env.execute("fraud-rules-it-failure");
            assertThat(FailOnceAfterCheckpoint.failed).as("the task failed once and was restored").isTrue();
            return List.of();
        }
        List<FraudScore> scores = new ArrayList<>();
        try (CloseableIterator<FraudScore> it = out.fraudScores().collectAsync();
                CloseableIterator<FraudRequest> scored = out.fraudRequests().collectAsync()) {
            var job = env.executeAsync("fraud-rules-it");
            var drained = CompletableFuture.runAsync(() -> scored.forEachRemaining(requests::add));
            it.forEachRemaining(scores::add);
            drained.get(5, TimeUnit.MINUTES);
            job.getJobExecutionResult().get(5, TimeUnit.MINUTES);
        }
        return scores;
    }

    /** The alert topic as alertId -> eventId and reasons. */
    private static Map<String, List<String>> alerts(TestTopics t) throws Exception {
        Map<String, List<String>> out = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> r : new KafkaTestClient(SharedKafka.bootstrap()).readAllCommitted(t.alerts())) {
            JsonNode n = JSON.readTree(r.value());
            List<String> v = new ArrayList<>();
            v.add(n.get("eventId").asText());
            n.get("reasons").forEach(x -> v.add(x.asText()));
            assertThat(out.put(n.get("alertId").asText(), v)).as("each alert once").isNull();
        }
        return out;
    }

    private static Map<String, String> ruleQuality(TestTopics t, String key) {
        try (UnifiedJedis redis = SharedRedis.settings("rules").createClient("rules")) {
            return redis.hgetAll(new RedisKeys(t.redisPrefix()).ruleQuality(key));
        }
    }

    @Test
    void rulesChangeAlertsFromTheirEffectiveTimeSurviveAFailureAndMeasureTheirPrecision() throws Exception {
        List<FraudRequest> requests = new ArrayList<>();
        List<FraudScore> scores = run(topics, dir.resolve("undisturbed"), false, requests);
        assertThat(scores).extracting(FraudScore::eventId).doesNotHaveDuplicates().hasSize(replay.payments().size());

        // What the rules must do, evaluated here by hand on each payment's features and event time.
        List<String> names = FraudFeatureEncoder.fromSpec(FeatureSpec.load(Path.of("onnx-models/feature_spec.json")))
                .currentFeatureNames();
        int overMedian = names.indexOf("log_amount_over_median");
        Map<String, FraudRequest> byEvent = new HashMap<>();
        requests.forEach(r -> byEvent.put(r.payment().ref().eventId(), r));
        Set<String> expectedAlerted = new HashSet<>();
        Set<String> jumpHits = new HashSet<>();
        int modelAlertsSuppressed = 0;
        int jumpBefore = 0;
        int jumpAfterOff = 0;
        for (FraudScore s : scores) {
            FraudRequest r = byEvent.get(s.eventId());
            long ts = s.payment().ref().ts();
            double amount = s.payment().amount();
            boolean jump = Math.exp(r.current()[overMedian]) >= JUMP && amount >= JUMP_MIN_AMOUNT;
            boolean jumpOn = ts >= RULE_ON && ts < RULE_OFF;
            boolean allow = ts >= ALLOW_ON && amount > allowAbove;
            jumpBefore += jump && ts < RULE_ON ? 1 : 0;
            jumpAfterOff += jump && ts >= RULE_OFF ? 1 : 0;
            if (jump && jumpOn) {
                jumpHits.add(s.eventId());
            }
            boolean wouldAlert = s.isAlert() || (jump && jumpOn);
            if (wouldAlert && !allow) {
                expectedAlerted.add(s.eventId());
            }
            modelAlertsSuppressed += s.isAlert() && allow ? 1 : 0;
        }
        assertThat(jumpBefore).as("payments the rule would have caught before its effective time").isPositive();
        assertThat(jumpAfterOff).as("payments the rule would have caught after it was disabled").isPositive();
        assertThat(jumpHits).as("payments the rule caught while on").isNotEmpty();
        assertThat(modelAlertsSuppressed).as("model alerts the allow rule suppresses").isPositive();

        Map<String, List<String>> undisturbed = alerts(topics);
        Set<String> alerted = new HashSet<>();
        Set<String> withRuleReason = new HashSet<>();
        for (List<String> a : undisturbed.values()) {
            alerted.add(a.get(0));
            if (a.contains("rule:big-jump@1")) {
                withRuleReason.add(a.get(0));
            }
            assertThat(a).noneMatch(x -> x.startsWith("rule:trusted-large") || x.startsWith("rule:big-jump@2"));
        }
        assertThat(alerted).as("alerts = model or rule, minus allowed").isEqualTo(expectedAlerted);
        Set<String> jumpAlerted = new HashSet<>(jumpHits);
        assertThat(withRuleReason).as("the rule names itself in exactly the alerts it raised or joined")
                .isEqualTo(jumpAlerted.stream().filter(expectedAlerted::contains).collect(java.util.stream.Collectors.toSet()));

        // Refused rule documents reach the DLQ with their reasons (stage rule), once each.
        Map<String, Integer> reasons = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> r : new KafkaTestClient(SharedKafka.bootstrap()).readAllCommitted(topics.dlq())) {
            assertThat(KafkaTestClient.header(r, DeadLetterSerializer.H_STAGE)).isEqualTo("rule");
            String reason = KafkaTestClient.header(r, DeadLetterSerializer.H_REASON);
            reasons.merge(reason.substring(0, reason.indexOf(':')), 1, Integer::sum);
        }
        assertThat(reasons).containsExactlyInAnyOrderEntriesOf(Map.of("version_conflict", 1, "malformed_json", 1,
                "out_of_range", 2, "unknown_field", 1));

        // Rule quality equals the precision computed from the alert topic and the labels sent.
        long hitsFraud = jumpHits.stream().filter(fraudIds::contains).count();
        long hitsLegit = jumpHits.stream().filter(legitIds::contains).count();
        Map<String, String> q = ruleQuality(topics, "big-jump@1");
        assertThat(q).containsEntry("hits", Long.toString(jumpHits.size()))
                .containsEntry("alerts", Long.toString(withRuleReason.size()))
                .containsEntry("hitsConfirmedFraud", Long.toString(hitsFraud))
                .containsEntry("hitsConfirmedLegit", Long.toString(hitsLegit))
                .containsEntry("alertsConfirmedFraud", Long.toString(withRuleReason.stream().filter(fraudIds::contains)
                        .count()))
                .containsEntry("alertsConfirmedLegit", Long.toString(withRuleReason.stream().filter(legitIds::contains)
                        .count()))
                .containsEntry("precision", String.format(java.util.Locale.ROOT, "%.4f",
                        (double) hitsFraud / jumpHits.size()));
        assertThat(hitsFraud).as("the rule catches some fraud").isPositive();
        Map<String, String> allowQ = ruleQuality(topics, "trusted-large@1");
        assertThat(Long.parseLong(allowQ.get("hits"))).isPositive();

        // A run with a task failure in the middle ends with the same alerts and the same rule quality.
        TestTopics failed = topics.sameInputFreshOutputs("rules-failure");
        new KafkaTestClient(SharedKafka.bootstrap()).createTopics(2, failed.dlq(), failed.sessions(), failed.alerts());
        run(failed, dir.resolve("failure"), true, new ArrayList<>());
        assertThat(alerts(failed)).isEqualTo(undisturbed);
        for (String key : List.of("big-jump@1", "trusted-large@1")) {
            Map<String, String> a = new TreeMap<>(ruleQuality(failed, key));
            Map<String, String> b = new TreeMap<>(ruleQuality(topics, key));
            a.remove("sequence");
            b.remove("sequence");
            assertThat(a).as(key).isEqualTo(b);
        }
    }

    /** Fails its task once, on the first decision after a completed checkpoint: the job restores from it. */
    static final class FailOnceAfterCheckpoint implements MapFunction<FraudDecision, String>, CheckpointListener {
        static final AtomicBoolean failed = new AtomicBoolean();
        private transient boolean checkpointed;
        private transient int seen;

        @Override
        public String map(FraudDecision d) {
            if (checkpointed && ++seen > 50 && failed.compareAndSet(false, true)) {
                throw new IllegalStateException("injected failure after a checkpoint");
            }
            return d.eventId();
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            checkpointed = true;
        }
    }
}
