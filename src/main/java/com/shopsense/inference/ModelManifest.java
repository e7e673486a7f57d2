package com.shopsense.inference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code manifest.json}: every model with its file, checksum and tensor signature. */
public final class ModelManifest implements Serializable {
    private final String featureSpecVersion;
    private final Map<String, ModelEntry> models;

    private ModelManifest(String featureSpecVersion, Map<String, ModelEntry> models) {
        this.featureSpecVersion = featureSpecVersion;
        this.models = models;
    }

    public static ModelManifest load(ModelSource source) {
        byte[] bytes = source.read("manifest.json");
        try {
            return parse(new ObjectMapper().readTree(bytes));
        } catch (IOException | RuntimeException e) {
            throw new ModelLoadException(source.describe("manifest.json") + ": unreadable manifest: " + e.getMessage(), e);
        }
    }

    static ModelManifest parse(JsonNode root) {
        Map<String, ModelEntry> models = new LinkedHashMap<>();
        root.get("models").fields().forEachRemaining(e -> {
            JsonNode m = e.getValue();
            models.put(e.getKey(), new ModelEntry(e.getKey(), m.get("file").asText(), m.get("sha256").asText(),
                    tensors(m.get("inputs"), true), tensors(m.get("outputs"), false),
                    m.has("thresholds") ? m.get("thresholds").toString() : "{}",
                    m.hasNonNull("version") ? m.get("version").asText() : null, contract(m)));
        });
        return new ModelManifest(root.path("featureSpecVersion").asText(), models);
    }

    /** Feature-spec version and vocabulary checksums: what a hot-swapped model must share with the serving one. */
    private static String contract(JsonNode m) {
        StringBuilder sb = new StringBuilder("featureSpec=").append(m.path("featureSpecVersion").asText(""));
        for (JsonNode v : m.path("vocabularies")) {
            sb.append(';').append(v.path("file").asText()).append('=').append(v.path("sha256").asText());
        }
        return sb.toString();
    }

    /**
     * Tensor specs; an input's dynamic non-batch dimension must be a window's (dimension 1 with {@code "window"}:
     * the full width; {@code "leftPadded": true, "padValue": p} lets the batcher drop leading all-p columns,
     * {@code "rightPadded": true} trailing ones).
     */
    private static List<TensorSpec> tensors(JsonNode list, boolean inputs) {
        List<TensorSpec> out = new ArrayList<>();
        for (JsonNode t : list) {
            JsonNode shape = t.get("shape");
            long[] dims = new long[shape.size()];
            for (int i = 0; i < dims.length; i++) {
                dims[i] = shape.get(i).isNull() ? -1 : shape.get(i).asLong();
            }
            String name = t.get("name").asText();
            int window = t.path("window").asInt(0);
            for (int i = 1; i < dims.length; i++) {
                if (dims[i] < 0 && (window == 0 || i != 1) && inputs) {
                    throw new IllegalArgumentException("input " + name + " has a dynamic dimension " + i
                            + " without a \"window\" (the width requests carry)");
                }
            }
            out.add(new TensorSpec(name, dims, normalizeType(t.get("dtype").asText()), window,
                    t.path("leftPadded").asBoolean(false), t.path("padValue").asLong(0),
                    t.path("rightPadded").asBoolean(false)));
        }
        return out;
    }

    private static String normalizeType(String dtype) {
        return switch (dtype) {
            case "float", "float32" -> "float32";
            case "int64" -> "int64";
            default -> dtype;
        };
    }

    public String featureSpecVersion() {
        return featureSpecVersion;
    }

    public ModelEntry model(String name) {
        ModelEntry m = models.get(name);
        if (m == null) {
            throw new ModelLoadException("manifest.json has no model '" + name + "' (has " + models.keySet() + ")", null);
        }
        return m;
    }

    public Map<String, ModelEntry> models() {
        return models;
    }
}
