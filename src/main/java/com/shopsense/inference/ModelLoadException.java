package com.shopsense.inference;

/** A model that cannot be used: missing, corrupt, wrong checksum or unexpected signature. Fails start-up. */
public final class ModelLoadException extends RuntimeException {
    public ModelLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
