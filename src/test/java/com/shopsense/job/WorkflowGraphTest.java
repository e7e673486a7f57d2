package com.shopsense.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.shopsense.config.JobConfig;
import com.shopsense.event.DeadLetter;
import com.shopsense.event.EventType;
import com.shopsense.event.FraudLabel;
import com.shopsense.event.ParsedLabel;
import com.shopsense.event.ParsedRecord;
import com.shopsense.event.ShopEvent;
import com.shopsense.feedback.AlertQuality;
import com.shopsense.feedback.RecoAbTotals;
import com.shopsense.insight.KpiWindow;
import com.shopsense.insight.SegmentCount;
import com.shopsense.scoring.FraudAlert;
import com.shopsense.scoring.FraudScore;
import com.shopsense.scoring.IntentScore;
import com.shopsense.scoring.Recommendation;
import com.shopsense.scoring.UserScoreUpdate;
import com.shopsense.session.FraudRequest;
import com.shopsense.session.SessionClosed;
import com.shopsense.session.SessionEvent;
import com.shopsense.testing.FlinkTestConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole graph ({@link ShopSenseJob#defineWorkflow}) over in-memory events and labels on a MiniCluster
 * (RocksDB, checkpoints, the real models), with every output stream collected: the fast tier, no broker and
 * no Redis. The label branch is in: a confirmed-fraud label reaches both the merchant features of a later
 * payment and the alert quality of the payment it judges.
 */
class WorkflowGraphTest {
    private static final long T = 1_700_000_000_000L;
    private static final long MIN = 60_000L;
    private static final String MERCHANT = "m-1";

    @RegisterExtension
    static final MiniClusterExtension FLINK = FlinkTestConfig.miniCluster(1, 2);

    @TempDir
    static Path dir;

    private static Run run;

    /** Everything the graph produced for one input. */
    record Run(List<SessionEvent> sessionEvents, List<SessionClosed> closed, List<DeadLetter> deadLetters,
            List<IntentScore> intent, List<Recommendation> recommendations, List<FraudRequest> fraudRequests,
            List<FraudScore> fraudScores, List<FraudAlert> alerts, List<UserScoreUpdate> scoreUpdates,
            List<AlertQuality> alertQuality, List<RecoAbTotals> recoAb, List<SegmentCount> segmentCounts,
            List<KpiWindow> kpis) {
    }

    /**
     * Alice browses, carts, orders and pays at the merchant; Bob pays there after Alice's payment is confirmed fraud;
     * Carol only searches; Mallory pays once, then her account is taken over.
     */
    static List<ShopEvent> events() {
        return List.of(
                ShopEvent.builder("a1", "alice", EventType.VIEW, T).itemId("214839313").deviceId("dev-a").build(),
                ShopEvent.builder("a2", "alice", EventType.VIEW, T + 20_000).itemId("214717003").build(),
                ShopEvent.builder("a3", "alice", EventType.ADD_TO_CART, T + 40_000).itemId("214717003").price(30.0)
                        .quantity(1).build(),
                ShopEvent.builder("a4", "alice", EventType.ORDER, T + 60_000).itemId("214717003").amount(30.0).build(),
                ShopEvent.builder("a5", "alice", EventType.PAYMENT, T + 70_000).amount(30.0).merchantId(MERCHANT)
                        .cardFingerprint("card-a").deviceId("dev-a").build(),
                ShopEvent.builder("c1", "carol", EventType.SEARCH, T + 80_000).query("shoes").build(),
                ShopEvent.builder("m0", "mallory", EventType.PAYMENT, T + 2 * MIN).amount(25.0).merchantId("m-7")
                        .cardFingerprint("card-m").deviceId("dev-m").country("DE").build(),
                takeover(1), takeover(2), takeover(3), takeover(4), takeover(5),
                ShopEvent.builder("b1", "bob", EventType.VIEW, T + 60 * MIN).itemId("214826705").build(),
                ShopEvent.builder("b2", "bob", EventType.PAYMENT, T + 61 * MIN).amount(45.0).merchantId(MERCHANT)
                        .cardFingerprint("card-b").build());
    }

    /** Mallory's account taken over: a burst of large payments from a new device at new merchants. */
    static ShopEvent takeover(int k) {
        return ShopEvent.builder("m" + k, "mallory", EventType.PAYMENT, T + 2 * MIN + k * 20_000L).amount(400.0 + 50 * k)
                .merchantId("m-x" + k).cardFingerprint("card-m").deviceId("dev-takeover").country("DE").build();
    }

    /** Alice's payment is confirmed fraud half an hour after it, before Bob pays. */
    static FraudLabel aliceFraud() {
        return new FraudLabel("l1", "a5", null, "alice", MERCHANT, true, FraudLabel.SOURCE_CASE, T + 30 * MIN,
                "{}".getBytes(StandardCharsets.UTF_8), "fraud-labels", 0, 0);
    }

    static DeadLetter rejected(String reason, String stage) {
        return new DeadLetter("{bad".getBytes(StandardCharsets.UTF_8), reason, "t", 0, 7, stage);
    }

    /**
     * Holds Bob's payment back for a moment: the label source's one record is then through the merchant join before
     * it (sources run concurrently; the join uses the labels it has when a payment arrives).
     */
    static final class LabelsFirst implements MapFunction<ParsedRecord, ParsedRecord> {
        @Override
        public ParsedRecord map(ParsedRecord r) throws InterruptedException {
            if (r.isValid() && r.event().eventId().equals("b2")) {
                Thread.sleep(1_500);
            }
            return r;
        }
    }

    @BeforeAll
    static void runTheGraph() throws Exception {
        JobConfig cfg = JobConfig.of(Map.of("privacy.allow-dev-key", "true"));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                FlinkTestConfig.rocksDbWithCheckpoints(dir, Duration.ofMillis(200)));
        // Parallelism 1: a collection source feeding wider operators is rebalanced round robin, which would reorder
        // each user's events before they are keyed (a Kafka source runs at the job's parallelism instead).
        env.setParallelism(1);
        List<ParsedRecord> records = new ArrayList<>();
        events().forEach(e -> records.add(ParsedRecord.ok(e)));
        records.add(3, ParsedRecord.rejected(rejected("invalid_json", DeadLetter.STAGE_PARSE)));
        DataStream<ParsedRecord> in = env.fromData(records, TypeInformation.of(ParsedRecord.class))
                .map(new LabelsFirst())
                .assignTimestampsAndWatermarks(ShopSenseJob.watermarks(cfg));
        DataStream<ParsedLabel> labels = env.fromData(List.of(new ParsedLabel(aliceFraud(), null),
                        new ParsedLabel(null, rejected("missing_field", DeadLetter.STAGE_LABEL))),
                        TypeInformation.of(ParsedLabel.class))
                .assignTimestampsAndWatermarks(WatermarkStrategy.<ParsedLabel>forMonotonousTimestamps()
                        .withTimestampAssigner((l, ts) -> l.isValid() ? l.label().decidedAt() : Long.MIN_VALUE));

        ShopSenseJob.Outputs o = ShopSenseJob.defineWorkflow(in, labels, cfg);
        List<CloseableIterator<?>> its = new ArrayList<>();
        List<List<?>> lists = new ArrayList<>();
        for (DataStream<?> s : List.of(o.sessionEvents(), o.closedSessions(), o.deadLetters(), o.intentScores(),
                o.recommendations(), o.fraudRequests(), o.fraudScores(), o.alerts(), o.scoreUpdates(), o.alertQuality(),
                o.recoAb(), o.segmentCounts(), o.kpis())) {
            its.add(s.collectAsync());
        }
        JobClient job = env.executeAsync("workflow-graph-test");
        List<CompletableFuture<List<Object>>> drained = new ArrayList<>();
        for (CloseableIterator<?> it : its) {
            drained.add(CompletableFuture.supplyAsync(() -> {
                List<Object> out = new ArrayList<>();
                it.forEachRemaining(out::add);
                return out;
            }));
        }
        for (CompletableFuture<List<Object>> d : drained) {
            lists.add(d.get(3, TimeUnit.MINUTES));
        }
        job.getJobExecutionResult().get(3, TimeUnit.MINUTES);
        for (CloseableIterator<?> it : its) {
            it.close();
        }
        run = runOf(lists);
    }

    @SuppressWarnings("unchecked")
    private static Run runOf(List<List<?>> l) {
        return new Run((List<SessionEvent>) l.get(0), (List<SessionClosed>) l.get(1), (List<DeadLetter>) l.get(2),
                (List<IntentScore>) l.get(3), (List<Recommendation>) l.get(4), (List<FraudRequest>) l.get(5),
                (List<FraudScore>) l.get(6), (List<FraudAlert>) l.get(7), (List<UserScoreUpdate>) l.get(8),
                (List<AlertQuality>) l.get(9), (List<RecoAbTotals>) l.get(10), (List<SegmentCount>) l.get(11),
                (List<KpiWindow>) l.get(12));
    }

    private static Set<String> validEventIds() {
        return events().stream().map(ShopEvent::eventId).collect(Collectors.toSet());
    }

    @Test
    void everyValidEventIsSessionizedAndScoredForIntentOnce() {
        assertThat(run.sessionEvents()).extracting(e -> e.ref().eventId())
                .containsExactlyInAnyOrderElementsOf(validEventIds());
        assertThat(run.intent()).extracting(s -> s.ref().eventId()).containsExactlyInAnyOrderElementsOf(validEventIds());
        assertThat(run.intent()).allSatisfy(s -> assertThat(s.probability()).isBetween(0f, 1f));
        assertThat(run.sessionEvents()).filteredOn(e -> e.userId().equals("alice"))
                .extracting(SessionEvent::position).containsExactlyInAnyOrder(0, 1, 2, 3, 4);
    }

    @Test
    void rejectedRecordsAndLabelsBecomeDeadLettersWithTheirReasons() {
        assertThat(run.deadLetters()).extracting(DeadLetter::reason)
                .containsExactlyInAnyOrder("invalid_json", "missing_field");
    }

    @Test
    void theEndOfInputClosesEverySession() {
        Map<String, SessionClosed> byUser = run.closed().stream()
                .collect(Collectors.toMap(SessionClosed::userId, c -> c));
        assertThat(byUser).containsOnlyKeys("alice", "bob", "carol", "mallory");
        assertThat(byUser.get("alice").eventCount()).isEqualTo(5);
        assertThat(byUser.get("alice").orders()).isEqualTo(1);
        assertThat(byUser.get("alice").orderValue()).isEqualTo(30.0);
    }

    @Test
    void recommendationsComeFromTheSecondItemEventOnAndNameTheirTriggeringEvent() {
        assertThat(run.recommendations()).isNotEmpty();
        assertThat(run.recommendations()).allSatisfy(r -> {
            assertThat(r.itemIds()).isNotEmpty().doesNotContain("<pad>", "<unk>");
            assertThat(r.eventId()).isIn("a2", "a3", "a4");
        });
        assertThat(run.recommendations()).extracting(Recommendation::userId).containsOnly("alice");
        long impressions = run.recoAb().stream().collect(Collectors.toMap(RecoAbTotals::modelVersion,
                RecoAbTotals::impressions, Math::max)).values().stream().mapToLong(Long::longValue).sum();
        assertThat(impressions).as("every list shown counts as an impression").isEqualTo(run.recommendations().size());
    }

    @Test
    void aConfirmedFraudLabelFillsTheMerchantFeaturesOfALaterPaymentOnly() {
        Map<String, FraudRequest> byEvent = run.fraudRequests().stream()
                .collect(Collectors.toMap(r -> r.payment().ref().eventId(), r -> r));
        assertThat(byEvent).containsOnlyKeys("a4", "a5", "b2", "m0", "m1", "m2", "m3", "m4", "m5"); // the order has an amount
        assertThat(Arrays.asList(byEvent.get("b2").reasons())).anyMatch(r -> r.startsWith("MERCHANT_CONFIRMED_FRAUD_1_"));
        assertThat(Arrays.asList(byEvent.get("a5").reasons())).noneMatch(r -> r.startsWith("MERCHANT_CONFIRMED_FRAUD"));
        assertThat(run.fraudScores()).extracting(FraudScore::eventId).containsExactlyInAnyOrderElementsOf(byEvent.keySet());
        FraudScore bob = run.fraudScores().stream().filter(s -> s.eventId().equals("b2")).findFirst().orElseThrow();
        assertThat(bob.reasons()).isEqualTo(byEvent.get("b2").reasons());
    }

    @Test
    void theLabelIsCountedInTheAlertQualityOfTheVersionThatScoredThePayment() {
        Map<String, AlertQuality> latest = new HashMap<>();
        run.alertQuality().forEach(q -> latest.merge(q.modelVersion(), q,
                (a, b) -> b.fraudLabels() + b.alerts() >= a.fraudLabels() + a.alerts() ? b : a));
        assertThat(latest.values()).extracting(AlertQuality::fraudLabels).containsExactly(1L);
        assertThat(latest.values()).extracting(AlertQuality::alerts).containsExactly((long) run.alerts().size());
    }

    @Test
    void scoresOverTheThresholdRaiseOneAlertEachAndTheTakeoverIsAlerted() {
        assertThat(run.alerts()).extracting(FraudAlert::eventId).containsExactlyInAnyOrderElementsOf(
                run.fraudScores().stream().filter(FraudScore::isAlert).map(FraudScore::eventId).toList());
        assertThat(run.alerts()).as("the takeover burst").extracting(FraudAlert::userId).contains("mallory");
    }

    @Test
    void alertsCarryPseudonymsNeverTheRawCardOrDevice() {
        assertThat(run.alerts()).isNotEmpty().allSatisfy(a -> {
            assertThat(a.cardRef()).startsWith("card_").doesNotContain("card-m");
            assertThat(a.deviceRef()).startsWith("dev_").doesNotContain("dev-takeover");
            assertThat(a.reasons()).isNotEmpty();
        });
    }

    @Test
    void theScoreHashGetsIntentPerEventFraudPerPaymentSegmentPerCloseAndChurnPerCustomersClose() {
        Map<String, Set<String>> fields = new HashMap<>();
        for (UserScoreUpdate u : run.scoreUpdates()) {
            fields.computeIfAbsent(u.userId(), k -> new java.util.HashSet<>()).addAll(Arrays.asList(u.fields()));
        }
        assertThat(fields.get("alice")).contains("intent", "fraud", "churn", "segment");
        assertThat(fields.get("carol")).as("a prospect: no order, so no churn score")
                .contains("intent", "segment").doesNotContain("fraud", "churn", "churnAtRisk", "churnModel");
        assertThat(run.segmentCounts()).isNotEmpty();
        assertThat(run.segmentCounts()).allSatisfy(c -> assertThat(c.users()).isBetween(0L, 3L));
    }

    @Test
    void theScoreHashGetsTheMaterialIntentChangesWithAnUpdatedAtThatNeverGoesBack() {
        Map<String, String> sessionOf = run.sessionEvents().stream()
                .collect(Collectors.toMap(e -> e.ref().eventId(), SessionEvent::sessionId));
        Set<String> seenSessions = new java.util.HashSet<>();
        Map<String, Long> newest = new HashMap<>();
        for (IntentScore s : run.intent()) { // in order per user (parallelism 1)
            if (seenSessions.add(sessionOf.get(s.ref().eventId()))) {
                assertThat(s.material()).as("first score of a session, %s", s.ref().eventId()).isTrue();
            }
            assertThat(s.newestEventTime()).isGreaterThanOrEqualTo(Math.max(s.ref().ts(),
                    newest.getOrDefault(s.ref().userId(), Long.MIN_VALUE)));
            newest.put(s.ref().userId(), s.newestEventTime());
        }
        List<UserScoreUpdate> intentUpdates = run.scoreUpdates().stream()
                .filter(u -> Arrays.asList(u.fields()).contains("intent")).toList();
        assertThat(intentUpdates).allSatisfy(u -> assertThat(u.inOrder()).isTrue());
        assertThat(intentUpdates).allSatisfy(u -> assertThat(u.fields()).containsExactly("intent", "intentModel"));
        assertThat(intentUpdates).extracting(UserScoreUpdate::updatedAt).containsExactlyInAnyOrderElementsOf(
                run.intent().stream().filter(IntentScore::material).map(IntentScore::newestEventTime).toList());
        // Churn and segment come in order too (ordered churn call, keyed tracker); fraud keeps the event-time check.
        assertThat(run.scoreUpdates()).filteredOn(u -> !u.inOrder())
                .isNotEmpty().allSatisfy(u -> assertThat(u.fields()).containsExactly("fraud", "fraudModel"));
        assertThat(run.scoreUpdates()).filteredOn(u -> Arrays.asList(u.fields()).contains("churn")
                || Arrays.asList(u.fields()).contains("segment")).isNotEmpty().allSatisfy(u -> assertThat(u.inOrder()).isTrue());
    }

    @Test
    void kpiWindowsCountEveryEventOrderAndScoredPaymentOnce() {
        List<KpiWindow> tumbling = run.kpis().stream().filter(w -> w.end() - w.start() == MIN).toList();
        Map<Long, KpiWindow> last = new HashMap<>();
        tumbling.forEach(w -> last.put(w.start(), w)); // a window may be rewritten as it settles: the last one counts
        assertThat(last.values().stream().mapToLong(KpiWindow::events).sum()).isEqualTo(events().size());
        assertThat(last.values().stream().mapToLong(KpiWindow::orders).sum()).isEqualTo(1);
        assertThat(last.values().stream().mapToDouble(KpiWindow::revenue).sum()).isEqualTo(30.0);
        assertThat(last.values().stream().mapToLong(KpiWindow::scoredPayments).sum()).isEqualTo(run.fraudScores().size());
    }
}
