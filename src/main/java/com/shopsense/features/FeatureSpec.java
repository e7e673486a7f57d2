package com.shopsense.features;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * onnx-models/feature_spec.json, the one description of every model's inputs that the Python
 * trainer and the Java encoders both read. Each model has its own section.
 */
public final class FeatureSpec {
    private final JsonNode root;

    private FeatureSpec(JsonNode root) {
        this.root = root;
    }

    public static FeatureSpec load(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return parse(in, file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read feature spec " + file, e);
        }
    }

    public static FeatureSpec parse(InputStream in, String name) throws IOException {
        JsonNode root = new ObjectMapper().readTree(in);
        if (root == null || !root.isObject()) {
            throw new IOException("Feature spec " + name + " is not a JSON object");
        }
        return new FeatureSpec(root);
    }

    public String version() {
        return root.path("version").asText();
    }

    /** The section of one model; fails naming the model when it is missing. */
    public JsonNode section(String model) {
        JsonNode n = root.get(model);
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("feature spec has no section for model '" + model + "'");
        }
        return n;
    }
}
