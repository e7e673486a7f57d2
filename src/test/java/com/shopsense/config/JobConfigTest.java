package com.shopsense.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobConfigTest {
    @Test
    void argumentsOverrideThePropertiesFileWhichOverridesDefaults(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("job.properties");
        Files.writeString(file, "session.gap=10 min\nkafka.topic.events=from-file\n");
        JobConfig c = JobConfig.fromArgs(new String[] {"--kafka.topic.events", "from-args", "--config", file.toString()});
        assertThat(c.get(JobOptions.TOPIC_EVENTS)).isEqualTo("from-args");
        assertThat(c.sessionConfig().gap()).isEqualTo(Duration.ofMinutes(10));
        assertThat(c.get(JobOptions.TOPIC_DLQ)).isEqualTo(JobOptions.TOPIC_DLQ.defaultValue());
    }

    @Test
    void unknownOptionsAndInconsistentSettingsAreRejected() {
        assertThatThrownBy(() -> JobConfig.fromArgs(new String[] {"--session.gapp", "1 min"}))
                .hasMessageContaining("session.gapp");
        assertThatThrownBy(() -> JobConfig.of(java.util.Map.of("session.gap", "1 s")).sessionConfig())
                .hasMessageContaining("out-of-orderness");
    }
}
