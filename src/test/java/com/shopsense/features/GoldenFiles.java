package com.shopsense.features;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.shopsense.event.EventType;
import com.shopsense.event.ShopEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/** Test helper: reads onnx-models/ files and turns contract event JSON into {@link ShopEvent}s. */
final class GoldenFiles {
    static final Path MODELS = Path.of("onnx-models");

    private GoldenFiles() {
    }

    static FeatureSpec spec() {
        return FeatureSpec.load(MODELS.resolve("feature_spec.json"));
    }

    static JsonNode golden(String model) throws IOException {
        return new ObjectMapper().readTree(Files.readString(MODELS.resolve("golden").resolve(model + ".json")));
    }

    static ShopEvent event(JsonNode e) {
        JsonNode ts = e.get("ts");
        long ms = ts.isNumber() ? ts.asLong()
                : ts.asText().chars().allMatch(Character::isDigit) ? Long.parseLong(ts.asText())
                : Instant.parse(ts.asText()).toEpochMilli();
        EventType type = EventType.fromWireName(e.get("type").asText());
        return ShopEvent.builder(e.get("eventId").asText(), e.get("userId").asText(), type, ms)
                .itemId(text(e, "itemId"))
                .categoryId(text(e, "categoryId"))
                .price(e.hasNonNull("price") ? e.get("price").asDouble() : null)
                .quantity(e.hasNonNull("quantity") ? e.get("quantity").asInt() : null)
                .amount(e.hasNonNull("amount") ? e.get("amount").asDouble() : null)
                .currency(text(e, "currency"))
                .paymentMethod(text(e, "paymentMethod"))
                .cardFingerprint(text(e, "cardFingerprint"))
                .deviceId(text(e, "deviceId"))
                .ip(text(e, "ip"))
                .country(text(e, "country"))
                .merchantId(text(e, "merchantId"))
                .build();
    }

    static float[] floats(JsonNode tensor) {
        JsonNode d = tensor.get("data");
        float[] out = new float[d.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) d.get(i).asDouble();
        }
        return out;
    }

    private static String text(JsonNode e, String f) {
        return e.hasNonNull(f) ? e.get(f).asText() : null;
    }
}
