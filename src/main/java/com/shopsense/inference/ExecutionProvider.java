package com.shopsense.inference;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks CUDA or CPU for a session. The GPU build of ONNX Runtime lists CUDA as available even on
 * machines without a GPU or without the CUDA libraries, so only trying {@code addCUDA} tells; and a
 * failing {@code addCUDA} prints a native error for every model. So the libraries are looked for first,
 * once per JVM ({@link Probe}), and {@code addCUDA} is only tried where they are all present.
 */
public final class ExecutionProvider {
    private static final Logger LOG = LoggerFactory.getLogger(ExecutionProvider.class);

    public static final String CPU = "CPU";
    public static final String CUDA = "CUDA";

    private ExecutionProvider() {
    }

    /**
     * The CUDA libraries of this JVM's machine, looked for once: class initialisation runs once per JVM
     * (per class loader), which also makes its log line the one line per TaskManager that says which
     * provider runs and why. Immutable once initialised.
     */
    private static final class Probe {
        static final CudaLibraries.Result LIBRARIES = CudaLibraries.onThisMachine();

        static {
            if (LIBRARIES.complete()) {
                LOG.info("ONNX Runtime {}: CUDA libraries found ({}); models run on CUDA where the device accepts "
                        + "them", ortVersion(), LIBRARIES.describeFound());
            } else {
                LOG.info("ONNX Runtime {} execution provider: CPU: CUDA libraries not found ({})", ortVersion(),
                        String.join(", ", LIBRARIES.missing()));
            }
        }
    }

    /** Logs the explicit CPU choice once per JVM (see {@link Probe}). */
    private static final class CpuByOption {
        static {
            LOG.info("ONNX Runtime {} execution provider: CPU (inference.provider=cpu)", ortVersion());
        }

        /** Calling it initialises the class, once. */
        static void logOnce() {
        }
    }

    /** Configures {@code options} and returns the provider that will run. */
    public static String configure(OrtSession.SessionOptions options, RuntimeOptions runtime) {
        String wanted = runtime.provider().trim().toLowerCase();
        boolean mustUseCuda = runtime.requireGpu() || wanted.equals("cuda");
        if (wanted.equals("cpu") && !runtime.requireGpu()) {
            CpuByOption.logOnce();
            return CPU;
        }
        CudaLibraries.Result libraries = Probe.LIBRARIES;
        if (!libraries.complete()) {
            if (mustUseCuda) {
                throw required(runtime, "CUDA libraries not found (" + String.join(", ", libraries.missing()) + ")",
                        null);
            }
            return CPU;
        }
        try {
            options.addCUDA(runtime.cudaDevice());
            LOG.debug("CUDA execution provider on device {}", runtime.cudaDevice());
            return CUDA;
        } catch (OrtException | RuntimeException | UnsatisfiedLinkError e) {
            String why = e.getClass().getSimpleName() + ": " + e.getMessage();
            if (mustUseCuda) {
                throw required(runtime, why, e);
            }
            // The libraries are there but the device refused: worth a warning on every model.
            LOG.warn("CUDA execution provider unavailable on device {} although its libraries are installed, "
                    + "falling back to CPU: {}", runtime.cudaDevice(), why);
            return CPU;
        }
    }

    private static ModelLoadException required(RuntimeOptions runtime, String why, Throwable cause) {
        return new ModelLoadException("CUDA execution provider required (inference.require-gpu=true or "
                + "inference.provider=cuda) but it cannot be used on device " + runtime.cudaDevice() + ": " + why,
                cause);
    }

    private static String ortVersion() {
        try {
            return OrtEnvironment.getEnvironment().getVersion();
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            return "(version unknown)";
        }
    }
}
