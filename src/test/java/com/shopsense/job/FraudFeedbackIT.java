package com.shopsense.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.shopsense.config.JobConfig;
import com.shopsense.event.EventJson;
import com.shopsense.event.ParsedLabel;
import com.shopsense.event.ParsedRecord;
import com.shopsense.event.ShopEvent;
import com.shopsense.features.FeatureSpec;
import com.shopsense.features.FraudFeatureEncoder;
import com.shopsense.features.MerchantFeedbackFeatures;
import com.shopsense.features.MerchantLabelWindow;
import com.shopsense.scoring.FraudScore;
import com.shopsense.session.FraudRequest;
import com.shopsense.session.PaymentRef;
import com.shopsense.sink.DeadLetterSerializer;
import com.shopsense.sink.RedisKeys;
import com.shopsense.testing.FlinkTestConfig;
import com.shopsense.testing.KafkaTestClient;
import com.shopsense.testing.SharedKafka;
import com.shopsense.testing.SharedRedis;
import com.shopsense.testing.TestTopics;
import com.shopsense.tools.replay.AlertOutcomes;
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
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
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
 * The risk feedback loop through the whole job: two days of the Fraud Detection Handbook's payments
 * and their chargebacks (decided one day later) on the label topic, plus labels the job must refuse.
 * Every payment's merchant feedback features must equal what the labels decided before it allow (no
 * leakage), every refused label must reach the DLQ with its reason, and the job's alert-quality
 * totals in Redis must equal those computed from the alert topic and the labels sent.
 */
@ExtendWith({SharedKafka.class, SharedRedis.class})
class FraudFeedbackIT {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
                    .build());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long FROM = Instant.parse("2018-07-01T00:00:00Z").toEpochMilli();
    private static final long TO = Instant.parse("2018-07-03T00:00:00Z").toEpochMilli();

    private static FraudHandbook.Replay replay;
    private static TestTopics topics;

    @TempDir
    Path dir;

    @BeforeAll
    static void produceInput() throws Exception {
        // The bundled slice holds exactly these two days of the full file (DemoDataIT checks it).
        replay = FraudHandbook.read(DemoData.require(DemoData.FRAUD_HANDBOOK, "bundled demo slice"), FROM, TO,
                Duration.ofDays(1));
        topics = TestTopics.fresh("feedback");
        KafkaTestClient kafka = new KafkaTestClient(SharedKafka.bootstrap());
        kafka.createTopics(2, topics.allTopics());
        List<Map.Entry<String, byte[]>> labels = new ArrayList<>();
        for (FraudHandbook.Label l : replay.labels()) {
            labels.add(Map.entry(l.eventId(), l.toJson()));
        }
        ShopEvent somePayment = replay.payments().get(replay.payments().size() / 2);
        String later = Instant.ofEpochMilli(somePayment.timestampMs() + 3_600_000).toString();
        labels.add(Map.entry("bad", "{\"labelId\":\"bad-1\",\"eventId\":".getBytes(StandardCharsets.UTF_8)));
        labels.add(Map.entry("bad", ("{\"labelId\":\"bad-2\",\"label\":\"fraud\",\"source\":\"case\",\"decidedAt\":\""
                + later + "\"}").getBytes(StandardCharsets.UTF_8)));
        labels.add(Map.entry("ghost", ("{\"labelId\":\"bad-3\",\"eventId\":\"fh-none\",\"merchantId\":\"T1\","
                + "\"label\":\"fraud\",\"source\":\"case\",\"decidedAt\":\"" + later + "\"}").getBytes(StandardCharsets.UTF_8)));
        labels.add(Map.entry(somePayment.eventId(), ("{\"labelId\":\"bad-4\",\"eventId\":\"" + somePayment.eventId()
                + "\",\"alertId\":\"0123456789abcdef\",\"label\":\"legit\",\"source\":\"case\",\"decidedAt\":\""
                + later + "\"}").getBytes(StandardCharsets.UTF_8)));
        labels.add(Map.entry(somePayment.eventId(), ("{\"labelId\":\"bad-5\",\"eventId\":\"" + somePayment.eventId()
                + "\",\"label\":\"legit\",\"source\":\"case\",\"decidedAt\":"
                + (somePayment.timestampMs() - 1) + "}").getBytes(StandardCharsets.UTF_8)));
        kafka.produce(topics.labels(), labels);
        List<Map.Entry<String, byte[]>> events = new ArrayList<>();
        for (ShopEvent e : replay.payments()) {
            events.add(Map.entry(e.userId(), EventJson.toBytes(e)));
        }
        kafka.produce(topics.events(), events);
    }

    @Test
    void labelsFeedMerchantRiskWithoutLeakageAndAlertQualityIsExact() throws Exception {
        JobConfig cfg = topics.jobConfig(Map.of());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                FlinkTestConfig.rocksDbWithCheckpoints(dir, Duration.ofMillis(500)));
        env.setParallelism(2);
        DataStream<ParsedRecord> records = env.fromSource(ShopSenseJob.source(cfg), ShopSenseJob.watermarks(cfg),
                "Kafka shop-events").uid("kafka-shop-events");
        DataStream<ParsedLabel> labels = env.fromSource(ShopSenseJob.labelSource(cfg), ShopSenseJob.labelWatermarks(cfg),
                "Kafka fraud-labels").uid("kafka-fraud-labels");
        ShopSenseJob.Outputs out = ShopSenseJob.defineWorkflow(records, labels, cfg);
        ShopSenseJob.attachSinks(out, cfg);
        List<FraudScore> scores = new ArrayList<>();
        List<FraudRequest> requests = new ArrayList<>();
        try (CloseableIterator<FraudScore> it = out.fraudScores().collectAsync();
                CloseableIterator<FraudRequest> scored = out.fraudRequests().collectAsync()) {
            var job = env.executeAsync("fraud-feedback-it");
            // Both iterators are drained while the job runs, or one collect sink backpressures it.
            var drained = java.util.concurrent.CompletableFuture.runAsync(() -> scored.forEachRemaining(requests::add));
            it.forEachRemaining(scores::add);
            drained.get(5, java.util.concurrent.TimeUnit.MINUTES);
            job.getJobExecutionResult().get(5, java.util.concurrent.TimeUnit.MINUTES);
        }

        // Every payment was scored once.
        assertThat(scores).extracting(FraudScore::eventId)
                .doesNotHaveDuplicates().hasSize(replay.payments().size());
        assertThat(requests).extracting(r -> r.payment().ref().eventId())
                .containsExactlyInAnyOrderElementsOf(scores.stream().map(FraudScore::eventId).toList());

        // The merchant features of every payment count exactly the labels decided at or before it.
        FraudFeatureEncoder enc = FraudFeatureEncoder.fromSpec(FeatureSpec.load(Path.of("onnx-models/feature_spec.json")));
        MerchantFeedbackFeatures feedback = MerchantFeedbackFeatures.of(enc.currentFeatureNames());
        assertThat(feedback.isEmpty()).as("the shipped fraud model takes merchant feedback features").isFalse();
        Map<String, MerchantLabelWindow> byMerchant = new HashMap<>();
        for (FraudHandbook.Label l : replay.labels()) {
            byMerchant.computeIfAbsent(l.merchantId(), m -> new MerchantLabelWindow()).add(l.labelId(), l.decidedAt());
        }
        int withFeedback = 0;
        for (FraudRequest r : requests) {
            PaymentRef e = r.payment();
            MerchantLabelWindow w = byMerchant.getOrDefault(e.merchantId(), new MerchantLabelWindow());
            float[] expected = feedback.fill(new float[enc.currentFeatureCount()], feedback.counts(w, e.ref().ts()));
            for (String name : feedback.names()) {
                int i = enc.currentFeatureNames().indexOf(name);
                assertThat(r.current()[i]).as("%s of %s", name, e.ref().eventId()).isEqualTo(expected[i]);
                withFeedback += expected[i] > 0 ? 1 : 0;
            }
        }
        assertThat(withFeedback).as("payments at merchants with confirmed fraud").isGreaterThan(0);

        // Refused labels reach the DLQ with their reasons; nothing else is dead-lettered.
        Map<String, Integer> reasons = new TreeMap<>();
        KafkaTestClient kafka = new KafkaTestClient(SharedKafka.bootstrap());
        for (ConsumerRecord<byte[], byte[]> r : kafka.readAllCommitted(topics.dlq())) {
            String reason = KafkaTestClient.header(r, DeadLetterSerializer.H_REASON);
            reasons.merge(reason.substring(0, reason.indexOf(':')), 1, Integer::sum);
            assertThat(KafkaTestClient.header(r, DeadLetterSerializer.H_STAGE)).isEqualTo("label");
        }
        assertThat(reasons).containsExactlyInAnyOrderEntriesOf(Map.of("malformed_json", 1, "missing_field", 1,
                "unknown_event", 1, "unknown_alert", 1, "decided_before_payment", 1));

        // Alert quality in Redis equals the same numbers computed from the alert topic and the labels.
        Set<String> alerted = new HashSet<>();
        Set<String> versions = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> r : kafka.readAllCommitted(topics.alerts())) {
            var n = JSON.readTree(r.value());
            alerted.add(n.get("eventId").asText());
            versions.add(n.get("modelVersion").asText());
        }
        assertThat(versions).hasSize(1);
        AlertOutcomes expected = AlertOutcomes.of(replay.payments(), replay.labels(), alerted, Long.MIN_VALUE);
        assertThat(expected.alerts()).isPositive();
        assertThat(expected.alertedFraud()).isPositive();
        try (UnifiedJedis redis = SharedRedis.settings("quality").createClient("quality")) {
            Map<String, String> q = redis.hgetAll(new RedisKeys(topics.redisPrefix()).alertQuality(versions.iterator().next()));
            assertThat(q).containsEntry("alerts", Long.toString(expected.alerts()))
                    .containsEntry("alertsConfirmedFraud", Long.toString(expected.alertedFraud()))
                    .containsEntry("confirmedFraud", Long.toString(expected.fraud()))
                    .containsEntry("confirmedLegit", "0")
                    .containsEntry("recall", String.format(java.util.Locale.ROOT, "%.4f", expected.recall()));
        }
    }
}
