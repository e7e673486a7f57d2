package com.shopsense.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;

/** The cluster-like settings every pipeline test runs with: RocksDB, incremental checkpoints. */
public final class FlinkTestConfig {
    private FlinkTestConfig() {
    }

    /** RocksDB working files go to {@code dir/rocksdb}, checkpoints to {@code dir/checkpoints}. */
    public static Configuration rocksDbWithCheckpoints(Path dir, Duration interval) {
        Configuration c = new Configuration();
        c.setString("state.backend.type", "rocksdb");
        c.setString("state.backend.rocksdb.localdir", dir.resolve("rocksdb").toString());
        c.setString("execution.checkpointing.incremental", "true");
        c.setString("execution.checkpointing.dir", dir.resolve("checkpoints").toUri().toString());
        c.setString("execution.checkpointing.interval", interval.toMillis() + " ms");
        c.setString("execution.checkpointing.mode", "EXACTLY_ONCE");
        c.setString("pipeline.generic-types", "false"); // fail on any Kryo fallback: state types must be POJOs
        c.setString("pipeline.object-reuse", "true"); // as in flink-conf: operators must not mutate or keep inputs
        c.setString("restart-strategy.type", "fixed-delay");
        c.setString("restart-strategy.fixed-delay.attempts", "3");
        c.setString("restart-strategy.fixed-delay.delay", "200 ms");
        return c;
    }

    /** A MiniCluster for a test class: give it explicit slots (the default single slot hangs parallelism-2 jobs). */
    public static org.apache.flink.test.junit5.MiniClusterExtension miniCluster(int taskManagers, int slotsPerTaskManager) {
        return new org.apache.flink.test.junit5.MiniClusterExtension(
                new org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration.Builder()
                        .setNumberTaskManagers(taskManagers).setNumberSlotsPerTaskManager(slotsPerTaskManager).build());
    }

    /** True while a running job keeps keyed state in RocksDB instances under {@code dir/rocksdb}. */
    public static boolean hasLiveRocksDb(Path dir) throws IOException {
        Path local = dir.resolve("rocksdb");
        if (!Files.isDirectory(local)) {
            return false;
        }
        try (Stream<Path> files = Files.walk(local)) {
            return files.anyMatch(f -> f.getFileName().toString().startsWith("OPTIONS-"));
        }
    }
}
