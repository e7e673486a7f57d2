package com.shopsense.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.shopsense.event.ShopEvent;
import org.junit.jupiter.api.Test;

/** The Java encoder reproduces the trainer's inputs for every golden case in onnx-models/golden/fraud.json. */
class FraudGoldenTest {

    @Test
    void encoderReproducesGoldenInputs() throws Exception {
        FraudFeatureEncoder enc = FraudFeatureEncoder.fromSpec(GoldenFiles.spec());
        JsonNode golden = GoldenFiles.golden("fraud");
        assertThat(golden.get("model").asText()).isEqualTo("fraud");
        assertThat(golden.get("cases").size()).isGreaterThanOrEqualTo(8);
        long withLabels = 0;
        for (JsonNode c : golden.get("cases")) {
            withLabels += c.path("labels").size() > 0 ? 1 : 0;
        }
        assertThat(withLabels).as("cases exercising the merchant feedback features").isGreaterThanOrEqualTo(3);
        for (JsonNode c : golden.get("cases")) {
            PaymentHistory h = enc.newHistory();
            for (JsonNode e : c.get("history")) {
                h.add(GoldenFiles.event(e));
            }
            ShopEvent cur = GoldenFiles.event(c.get("current"));
            FraudFeatureEncoder.Encoded x = enc.encode(h, cur);
            float[] current = GoldenLabels.withFeedback(enc, c, cur, x.current());
            JsonNode in = c.get("inputs");
            assertThat(in.get("history").get("shape").toString())
                    .isEqualTo("[1," + enc.historyLength() + "," + enc.historyFeatureCount() + "]");
            assertThat(in.get("current").get("shape").toString()).isEqualTo("[1," + enc.currentFeatureCount() + "]");
            float[] wantH = GoldenFiles.floats(in.get("history"));
            float[] wantC = GoldenFiles.floats(in.get("current"));
            assertThat(x.history()).as(c.get("name").asText() + ": history").hasSize(wantH.length);
            for (int i = 0; i < wantH.length; i++) {
                assertThat(x.history()[i]).as("%s: history[%d]", c.get("name").asText(), i)
                        .isCloseTo(wantH[i], within(1e-5f));
            }
            assertThat(current).hasSize(wantC.length);
            for (int i = 0; i < wantC.length; i++) {
                assertThat(current[i]).as("%s: current[%d]", c.get("name").asText(), i)
                        .isCloseTo(wantC[i], within(1e-5f));
            }
            assertThat(c.get("outputs").get("p_fraud").get("data").size()).isEqualTo(1);
        }
    }
}
