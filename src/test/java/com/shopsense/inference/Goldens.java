package com.shopsense.inference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.shopsense.event.EventLimits;
import com.shopsense.event.EventParser;
import com.shopsense.event.ShopEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Reads onnx-models/golden/*.json: raw inputs in event JSON, encoded tensors and expected outputs. */
final class Goldens {
    private static final EventParser PARSER = new EventParser(EventLimits.defaults(), () -> Long.MAX_VALUE / 4);

    private Goldens() {
    }

    static JsonNode cases(String model) {
        return cases("cases", model);
    }

    /** Another list of cases of the golden file, e.g. the recommender's {@code trimmedCases}. */
    static JsonNode cases(String list, String model) {
        return cases(Path.of("onnx-models/golden", model + ".json"), list);
    }

    /** A list of cases of a golden file elsewhere (a models directory of its own, e.g. onnx-models/demo-taobao). */
    static JsonNode cases(Path golden, String list) {
        try {
            JsonNode n = new ObjectMapper().readTree(golden.toFile()).get(list);
            if (n == null) {
                throw new IllegalStateException("golden " + golden + " has no " + list);
            }
            return n;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ShopEvent event(JsonNode json) {
        try {
            return PARSER.parse(json.toString().getBytes(StandardCharsets.UTF_8));
        } catch (com.shopsense.event.InvalidEventException e) {
            throw new IllegalStateException("golden event rejected: " + e.getMessage() + " " + json);
        }
    }

    static float[] floats(JsonNode tensor) {
        JsonNode data = tensor.get("data");
        float[] out = new float[data.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) data.get(i).asDouble();
        }
        return out;
    }

    static long[] longs(JsonNode tensor) {
        JsonNode data = tensor.get("data");
        long[] out = new long[data.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = data.get(i).asLong();
        }
        return out;
    }
}
