package com.shopsense.inference;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.Serializable;
import java.util.List;

/**
 * A model as {@code onnx-models/manifest.json} describes it.
 *
 * @param versionLabel the manifest's optional {@code version} of the model (null when absent)
 * @param contract what the job's encoders depend on besides the tensors: the feature-spec version and
 *     the vocabularies' checksums. A hot swap must keep it (the encoders were built for it).
 */
public record ModelEntry(
        String name,
        String file,
        String sha256,
        List<TensorSpec> inputs,
        List<TensorSpec> outputs,
        String thresholdsJson,
        String versionLabel,
        String contract) implements Serializable {

    /**
     * The version results carry: the manifest's {@code version} when it names one, else the first 12 hex
     * digits of the file's sha256 (changes whenever the model does).
     */
    public String version() {
        return versionLabel != null && !versionLabel.isBlank() ? versionLabel : sha256.substring(0, 12);
    }

    /**
     * Whether a running job can switch from this model to {@code next} without a restart: same inputs and
     * outputs (the operators' encoders and output indices) and the same feature-spec version and vocabularies.
     */
    public String incompatibility(ModelEntry next) {
        if (!inputs.toString().equals(next.inputs.toString())) {
            return "inputs " + next.inputs + " differ from the serving model's " + inputs;
        }
        if (!outputs.toString().equals(next.outputs.toString())) {
            return "outputs " + next.outputs + " differ from the serving model's " + outputs;
        }
        if (!contract.equals(next.contract)) {
            return "feature spec or vocabularies (" + next.contract + ") differ from the serving model's (" + contract
                    + "): needs a restart";
        }
        return null;
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
