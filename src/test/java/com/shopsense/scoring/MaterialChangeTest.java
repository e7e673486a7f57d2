package com.shopsense.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.shopsense.inference.ModelEntry;
import java.util.List;
import org.junit.jupiter.api.Test;

class MaterialChangeTest {
    private final MaterialChange rule = new MaterialChange(0.02, 0.7);

    @Test
    void smallChangesSinceTheLastWriteAreSkippedLargerOnesWritten() {
        assertThat(rule.isMaterial(0.30f, "v1", 0.31f, "v1")).isFalse();
        assertThat(rule.isMaterial(0.30f, "v1", 0.285f, "v1")).isFalse();
        assertThat(rule.isMaterial(0.30f, "v1", 0.33f, "v1")).isTrue();
        assertThat(rule.isMaterial(0.30f, "v1", 0.27f, "v1")).isTrue();
    }

    @Test
    void theFirstScoreOfASessionAndANewModelVersionAreAlwaysWritten() {
        assertThat(rule.isMaterial(null, null, 0.30f, "v1")).isTrue();
        assertThat(rule.isMaterial(0.30f, "v1", 0.30f, "v2")).isTrue();
    }

    @Test
    void crossingTheThresholdIsWrittenHoweverSmall() {
        assertThat(rule.isMaterial(0.699f, "v1", 0.701f, "v1")).isTrue();
        assertThat(rule.isMaterial(0.701f, "v1", 0.699f, "v1")).isTrue();
        assertThat(rule.isMaterial(0.701f, "v1", 0.71f, "v1")).isFalse();
        assertThat(new MaterialChange(0.02, Double.NaN).isMaterial(0.699f, "v1", 0.701f, "v1")).isFalse();
    }

    @Test
    void zeroWritesEveryScoreAndOutOfRangeDeltasAreRejected() {
        MaterialChange every = new MaterialChange(0, 0.7);
        assertThat(every.isMaterial(0.3f, "v1", 0.3f, "v1")).isTrue();
        assertThatThrownBy(() -> new MaterialChange(-0.1, 0.7)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MaterialChange(Double.NaN, 0.7)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theThresholdComesFromTheManifestEntryWhenItHasOne() {
        assertThat(MaterialChange.of(0.02, entry("{\"highIntent\":0.71}")).threshold()).isEqualTo(0.71);
        assertThat(MaterialChange.of(0.02, entry("{}")).threshold()).isNaN();
    }

    private static ModelEntry entry(String thresholds) {
        return new ModelEntry("intent", "intent.onnx", "0123456789abcdef", List.of(), List.of(), thresholds, null, "c");
    }
}
