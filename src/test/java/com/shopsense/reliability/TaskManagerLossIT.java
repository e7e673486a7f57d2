package com.shopsense.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.shopsense.config.JobConfig;
import com.shopsense.event.ParsedRecord;
import com.shopsense.testing.FlinkTestConfig;
import com.shopsense.testing.KafkaTestClient;
import com.shopsense.testing.PipelineRun;
import com.shopsense.testing.SharedKafka;
import com.shopsense.testing.SharedRedis;
import com.shopsense.testing.TestTopics;
import com.shopsense.testing.Throttle;
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
 * A TaskManager dies mid-stream (two TaskManagers with one slot each, so it certainly runs half the job):
 * the job restarts from its last checkpoint on a replacement TaskManager and ends exactly where an
 * undisturbed run ends.
 */
@ExtendWith({SharedKafka.class, SharedRedis.class})
class TaskManagerLossIT {
    @RegisterExtension
    static final MiniClusterExtension FLINK = FlinkTestConfig.miniCluster(2, 1);

    @TempDir
    Path dir;

    @Test
    void losingATaskManagerMidStreamRecoversFromTheLastCheckpointAndLosesNothing(@InjectMiniCluster MiniCluster cluster)
            throws Exception {
        UndisturbedRun.outcome();
        TestTopics topics = UndisturbedRun.topics().sameInputFreshOutputs("tm-loss");
        KafkaTestClient kafka = new KafkaTestClient(SharedKafka.bootstrap());
        kafka.createTopics(2, topics.allTopics());
        JobConfig cfg = topics.jobConfig(Map.of());

        JobClient job = PipelineRun.start(PipelineRun.env(FlinkTestConfig.rocksDbWithCheckpoints(dir,
                UndisturbedRun.CHECKPOINTS)), cfg, new Throttle<ParsedRecord>(2, 1), "tm-loss");
        kafka.awaitSomeCommitted(topics.group(), Duration.ofMinutes(2)); // a checkpoint has completed
        assertThat(Faults.finished(job)).as("still running when the TaskManager dies").isFalse();
        cluster.terminateTaskManager(0).get(1, TimeUnit.MINUTES);
        cluster.startTaskManager(); // the replacement a cluster manager (Kubernetes, YARN) would start
        job.getJobExecutionResult().get(5, TimeUnit.MINUTES);

        int restarts = Faults.restarts(cluster, job.getJobID());
        System.out.printf("TaskManagerLossIT: TaskManager 0 terminated mid-stream, %d task restart(s)%n", restarts);
        assertThat(restarts).as("tasks restarted after the loss").isPositive();
        UndisturbedRun.assertSameAsUndisturbed(PipelineRun.read(cfg));
    }
}
