package com.shopsense.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.shopsense.config.JobConfig;
import com.shopsense.config.JobOptions;
import com.shopsense.event.ParsedRecord;
import com.shopsense.testing.FlinkTestConfig;
import com.shopsense.testing.KafkaTestClient;
import com.shopsense.testing.PipelineRun;
import com.shopsense.testing.SharedKafka;
import com.shopsense.testing.SharedRedis;
import com.shopsense.testing.TestTopics;
import com.shopsense.testing.Throttle;
import com.shopsense.tools.local.KafkaBrokerProcess;
import java.nio.file.Path;
import java.time.Duration;
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

/**
 * The Kafka broker (a dedicated one: the shared test broker stays untouched) is killed mid-stream, with
 * source reads, offset commits and alert transactions in flight, and started again on the same port and
 * data: the job recovers, a read_committed consumer sees each alert exactly once, and everything else
 * equals an undisturbed run.
 */
@ExtendWith({SharedKafka.class, SharedRedis.class})
class BrokerRestartIT {
    static final long DOWN_MS = 5_000;

    @RegisterExtension
    static final MiniClusterExtension FLINK = FlinkTestConfig.miniCluster(1, 2);

    @TempDir
    Path dir;

    @Test
    void theBrokerRestartedMidStreamTheJobRecoversAndAlertsStayExactlyOnce(@InjectMiniCluster MiniCluster cluster)
            throws Exception {
        UndisturbedRun.outcome();
        try (KafkaBrokerProcess broker = KafkaBrokerProcess.start(dir.resolve("kafka"))) {
            KafkaTestClient kafka = new KafkaTestClient(broker.bootstrapServers());
            TestTopics topics = TestTopics.fresh("broker-restart");
            kafka.createTopics(2, topics.allTopics());
            kafka.produce(topics.events(), UndisturbedRun.fixture().records);
            kafka.produce(topics.labels(), UndisturbedRun.labels(UndisturbedRun.fixture()));
            JobConfig cfg = topics.jobConfig(Map.of(JobOptions.KAFKA_BOOTSTRAP.key(), broker.bootstrapServers()));

            JobClient job = PipelineRun.start(PipelineRun.env(Faults.flinkWithProductionRestarts(dir.resolve("flink"))),
                    cfg, new Throttle<ParsedRecord>(2, 1), "broker-restart");
            kafka.awaitSomeCommitted(topics.group(), Duration.ofMinutes(2)); // checkpoints (and transactions) going
            assertThat(Faults.finished(job)).as("killed mid-stream").isFalse();
            broker.kill();
            Thread.sleep(DOWN_MS);
            assertThat(Faults.finished(job)).as("the job waits for the broker").isFalse();
            broker.launch(); // same port, same data directory
            job.getJobExecutionResult().get(5, TimeUnit.MINUTES);

            System.out.printf("BrokerRestartIT: broker down %d ms, %d task restart(s)%n", DOWN_MS,
                    Faults.restarts(cluster, job.getJobID()));
            UndisturbedRun.assertSameAsUndisturbed(PipelineRun.read(cfg));
        }
    }
}
