package com.shopsense.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.shopsense.config.JobConfig;
import com.shopsense.config.JobOptions;
import com.shopsense.event.ParsedRecord;
import com.shopsense.sink.RedisSettings;
import com.shopsense.testing.FlinkTestConfig;
import com.shopsense.testing.KafkaTestClient;
import com.shopsense.testing.PipelineRun;
import com.shopsense.testing.SharedKafka;
import com.shopsense.testing.SharedRedis;
import com.shopsense.testing.TestTopics;
import com.shopsense.testing.Throttle;
import com.shopsense.tools.local.RedisServerProcess;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.UnifiedJedis;

/**
 * Redis (with an fsync-always AOF, as the README recommends) is killed mid-stream and stays down for 30
 * seconds: the sinks retry and block (backpressure), then fail and the job restarts from its checkpoints
 * until Redis is back; the final Redis state, alerts and accounting equal an undisturbed run's.
 */
@ExtendWith({SharedKafka.class, SharedRedis.class})
class RedisOutageIT {
    static final long OUTAGE_MS = 30_000;

    @RegisterExtension
    static final MiniClusterExtension FLINK = FlinkTestConfig.miniCluster(1, 2);

    @TempDir
    Path dir;

    @Test
    void redisDownForThirtySecondsMidStreamNothingIsLostAndTheFinalStateEqualsAnUndisturbedRun(
            @InjectMiniCluster MiniCluster cluster) throws Exception {
        UndisturbedRun.outcome();
        try (RedisServerProcess redis = RedisServerProcess.startPersistent(dir.resolve("redis"))) {
            TestTopics topics = UndisturbedRun.topics().sameInputFreshOutputs("redis-outage");
            new KafkaTestClient(SharedKafka.bootstrap()).createTopics(2, topics.allTopics());
            JobConfig cfg = topics.jobConfig(Map.of(JobOptions.REDIS_NODES.key(), redis.address()));

            JobClient job = PipelineRun.start(PipelineRun.env(Faults.flinkWithProductionRestarts(dir.resolve("flink"))),
                    cfg, new Throttle<ParsedRecord>(2, 1), "redis-outage");
            try (UnifiedJedis r = RedisSettings.fromConfig(cfg).createClient("watch")) {
                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
                while (r.dbSize() < 200 && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertThat(r.dbSize()).as("writes arriving before the outage").isGreaterThanOrEqualTo(200);
            }
            assertThat(Faults.finished(job)).as("killed mid-stream").isFalse();
            redis.kill();
            long end = System.currentTimeMillis() + OUTAGE_MS;
            while (System.currentTimeMillis() < end) {
                assertThat(Faults.finished(job)).as("the job waits for Redis, it neither ends nor gives up").isFalse();
                Thread.sleep(500);
            }
            redis.restart();
            job.getJobExecutionResult().get(5, TimeUnit.MINUTES);

            int restarts = Faults.restarts(cluster, job.getJobID());
            System.out.printf("RedisOutageIT: %d ms outage, %d task restart(s)%n", OUTAGE_MS, restarts);
            assertThat(restarts).as("retries exhausted during 30 s: the job restarted from a checkpoint").isPositive();
            UndisturbedRun.assertSameAsUndisturbed(PipelineRun.read(cfg));
        }
    }
}
