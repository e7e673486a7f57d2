package com.shopsense.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.shopsense.config.JobConfig;
import com.shopsense.config.JobOptions;
import com.shopsense.event.ParsedRecord;
import com.shopsense.testing.FlinkTestConfig;
import com.shopsense.testing.KafkaTestClient;
import com.shopsense.testing.PipelineRun;
import com.shopsense.testing.ReplayFixture;
import com.shopsense.testing.SharedKafka;
import com.shopsense.testing.SharedRedis;
import com.shopsense.testing.TestTopics;
import com.shopsense.tools.replay.MalformedRecords;
import com.shopsense.tools.replay.ReplayProducer;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Overload: the job's capacity is capped at {@value #CAPACITY} events/s (a pacing map after the source stands
 * in for a saturated cluster, so "sustainable" is a known number on any machine), and the real Taobao replay
 * with payments arrives at twice that, open loop, for a minute. The job backpressures into Kafka (the
 * consumer lag grows to about half the input) instead of buffering: the test JVM's live heap (after a full GC)
 * stays within {@value #HEAP_GROWTH_BOUND_MB} MB of where it started, no task fails. Then the cap is lifted and
 * the job catches up (lag 0), and after a draining stop every record sent is in a closed session or the DLQ.
 */
@ExtendWith({SharedKafka.class, SharedRedis.class})
class OverloadIT {
    static final int CAPACITY = 1_000;
    static final long HEAP_GROWTH_BOUND_MB = 128;

    @RegisterExtension
    static final MiniClusterExtension FLINK = FlinkTestConfig.miniCluster(1, 2);

    @TempDir
    Path dir;

    /** Each of the 2 subtasks passes at most CAPACITY/2 records a second, until the release file exists. */
    static final class Capacity implements MapFunction<ParsedRecord, ParsedRecord> {
        private final String released;
        private transient long start;
        private transient long n;
        private transient boolean free;

        Capacity(Path released) {
            this.released = released.toString();
        }

        @Override
        public ParsedRecord map(ParsedRecord r) throws Exception {
            if (free) {
                return r;
            }
            if (start == 0) {
                start = System.nanoTime();
            }
            if (++n % 100 == 0 && Files.exists(Path.of(released))) {
                free = true;
                return r;
            }
            long wait = start + n * 2_000_000_000L / CAPACITY - System.nanoTime();
            if (wait > 1_000_000) {
                Thread.sleep(wait / 1_000_000);
            }
            return r;
        }
    }

    private static long liveHeapMb() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20;
    }

    @Test
    void twiceTheSustainableRateForAMinuteBackpressuresWithBoundedMemoryThenCatchesUpLosingNothing(
            @InjectMiniCluster MiniCluster cluster) throws Exception {
        long seconds = Long.getLong("shopsense.overload.seconds", 60);
        ReplayFixture fixture = ReplayFixture.taobaoWithPayments(20_000, 6);
        int copies = (int) Math.ceil(2.0 * CAPACITY * seconds / fixture.events.size());
        TestTopics topics = TestTopics.fresh("overload");
        KafkaTestClient kafka = new KafkaTestClient(SharedKafka.bootstrap());
        kafka.createTopics(2, topics.allTopics());
        JobConfig cfg = topics.jobConfig(Map.of(JobOptions.BOUNDED.key(), "false"));
        Path released = dir.resolve("released");

        JobClient job = PipelineRun.start(PipelineRun.env(FlinkTestConfig.rocksDbWithCheckpoints(dir.resolve("flink"),
                UndisturbedRun.CHECKPOINTS)), cfg, new Capacity(released), "overload");
        ReplayProducer producer = new ReplayProducer(SharedKafka.bootstrap(), topics.events(), fixture.events,
                MalformedRecords.handWritten(), copies, 2.0 * CAPACITY);
        long heapBefore = liveHeapMb();
        Thread producing = new Thread(producer, "overload-producer");
        long t0 = System.nanoTime();
        producing.start();
        long heapMax = heapBefore;
        long lagMax = 0;
        while (System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(seconds)) {
            Thread.sleep(5_000);
            heapMax = Math.max(heapMax, liveHeapMb());
            lagMax = Math.max(lagMax, kafka.lag(topics.group(), topics.events()));
            assertThat(Faults.finished(job)).as("the job is still running").isFalse();
        }
        producer.stop();
        producing.join();
        long sent = producer.sent();
        long lagAtEnd = kafka.lag(topics.group(), topics.events());
        long heapAtEnd = liveHeapMb();

        Files.createFile(released);
        long catchUp = System.nanoTime();
        kafka.awaitCommittedToEnd(topics.group(), topics.events(), Duration.ofMinutes(5));
        long catchUpMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - catchUp);
        job.stopWithSavepoint(true, dir.resolve("savepoints").toUri().toString(), SavepointFormatType.CANONICAL)
                .get(3, TimeUnit.MINUTES);
        PipelineRun.Outcome out = PipelineRun.read(cfg);

        System.out.printf("OverloadIT: %d records in %d s (%.0f/s, capacity %d/s); lag max %d, at the end of the "
                + "overload %d; live heap %d MB before, max %d MB, %d MB at the end; caught up in %d ms; "
                + "%d events in sessions + %d dead letters%n", sent, seconds, sent / (double) seconds, CAPACITY, lagMax,
                lagAtEnd, heapBefore, heapMax, heapAtEnd, catchUpMs, out.sessionEvents(), out.deadLetters().size());
        assertThat(producer.failed()).as("every record acknowledged by the broker").isZero();
        assertThat(sent).as("input at twice the capacity").isGreaterThanOrEqualTo((long) (1.8 * CAPACITY * seconds));
        assertThat(lagAtEnd).as("backpressure: the backlog waits in Kafka").isGreaterThan(sent / 4);
        assertThat(heapMax - heapBefore).as("live heap growth (MB) under overload").isLessThanOrEqualTo(HEAP_GROWTH_BOUND_MB);
        assertThat(Faults.restarts(cluster, job.getJobID())).as("no task failed").isZero();
        assertThat(out.accounted()).as("every record sent in a closed session or the DLQ").isEqualTo(sent);
        assertThat(out.deadLetters().size()).isGreaterThanOrEqualTo((int) producer.malformedSent());
        assertThat(out.alertIds()).doesNotHaveDuplicates();
    }
}
