package com.shopsense.tools.local;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JobWatchTest {
    @Test
    void theRestartCountIsReadFromTheMetricsAnswer() {
        assertThat(JobWatch.numRestarts("[{\"id\":\"numRestarts\",\"value\":\"3\"}]")).hasValue(3);
    }

    @Test
    void anAnswerWithoutTheMetricIsUnknownNotZero() {
        assertThat(JobWatch.numRestarts("[]")).isEmpty();
        assertThat(JobWatch.numRestarts("{\"errors\":[\"not found\"]}")).isEmpty();
        assertThat(JobWatch.numRestarts("not json")).isEmpty();
    }
}
