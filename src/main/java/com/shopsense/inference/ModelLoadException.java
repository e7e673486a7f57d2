package com.shopsense.inference;

import org.apache.flink.runtime.throwable.ThrowableAnnotation;
import org.apache.flink.runtime.throwable.ThrowableType;

/**
 * A model that cannot be used: missing, corrupt, wrong checksum or unexpected signature. Fails start-up.
 *
 * <p>Marked non-recoverable for Flink: a restart would load the same bad file again, so the job fails at
 * once with this message instead of restart-looping under the cluster's restart strategy.
 */
@ThrowableAnnotation(ThrowableType.NonRecoverableError)
public final class ModelLoadException extends RuntimeException {
    public ModelLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
