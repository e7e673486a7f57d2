package com.shopsense.reliability;

import com.shopsense.testing.FlinkTestConfig;
import java.nio.file.Path;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.minicluster.MiniCluster;

/** Settings and observations the fault tests share. */
final class Faults {
    private Faults() {
    }

    /**
     * RocksDB, incremental checkpoints, and the restart strategy of {@code flink-conf/config.yaml}
     * (exponential delay, practically unlimited attempts) with a shorter maximum backoff, so an outage of
     * half a minute costs a few restarts and the run still ends soon after the fault is gone.
     */
    static Configuration flinkWithProductionRestarts(Path dir) {
        Configuration c = FlinkTestConfig.rocksDbWithCheckpoints(dir, UndisturbedRun.CHECKPOINTS);
        c.setString("restart-strategy.type", "exponential-delay");
        c.setString("restart-strategy.exponential-delay.initial-backoff", "500 ms");
        c.setString("restart-strategy.exponential-delay.max-backoff", "5 s");
        c.setString("restart-strategy.exponential-delay.backoff-multiplier", "2.0");
        c.setString("restart-strategy.exponential-delay.attempts-before-reset-backoff", "1000");
        return c;
    }

    /** How often the job's tasks were restarted (0 = never failed): the highest execution attempt number. */
    static int restarts(MiniCluster cluster, JobID job) throws Exception {
        AccessExecutionGraph g = cluster.getArchivedExecutionGraph(job).get();
        int max = 0;
        for (var v : g.getAllExecutionVertices()) {
            max = Math.max(max, v.getCurrentExecutionAttempt().getAttemptNumber());
        }
        return max;
    }

    static boolean finished(JobClient job) throws Exception {
        return job.getJobStatus().get().isGloballyTerminalState();
    }
}
