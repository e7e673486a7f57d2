package com.shopsense.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.shopsense.event.EventType;
import com.shopsense.event.ShopEvent;
import java.io.IOException;
import java.nio.file.Path;
import com.shopsense.testing.IntentSessionReplay;
import java.time.Instant;
import java.util.Arrays;
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
            IntentSessionReplay session = IntentSessionReplay.of(encoder, kase);
            for (int i = 0; i < events.size(); i++) {
                ShopEvent e = event(events.get(i));
                IntentFeatureEncoder.Encoded enc = session.next(e);
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
                steps++;
            }
        }
        assertThat(steps).isGreaterThan(8);
        assertThat(cases.findValues("boughtBefore")).as("a case of a returning customer").anyMatch(JsonNode::asBoolean);
    }

    /** The context block: the last contextFeatures of the dense vector, in the spec's order. */
    private float[] context(ShopEvent e, IntentFeatureEncoder.SessionContext c) {
        float[] d = encoder.encode(e, e.timestampMs() - 1000, 3, c).dense();
        return Arrays.copyOfRange(d, d.length - 8, d.length);
    }

    @Test
    void theContextFeaturesFollowTheSpecsRules() {
        ShopEvent e = view("sku-2", 1_700_000_060_000L, 30.0);
        String[] items = {"sku-1", "sku-2", "sku-3", "sku-2"};
        var c = new IntentFeatureEncoder.SessionContext(1_700_000_000_000L, 3, 59.5, items, 2,
                Math.log1p(10.0) + Math.log1p(20.0), true);
        float[] x = context(e, c);
        assertThat(x[0]).as("log_cart_items").isCloseTo((float) Math.log(4.0), within(1e-6f));
        assertThat(x[1]).as("log_cart_value").isCloseTo((float) Math.log(60.5), within(1e-6f));
        assertThat(x[2]).as("item_seen_before").isEqualTo(1f);
        assertThat(x[3]).as("log_item_repeats: sku-2 twice").isCloseTo((float) Math.log(3.0), within(1e-6f));
        assertThat(x[4]).as("repeat_fraction: 3 distinct of 4").isEqualTo(0.25f);
        assertThat(x[5]).as("log_session_seconds").isCloseTo((float) Math.log(61.0), within(1e-6f));
        double meanLogPrice = (Math.log(11.0) + Math.log(21.0)) / 2;
        assertThat(x[6]).as("relative_log_price").isCloseTo((float) (Math.log(31.0) - meanLogPrice), within(1e-6f));
        assertThat(x[7]).as("bought_before").isEqualTo(1f);
    }

    @Test
    void aSessionsFirstEventHasAnEmptyContextAndPricesAreClipped() {
        ShopEvent first = view("sku-1", 1_700_000_000_000L, 9.99);
        assertThat(context(first, IntentFeatureEncoder.SessionContext.first(first.timestampMs()))).containsOnly(0f);
        ShopEvent dear = view("sku-9", 1_700_000_000_000L, 1_000_000.0);
        var cheap = new IntentFeatureEncoder.SessionContext(dear.timestampMs(), 0, 0, new String[] {"a"}, 1,
                Math.log1p(1.0), false);
        assertThat(context(dear, cheap)[6]).as("clipped at relativePriceClip").isEqualTo(3f);
        ShopEvent noPrice = view("a", 1_700_000_000_000L, null);
        assertThat(context(noPrice, cheap)[6]).as("no price, no relative price").isZero();
        assertThat(context(noPrice, cheap)[2]).as("seen before").isEqualTo(1f);
    }

    @Test
    void onlyTheLastItemWindowOfTheKeptItemsCounts() {
        String[] kept = new String[30]; // session.kept-items above the spec's itemWindow (20)
        for (int i = 0; i < kept.length; i++) {
            kept[i] = "old-" + i;
        }
        var c = new IntentFeatureEncoder.SessionContext(0, 0, 0, kept, 0, 0, false);
        assertThat(context(view("old-3", 1000, null), c)[2]).as("outside the window").isZero();
        assertThat(context(view("old-29", 1000, null), c)[2]).as("inside").isEqualTo(1f);
    }

    private static ShopEvent view(String item, long ts, Double price) {
        ShopEvent.Builder b = ShopEvent.builder("e-" + item, "u", EventType.VIEW, ts).itemId(item);
        if (price != null) {
            b.price(price);
        }
        return b.build();
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
