package com.shopsense.inference;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.Serializable;
import java.util.List;

/**
 * A model as {@code onnx-models/manifest.json} describes it.
 *
 * @param version the first 12 hex digits of the file's sha256: changes whenever the model does
 */
public record ModelEntry(
        String name,
        String file,
        String sha256,
        List<TensorSpec> inputs,
        List<TensorSpec> outputs,
        String thresholdsJson) implements Serializable {

    public String version() {
        return sha256.substring(0, 12);
    }

    public TensorSpec input(String inputName) {
        return inputs.stream().filter(t -> t.name().equals(inputName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("model " + name + " has no input " + inputName));
    }

    /** A decision threshold from the manifest, e.g. {@code alert} for fraud. */
    public double threshold(String key) {
        try {
            JsonNode n = new com.fasterxml.jackson.databind.ObjectMapper().readTree(thresholdsJson).get(key);
            if (n == null || !n.isNumber()) {
                throw new IllegalStateException("manifest has no numeric threshold '" + key + "' for model " + name);
            }
            return n.doubleValue();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
