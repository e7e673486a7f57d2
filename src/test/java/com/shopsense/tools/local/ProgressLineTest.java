package com.shopsense.tools.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.OptionalLong;
import org.apache.flink.api.common.JobStatus;
import org.junit.jupiter.api.Test;

class ProgressLineTest {
    private static final JobWatch.State RUNNING = new JobWatch.State(Optional.of(JobStatus.RUNNING), OptionalLong.of(0));
    private static final Optional<RedisKeyCounts.Counts> COUNTS = Optional.of(new RedisKeyCounts.Counts(39_870, 41_002));

    private static ProgressLine line(JobWatch.State job, boolean finished, Optional<RedisKeyCounts.Counts> redis,
            KafkaLag.Lag lag) {
        return new ProgressLine(30.2, job, 60_123, 3_001.4, finished, 9_876, redis, 512, 15, lag,
                "batch/latency: churn 12.0/1.10ms");
    }

    @Test
    void aHealthyRoundShowsEveryCount() {
        assertThat(line(RUNNING, false, COUNTS, new KafkaLag.Lag(KafkaLag.Kind.KNOWN, 1_234)).format()).isEqualTo(
                "[  30s] job running (restarts 0) | in 60,123 (3,001/s) | sessions closed 9,876 | users scored 41,002 "
                        + "| reco lists 39,870 | alerts 512 | DLQ 15 | lag 1,234 | batch/latency: churn 12.0/1.10ms");
    }

    @Test
    void noCommittedOffsetsIsLagNotAvailableNotZero() {
        String s = line(RUNNING, false, COUNTS, KafkaLag.Lag.NO_OFFSETS).format();
        assertThat(s).contains("| lag n/a |").doesNotContain("lag 0");
    }

    @Test
    void stalledRedisAndBrokerAreNamedInsteadOfCounts() {
        String s = line(RUNNING, false, Optional.empty(), KafkaLag.Lag.UNREACHABLE).format();
        assertThat(s).contains("| Redis unreachable |").contains("| broker unreachable |")
                .doesNotContain("users scored").doesNotContain("lag");
    }

    @Test
    void aRestartingJobShowsItsRestartCountAndAnUnknownOneSaysSo() {
        JobWatch.State restarting = new JobWatch.State(Optional.of(JobStatus.RESTARTING), OptionalLong.of(3));
        assertThat(line(restarting, false, COUNTS, KafkaLag.Lag.NO_OFFSETS).format())
                .startsWith("[  30s] job restarting (restarts 3) | ");
        JobWatch.State noMetric = new JobWatch.State(Optional.of(JobStatus.RUNNING), OptionalLong.empty());
        assertThat(ProgressLine.job(noMetric)).isEqualTo("job running (restarts ?)");
        assertThat(ProgressLine.job(new JobWatch.State(Optional.empty(), OptionalLong.empty())))
                .isEqualTo("job status unknown");
    }

    @Test
    void theReplayEndIsSaidInsteadOfARate() {
        String s = line(RUNNING, true, COUNTS, KafkaLag.Lag.NO_OFFSETS).format();
        assertThat(s).contains("| in 60,123 (replay finished) |").doesNotContain("/s)");
    }

    @Test
    void anEmptyInferenceStatIsLeftOut() {
        String s = new ProgressLine(5, RUNNING, 0, 0, false, 0, COUNTS, 0, 0, KafkaLag.Lag.NO_OFFSETS, "").format();
        assertThat(s).endsWith("| lag n/a");
    }
}
