package com.shopsense.inference;

import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs ONNX Runtime calls on a thread with a large native stack. Creating the ORT environment and
 * sessions recurses deeply inside libonnxruntime (seen: >10,000 frames in
 * {@code OrtEnvironment.createHandle}), which overflows the 1 MB default stack of a Flink task
 * thread and kills the whole JVM with SIGSEGV, without an hs_err file.
 */
public final class NativeStack {
    /** Stack size for every thread that calls into ONNX Runtime. */
    public static final long STACK_BYTES = 64L * 1024 * 1024;

    private NativeStack() {
    }

    public static <T> T call(String name, Callable<T> work) {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> error = new AtomicReference<>();
        Thread t = new Thread(null, () -> {
            try {
                result.set(work.call());
            } catch (Throwable e) {
                error.set(e);
            }
        }, name, STACK_BYTES);
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while " + name, e);
        }
        Throwable e = error.get();
        if (e instanceof RuntimeException re) {
            throw re;
        }
        if (e instanceof Error err) {
            throw err;
        }
        if (e != null) {
            throw new IllegalStateException(name + " failed", e);
        }
        return result.get();
    }
}
