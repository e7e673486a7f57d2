package com.shopsense.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.shopsense.config.JobConfig;
import com.shopsense.testing.FlinkTestConfig;
import com.shopsense.testing.KafkaTestClient;
import com.shopsense.testing.PipelineRun;
import com.shopsense.testing.RedisState;
import com.shopsense.testing.SharedKafka;
import com.shopsense.testing.SharedRedis;
import com.shopsense.testing.TestTopics;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Duplicate delivery: after a source rewind (a new consumer group, or offsets reset to the beginning, and no
 * job state) the job processes the same events a second time into the same Redis keys and the same alert
 * topic. Redis is unchanged, and the set of alerts is unchanged: each alert id appears once per pass, so a
 * read_committed reader sees exact duplicates it can drop by {@code alertId}, and nothing new.
 */
@ExtendWith({SharedKafka.class, SharedRedis.class})
class SourceRewindIT {
    @RegisterExtension
    static final MiniClusterExtension FLINK = FlinkTestConfig.miniCluster(1, 2);

    @TempDir
    Path dir;

    @Test
    void replayingTheSameEventsAfterARewindChangesNeitherRedisNorTheAlertSet() throws Exception {
        PipelineRun.Outcome first = UndisturbedRun.outcome();
        TestTopics original = UndisturbedRun.topics();
        TestTopics fresh = TestTopics.fresh("rewind");
        // Same input, Redis prefix and alert topic; a new group (the rewind) and new sessions/DLQ topics, so the
        // second pass can be accounted for on its own.
        TestTopics rewind = new TestTopics(original.events(), fresh.dlq(), fresh.sessions(), original.alerts(),
                fresh.group(), original.redisPrefix(), original.labels(), original.actions(), original.rules());
        new KafkaTestClient(SharedKafka.bootstrap()).createTopics(2, fresh.dlq(), fresh.sessions());
        JobConfig cfg = rewind.jobConfig(Map.of());
        PipelineRun.start(PipelineRun.env(FlinkTestConfig.rocksDbWithCheckpoints(dir, UndisturbedRun.CHECKPOINTS)),
                cfg, null, "rewind").getJobExecutionResult().get(5, TimeUnit.MINUTES);
        PipelineRun.Outcome second = PipelineRun.read(cfg);

        assertThat(second.accounted()).as("second pass: every input record in a session or the DLQ")
                .isEqualTo(UndisturbedRun.fixture().records.size());
        assertThat(second.sessions()).containsExactlyInAnyOrderElementsOf(first.sessions());
        assertThat(second.alertSet()).as("the set of alerts is unchanged").isEqualTo(first.alertSet());
        Map<String, Long> perId = second.alertIds().stream()
                .collect(Collectors.groupingBy(Function.identity(), TreeMap::new, Collectors.counting()));
        assertThat(perId.values()).as("each alert once per pass, never more").allMatch(n -> n == 2);
        // Alerts in Redis are keyed by alertId (ZADD + HSETNX): byte for byte what the first pass wrote.
        assertThat(alertKeys(second.redis())).isEqualTo(alertKeys(first.redis()));
        RedisState.assertSameState(second.redis(), first.redis());
    }

    private static Map<String, String> alertKeys(Map<String, String> dump) {
        return dump.entrySet().stream().filter(e -> e.getKey().contains(":alerts"))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, TreeMap::new));
    }
}
