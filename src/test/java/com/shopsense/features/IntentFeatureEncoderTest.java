package com.shopsense.features;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.shopsense.event.EventType;
import com.shopsense.event.ShopEvent;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The Java intent encoder reproduces the trainer's inputs for every golden case (onnx-models/golden/intent.json). */
class IntentFeatureEncoderTest {
    private static final Path SPEC = Path.of("onnx-models/feature_spec.json");
    private static final Path GOLDEN = Path.of("onnx-models/golden/intent.json");

    private final IntentFeatureEncoder encoder = IntentFeatureEncoder.fromSpec(FeatureSpec.load(SPEC));

    @Test
    void reproducesGoldenInputsForEveryStep() throws IOException {
        JsonNode golden = new ObjectMapper().readTree(GOLDEN.toFile());
        assertThat(golden.path("model").asText()).isEqualTo("intent");
        JsonNode cases = golden.path("cases");
        assertThat(cases.size()).isGreaterThanOrEqualTo(8);
        int steps = 0;
        for (int c = 0; c < cases.size(); c++) {
            JsonNode kase = cases.get(c);
            JsonNode events = kase.path("events");
            assertThat(kase.path("steps").size()).as("case %d steps", c).isEqualTo(events.size());
            Long prev = null;
            for (int i = 0; i < events.size(); i++) {
                ShopEvent e = event(events.get(i));
                IntentFeatureEncoder.Encoded enc = encoder.encode(e, prev, i);
                JsonNode in = kase.path("steps").get(i).path("inputs");
                String where = "case " + c + " step " + i;
                assertThat(in.path("item_bucket").path("data").get(0).asLong()).as(where + " item_bucket")
                        .isEqualTo(enc.itemBucket());
                assertThat(in.path("category_bucket").path("data").get(0).asLong()).as(where + " category_bucket")
                        .isEqualTo(enc.categoryBucket());
                JsonNode dense = in.path("dense");
                assertThat(dense.path("shape").get(1).asInt()).isEqualTo(encoder.denseSize());
                float[] expected = new float[dense.path("data").size()];
                for (int k = 0; k < expected.length; k++) {
                    expected[k] = (float) dense.path("data").get(k).asDouble();
                }
                assertThat(enc.dense()).as(where + " dense").containsExactly(expected);
                assertThat(in.path("h").path("shape").get(1).asInt()).isEqualTo(encoder.hiddenSize());
                prev = e.timestampMs();
                steps++;
            }
        }
        assertThat(steps).isGreaterThan(8);
    }

    @Test
    void bucketRules() {
        assertThat(encoder.dwellBucket(1_000L, null)).isZero();
        assertThat(encoder.dwellBucket(1_000L, 5_000L)).isEqualTo(1); // out of order clamps to 0 ms
        assertThat(encoder.dwellBucket(2_000L, 1_000L)).isEqualTo(2); // exactly on the first boundary
        assertThat(encoder.priceBucket(null)).isZero();
        assertThat(encoder.priceBucket(0.5)).isEqualTo(1);
        assertThat(encoder.positionBucket(0)).isZero();
        assertThat(encoder.positionBucket(1)).isEqualTo(1);
        assertThat(encoder.initialHidden()).hasSize(encoder.hiddenSize()).containsOnly(0f);
    }

    static ShopEvent event(JsonNode n) {
        JsonNode ts = n.get("ts");
        long ms = ts.isNumber() ? ts.asLong() : Instant.parse(ts.asText()).toEpochMilli();
        ShopEvent.Builder b = ShopEvent.builder(n.path("eventId").asText(), n.path("userId").asText(),
                EventType.fromWireName(n.path("type").asText()), ms);
        b.itemId(text(n, "itemId")).categoryId(text(n, "categoryId")).query(text(n, "query"))
                .currency(text(n, "currency")).paymentMethod(text(n, "paymentMethod")).text(text(n, "text"));
        if (n.hasNonNull("price")) {
            b.price(n.get("price").asDouble());
        }
        if (n.hasNonNull("quantity")) {
            b.quantity(n.get("quantity").asInt());
        }
        if (n.hasNonNull("amount")) {
            b.amount(n.get("amount").asDouble());
        }
        if (n.hasNonNull("rating")) {
            b.rating(n.get("rating").asInt());
        }
        return b.build();
    }

    private static String text(JsonNode n, String field) {
        return n.hasNonNull(field) ? n.get(field).asText() : null;
    }
}
