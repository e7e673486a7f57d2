package com.shopsense.inference;

import ai.onnxruntime.OrtEnvironment;

/**
 * One look at a model directory's manifest for a new version of a serving model (README "Recommendation
 * A/B and model hot-swap"). A new version passes the start-up checks (sha256 of the file, tensor names,
 * dtypes and shapes against the manifest) plus one more: the same inputs, outputs, feature-spec version
 * and vocabularies as the serving version, because the operators' encoders were built for those. A
 * version that fails is rejected (logged with the file, counted), and the serving one stays.
 */
final class HotSwap {
    private HotSwap() {
    }

    /** Returns true when {@code serving} now runs a new version. */
    static boolean check(ServingModel serving, ModelSource source, String modelName, RuntimeOptions options)
            throws InterruptedException {
        ModelEntry now = serving.entry();
        ModelEntry next;
        try {
            next = ModelManifest.load(source).model(modelName);
        } catch (ModelLoadException e) {
            rejectOnce(serving, e.getMessage());
            return false;
        }
        if (next.sha256().equalsIgnoreCase(now.sha256()) && next.version().equals(now.version())) {
            return false;
        }
        String why = now.incompatibility(next);
        if (why != null) {
            rejectOnce(serving, source.describe(next.file()) + " (version " + next.version() + "): " + why);
            return false;
        }
        LoadedModel loaded;
        try {
            loaded = NativeStack.call("ort-swap-" + modelName,
                    () -> LoadedModel.load(OrtEnvironment.getEnvironment(), source, next, options));
        } catch (ModelLoadException e) {
            rejectOnce(serving, e.getMessage());
            return false;
        }
        serving.swapTo(loaded);
        return true;
    }

    /** A bad version stays bad until the files change: count and log it once, not at every look. */
    private static void rejectOnce(ServingModel serving, String reason) {
        if (!reason.equals(serving.lastRejection())) {
            serving.reject(reason);
        }
    }
}
