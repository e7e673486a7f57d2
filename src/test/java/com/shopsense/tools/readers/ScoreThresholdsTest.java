package com.shopsense.tools.readers;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ScoreThresholdsTest {
    @Test
    void theShippedManifestHasTheThreeThresholdsThePageShows() {
        ScoreThresholds t = ScoreThresholds.load("onnx-models");
        assertThat(t.highIntent()).isBetween(0.0, 1.0);
        assertThat(t.churnAtRisk()).isBetween(0.0, 1.0);
        assertThat(t.fraudAlert()).isBetween(0.0, 1.0);
        assertThat(ScoreThresholds.load("classpath:onnx-models")).isEqualTo(t);
    }
}
