package com.shopsense.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** The Java encoder reproduces the trainer's inputs for every golden case in onnx-models/golden/churn.json. */
class ChurnGoldenTest {

    @Test
    void encoderReproducesGoldenInputs() throws Exception {
        ChurnFeatureEncoder enc = ChurnFeatureEncoder.fromSpec(GoldenFiles.spec());
        JsonNode golden = GoldenFiles.golden("churn");
        assertThat(golden.get("model").asText()).isEqualTo("churn");
        assertThat(golden.get("cases").size()).isGreaterThanOrEqualTo(8);
        for (JsonNode c : golden.get("cases")) {
            OrderHistory h = enc.newHistory();
            for (JsonNode e : c.get("events")) {
                h.add(GoldenFiles.event(e));
            }
            float[] got = enc.encode(h, c.get("asOf").asLong());
            JsonNode periods = c.get("inputs").get("periods");
            assertThat(periods.get("shape").toString())
                    .isEqualTo("[1," + enc.periods() + "," + enc.featureCount() + "]");
            float[] want = GoldenFiles.floats(periods);
            assertThat(got).hasSize(want.length);
            for (int i = 0; i < want.length; i++) {
                assertThat(got[i]).as("%s: periods[%d]", c.get("name").asText(), i).isCloseTo(want[i], within(1e-5f));
            }
            assertThat(h.length()).isLessThanOrEqualTo(enc.periods());
        }
    }
}
