package com.shopsense.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.shopsense.config.JobConfig;
import com.shopsense.event.EventType;
import com.shopsense.event.ShopEvent;
import com.shopsense.testing.FlinkTestConfig;
import com.shopsense.testing.KafkaTestClient;
import com.shopsense.testing.PipelineRun;
import com.shopsense.testing.RedisState;
import com.shopsense.testing.ReplayFixture;
import com.shopsense.testing.SharedKafka;
import com.shopsense.testing.TestTopics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The reference the fault tests compare with: the real Taobao slice with synthetic payments and planted
 * fraud (plus the hand-written malformed records) through the whole job once, undisturbed. Computed on
 * first use and shared by the reliability tests of one test JVM, so each fault costs one run, not two.
 */
final class UndisturbedRun {
    static final int ROWS = 10_000;
    static final int FRAUD_EVERY = 6;
    static final Duration CHECKPOINTS = Duration.ofMillis(300);

    private static ReplayFixture fixture;
    private static TestTopics topics;
    private static PipelineRun.Outcome outcome;

    private UndisturbedRun() {
    }

    static synchronized ReplayFixture fixture() throws Exception {
        if (fixture == null) {
            fixture = ReplayFixture.taobaoWithPayments(ROWS, FRAUD_EVERY);
        }
        return fixture;
    }

    /** The input topic on the shared broker (outputs of the undisturbed run alongside). */
    static synchronized TestTopics topics() throws Exception {
        if (topics == null) {
            TestTopics t = TestTopics.fresh("undisturbed");
            KafkaTestClient kafka = new KafkaTestClient(SharedKafka.bootstrap());
            kafka.createTopics(2, t.allTopics());
            kafka.produce(t.events(), fixture().records);
            kafka.produce(t.labels(), labels(fixture()));
            topics = t;
        }
        return topics;
    }

    /**
     * The risk team's verdicts on the planted fraud (fraud) and on every 10th other payment (legit), decided a day
     * after the last event: they reach the alert-quality join and its totals, and are never early enough to enter
     * a payment's merchant features, so every run scores the same whatever order the two topics are read in.
     */
    static List<Map.Entry<String, byte[]>> labels(ReplayFixture f) {
        long decidedAt = f.events.stream().mapToLong(ShopEvent::timestampMs).max().orElseThrow() + 86_400_000L;
        List<Map.Entry<String, byte[]>> out = new ArrayList<>();
        int legit = 0;
        for (ShopEvent e : f.events) {
            if (e.type() != EventType.PAYMENT) {
                continue;
            }
            boolean fraud = f.fraudEventIds.contains(e.eventId());
            if (!fraud && legit++ % 10 != 0) {
                continue;
            }
            String json = String.format("{\"labelId\":\"rel-%s\",\"eventId\":\"%s\",\"userId\":\"%s\",%s"
                    + "\"label\":\"%s\",\"source\":\"case\",\"decidedAt\":%d}", e.eventId(), e.eventId(), e.userId(),
                    e.merchantId() == null ? "" : "\"merchantId\":\"" + e.merchantId() + "\",", fraud ? "fraud" : "legit",
                    decidedAt);
            out.add(Map.entry(e.eventId(), json.getBytes(StandardCharsets.UTF_8)));
        }
        return out;
    }

    static JobConfig config() throws Exception {
        return topics().jobConfig(Map.of());
    }

    /** Runs the job once on the current MiniCluster (first call only) and checks its own accounting. */
    static synchronized PipelineRun.Outcome outcome() throws Exception {
        if (outcome == null) {
            Path dir = Files.createTempDirectory("shopsense-undisturbed-");
            PipelineRun.start(PipelineRun.env(FlinkTestConfig.rocksDbWithCheckpoints(dir, CHECKPOINTS)), config(), null,
                    "undisturbed").getJobExecutionResult().get(5, TimeUnit.MINUTES);
            PipelineRun.Outcome o = PipelineRun.read(config());
            assertThat(o.accounted()).as("undisturbed: every input record in a session or the DLQ")
                    .isEqualTo(fixture().records.size());
            assertThat(o.alertIds()).as("undisturbed: planted fraud raises alerts").isNotEmpty().doesNotHaveDuplicates();
            long fraudLabels = fixture().fraudEventIds.size();
            assertThat(o.redis()).as("undisturbed: the labels reach the alert quality of the version that scored them")
                    .hasEntrySatisfying(o.redis().keySet().stream().filter(k -> k.startsWith(":{quality}:fraud:"))
                            .findFirst().orElse(":{quality}:fraud:<none>"),
                            v -> assertThat(v).contains("confirmedFraud=" + fraudLabels));
            System.out.printf("UndisturbedRun: %d records -> %d sessions holding %d events + %d dead letters; %d alerts;"
                    + " %d Redis keys%n", fixture().records.size(), o.sessions().size(), o.sessionEvents(),
                    o.deadLetters().size(), o.alertIds().size(), o.redis().size());
            outcome = o;
        }
        return outcome;
    }

    /**
     * A disturbed run lost nothing and duplicated nothing: every input record accounted for, the same sessions,
     * the same dead letters, each alert exactly once for a read_committed reader, and the same Redis state.
     */
    static void assertSameAsUndisturbed(PipelineRun.Outcome actual) throws Exception {
        PipelineRun.Outcome expected = outcome();
        assertThat(actual.accounted()).as("every input record in a session or the DLQ")
                .isEqualTo(fixture().records.size());
        assertThat(actual.sessions()).as("closed sessions").containsExactlyInAnyOrderElementsOf(expected.sessions());
        assertThat(actual.deadLetters()).as("dead letters").hasSameSizeAs(expected.deadLetters());
        assertThat(actual.alertIds()).as("alerts exactly once for a read_committed consumer").doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(expected.alertIds());
        RedisState.assertSameState(actual.redis(), expected.redis());
    }
}
