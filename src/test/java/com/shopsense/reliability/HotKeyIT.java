package com.shopsense.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.shopsense.event.EventType;
import com.shopsense.event.ShopEvent;
import com.shopsense.features.SessionFeatures;
import com.shopsense.inference.ModelSource;
import com.shopsense.session.RecoRefreshPolicy;
import com.shopsense.session.RecommendRequest;
import com.shopsense.session.SessionClosed;
import com.shopsense.session.SessionConfig;
import com.shopsense.session.SessionEvent;
import com.shopsense.session.SessionTracker;
import com.shopsense.testing.FlinkTestConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.checkpoint.CompletedCheckpointStats;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hot, abusive key: one bot sends 95% of the input ({@value #DEFAULT_EVENTS} events in CI, 1,000,000 with
 * {@code -Preliability-slow}), a new device, item and country with every event, payments among them, in one
 * endless session. Sessionization (SessionTracker on RocksDB, checkpoints every second) keeps the bot's state
 * within the configured caps (kept events, known devices and countries, payment history, session duration),
 * so the job's whole checkpointed state stays small, and the 500 ordinary users' events, including those that
 * share the bot's subtask, keep a latency under {@value #P99_LATENCY_BOUND_MS} ms at the 99th percentile.
 *
 * <p>Why that bound: the input is paced at {@value #RATE} events/s, below what one subtask sustains, so an
 * ordinary user's latency is queueing behind the records ahead of it plus checkpoint alignment (one per
 * second), network buffer timeouts (100 ms) and, on a shared machine, waiting for a core: measured p99
 * 0.2-0.6 s on an otherwise idle 2-core machine and up to 1.3 s with a load average of 9 on it, hence 5 s.
 * If the bot's state (and so the cost of each of its events) grew with what it sent, its subtask would fall
 * further behind with every second of input and the users sharing it would wait tens of seconds by the end.
 */
class HotKeyIT {
    static final int DEFAULT_EVENTS = 200_000;
    static final int RATE = 8_000;
    static final long P99_LATENCY_BOUND_MS = 5_000;
    static final int USERS = 500;
    static final int KEPT_ITEMS = 50;
    static final int MAX_KNOWN = 8;
    static final long T0 = 1_700_000_000_000L;
    static final long STEP_MS = 20;

    @RegisterExtension
    static final MiniClusterExtension FLINK = FlinkTestConfig.miniCluster(1, 2);

    @TempDir
    Path dir;

    /** What the test watches per output record: ordinary users' latency, and the bot's bounded window. */
    public record Probe(String kind, String userId, long value, int items) {
        static final String USER = "user";
        /** The session's kept items, as the recommender receives them (every item event is due here). */
        static final String ITEMS = "items";
        static final String CLOSED = "closed";
    }

    /** Event i: every 20th from one of the ordinary users, the rest from the bot; paced, stamped with wall time. */
    static final class Generate implements MapFunction<Long, ShopEvent> {
        private transient long startNanos;

        @Override
        public ShopEvent map(Long i) throws InterruptedException {
            if (startNanos == 0) {
                startNanos = System.nanoTime();
            }
            long due = startNanos + i * 1_000_000_000L / RATE;
            long wait = due - System.nanoTime();
            if (wait > 1_000_000) {
                Thread.sleep(wait / 1_000_000);
            }
            long ts = T0 + i * STEP_MS;
            if (i % 20 == 0) {
                String user = "u" + (i / 20) % USERS;
                return ShopEvent.builder("n-" + i + "-" + System.currentTimeMillis(), user, EventType.VIEW, ts)
                        .itemId("i" + i % 997).build();
            }
            EventType type = switch ((int) (i % 3)) {
                case 0 -> EventType.VIEW;
                case 1 -> EventType.ADD_TO_CART;
                default -> EventType.PAYMENT;
            };
            ShopEvent.Builder b = ShopEvent.builder("b-" + i, "bot", type, ts).itemId("item-" + i % 40_000)
                    .deviceId("dev-" + i).country("c" + i % 200).ip("10.0." + i % 250 + "." + i % 199);
            if (type == EventType.PAYMENT) {
                b.amount(1.0 + i % 500).cardFingerprint("card-" + i % 1000).merchantId("m" + i % 300);
            }
            return b.build();
        }
    }

    static final class ToProbe implements org.apache.flink.api.common.functions.FlatMapFunction<SessionEvent, Probe> {
        @Override
        public void flatMap(SessionEvent u, Collector<Probe> out) {
            String id = u.ref().eventId();
            if (u.isEvent() && id.startsWith("n-")) { // not a close marker (no event id)
                long sent = Long.parseLong(id.substring(id.lastIndexOf('-') + 1));
                out.collect(new Probe(Probe.USER, u.userId(), System.currentTimeMillis() - sent, 0));
            }
        }
    }

    static final class ItemsProbe implements org.apache.flink.api.common.functions.FlatMapFunction<RecommendRequest, Probe> {
        @Override
        public void flatMap(RecommendRequest r, Collector<Probe> out) {
            String id = r.ref().eventId();
            int items = r.recentItems().length;
            if (id.startsWith("n-") || items > KEPT_ITEMS || Long.parseLong(id.substring(2)) % 1_000 == 1) {
                out.collect(new Probe(Probe.ITEMS, r.ref().userId(), 0, items)); // every user's, a sample of the bot's (i % 20 != 0), any breach
            }
        }
    }

    @Test
    void aBotSendingMostOfTheInputStaysWithinTheStateCapsAndOtherUsersKeepTheirLatency(
            @InjectMiniCluster MiniCluster cluster) throws Exception {
        long events = Long.getLong("shopsense.hotkey.events", DEFAULT_EVENTS);
        SessionConfig config = new SessionConfig(Duration.ofMinutes(30), Duration.ofHours(1), Duration.ZERO, KEPT_ITEMS,
                MAX_KNOWN, Duration.ofDays(90));
        SessionFeatures features = new SessionFeatures(
                new String(new ModelSource("onnx-models").read("feature_spec.json"), StandardCharsets.UTF_8));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                FlinkTestConfig.rocksDbWithCheckpoints(dir, Duration.ofSeconds(1)));
        env.setParallelism(2);
        DataStream<ShopEvent> input = env.fromSequence(0, events - 1).setParallelism(1)
                .map(new Generate()).setParallelism(1).returns(TypeInformation.of(ShopEvent.class))
                .assignTimestampsAndWatermarks(WatermarkStrategy.<ShopEvent>forMonotonousTimestamps()
                        .withTimestampAssigner((e, t) -> e.timestampMs())).setParallelism(1);
        SingleOutputStreamOperator<SessionEvent> updates = input.keyBy(ShopEvent::userId)
                .process(new SessionTracker(config, features, new RecoRefreshPolicy(Duration.ZERO, 1, 0)))
                .uid("session-tracker");
        DataStream<Probe> probes = updates.flatMap(new ToProbe()).returns(TypeInformation.of(Probe.class))
                .union(updates.getSideOutput(SessionTracker.RECOMMEND).flatMap(new ItemsProbe())
                        .returns(TypeInformation.of(Probe.class)))
                .union(updates.getSideOutput(SessionTracker.CLOSED)
                        .map(c -> new Probe(Probe.CLOSED + ":" + c.closeReason(), c.userId(), c.endTs() - c.startTs(), c.eventCount()))
                        .returns(TypeInformation.of(Probe.class)));

        List<Long> latencies = new ArrayList<>();
        long[] latencyBySubtask = new long[2];
        int botSubtask = KeyGroupRangeAssignment.assignKeyToParallelOperator("bot", 128, 2);
        int maxBotItems = 0;
        long maxStateBytes = 0;
        long maxSessionMs = 0;
        int botSplits = 0;
        long start = System.nanoTime();
        try (CloseableIterator<Probe> it = probes.collectAsync()) {
            JobClient job = env.executeAsync("hot-key");
            while (it.hasNext()) {
                Probe p = it.next();
                if (p.kind().equals(Probe.USER)) {
                    latencies.add(p.value());
                    int subtask = KeyGroupRangeAssignment.assignKeyToParallelOperator(p.userId(), 128, 2);
                    latencyBySubtask[subtask] = Math.max(latencyBySubtask[subtask], p.value());
                } else if (p.kind().equals(Probe.ITEMS)) {
                    assertThat(p.items()).isLessThanOrEqualTo(KEPT_ITEMS);
                    if (p.userId().equals("bot")) {
                        maxBotItems = Math.max(maxBotItems, p.items());
                    }
                } else {
                    maxSessionMs = Math.max(maxSessionMs, p.value()); // a closed session's length
                    if (p.userId().equals("bot") && p.kind().endsWith(SessionClosed.BY_MAX_DURATION)) {
                        botSplits++;
                    }
                }
                if (latencies.size() % 500 == 0) {
                    maxStateBytes = Math.max(maxStateBytes, latestCheckpointBytes(cluster, job));
                }
            }
            job.getJobExecutionResult().get(10, java.util.concurrent.TimeUnit.MINUTES);
        }
        long seconds = Math.max(1, java.util.concurrent.TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start));
        latencies.sort(null);
        long p50 = latencies.get(latencies.size() / 2);
        long p99 = latencies.get((int) (latencies.size() * 0.99));
        long max = latencies.get(latencies.size() - 1);
        System.out.printf("HotKeyIT: %d events (%d from the bot) in %d s; ordinary users' latency p50 %d ms, p99 %d ms,"
                + " max %d ms (max on the bot's subtask %d ms, on the other %d ms); bot window %d items;"
                + " largest checkpoint %d bytes; longest session %d s, bot sessions split %d%n", events, events - events / 20, seconds, p50,
                p99, max, latencyBySubtask[botSubtask], latencyBySubtask[1 - botSubtask], maxBotItems, maxStateBytes,
                maxSessionMs / 1000, botSplits);

        assertThat(latencies).as("every ordinary user's event came out").hasSize((int) ((events + 19) / 20));
        assertThat(maxBotItems).as("the bot's session keeps only the last %d items", KEPT_ITEMS).isEqualTo(KEPT_ITEMS);
        assertThat(maxSessionMs).as("sessions are split at session.max-duration").isLessThan(Duration.ofHours(1).toMillis());
        int hours = (int) (events * STEP_MS / Duration.ofHours(1).toMillis());
        assertThat(botSplits).as("the bot's endless session split every hour of event time (the last one maybe too)")
                .isBetween(hours, hours + 1);
        assertThat(maxStateBytes).as("checkpointed state stays small whatever the bot sends").isPositive()
                .isLessThan(4L << 20);
        assertThat(p99).as("ordinary users' p99 latency (ms)").isLessThanOrEqualTo(P99_LATENCY_BOUND_MS);
    }

    private static long latestCheckpointBytes(MiniCluster cluster, JobClient job) throws Exception {
        var stats = cluster.getExecutionGraph(job.getJobID()).get().getCheckpointStatsSnapshot();
        if (stats == null) {
            return 0;
        }
        CompletedCheckpointStats last = stats.getHistory().getLatestCompletedCheckpoint();
        return last == null ? 0 : last.getStateSize();
    }
}
