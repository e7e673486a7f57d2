package com.shopsense.inference;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks CUDA or CPU for a session. The GPU build of ONNX Runtime lists CUDA as available even on
 * machines without a GPU or without the CUDA libraries, so only trying {@code addCUDA} tells.
 */
public final class ExecutionProvider {
    private static final Logger LOG = LoggerFactory.getLogger(ExecutionProvider.class);

    public static final String CPU = "CPU";
    public static final String CUDA = "CUDA";

    private ExecutionProvider() {
    }

    /** Configures {@code options} and returns the provider that will run. */
    public static String configure(OrtSession.SessionOptions options, RuntimeOptions runtime) {
        String wanted = runtime.provider().trim().toLowerCase();
        if (wanted.equals("cpu") && !runtime.requireGpu()) {
            LOG.info("ONNX Runtime execution provider: CPU (inference.provider=cpu)");
            return CPU;
        }
        try {
            options.addCUDA(runtime.cudaDevice());
            LOG.info("ONNX Runtime execution provider: CUDA device {}", runtime.cudaDevice());
            return CUDA;
        } catch (OrtException | RuntimeException | UnsatisfiedLinkError e) {
            String why = e.getClass().getSimpleName() + ": " + e.getMessage();
            if (runtime.requireGpu() || wanted.equals("cuda")) {
                throw new ModelLoadException("CUDA execution provider required (inference.require-gpu=true or "
                        + "inference.provider=cuda) but it cannot be used on device " + runtime.cudaDevice()
                        + ": " + why, e);
            }
            LOG.warn("CUDA execution provider unavailable, falling back to CPU: {}", why);
            return CPU;
        }
    }
}
