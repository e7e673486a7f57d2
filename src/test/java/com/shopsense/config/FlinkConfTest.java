package com.shopsense.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.junit.jupiter.api.Test;

/** flink-conf/config.yaml loads with Flink's own loader and says what the cluster needs. */
class FlinkConfTest {
    private final Configuration conf = GlobalConfiguration.loadConfiguration("flink-conf");

    @Test
    void usesRocksDbWithIncrementalCheckpointsAndARestartStrategy() {
        assertThat(conf.getString("state.backend.type", "")).isEqualTo("rocksdb");
        assertThat(conf.getString("execution.checkpointing.incremental", "")).isEqualTo("true");
        assertThat(conf.getString("execution.checkpointing.interval", "")).isNotBlank();
        assertThat(conf.getString("restart-strategy.type", "")).isNotBlank();
        assertThat(conf.getString("pipeline.generic-types", "")).isEqualTo("false");
        assertThat(conf.getString("state.backend.rocksdb.use-bloom-filter", "")).isEqualTo("true");
        // Read through Flink's own option, so a misspelt key (silently the default, 128) fails here.
        assertThat(conf.get(org.apache.flink.state.rocksdb.RocksDBOptions.ROCKSDB_TIMER_SERVICE_FACTORY_CACHE_SIZE))
                .as("timers cached per key group").isEqualTo(32);
        assertThat(conf.getString("pipeline.object-reuse", "")).isEqualTo("true");
    }

    @Test
    void loadsOnnxRuntimeParentFirstAndReportsToPrometheus() {
        assertThat(conf.getString("classloader.parent-first-patterns.additional", "")).contains("ai.onnxruntime.");
        assertThat(conf.getString("metrics.reporter.prom.factory.class", "")).contains("Prometheus");
    }

    @Test
    void jvmFlagsMatchTheOnesTestsRunWith() throws Exception {
        Matcher m = Pattern.compile("<flinkJvmOpens>([^<]*)</flinkJvmOpens>").matcher(Files.readString(Path.of("pom.xml")));
        assertThat(m.find()).isTrue();
        assertThat(conf.getString("env.java.opts.all", "")).isEqualTo(m.group(1).trim());
    }
}
