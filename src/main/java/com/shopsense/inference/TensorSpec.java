package com.shopsense.inference;

import java.io.Serializable;
import java.util.Arrays;

/**
 * One model input or output as the manifest declares it. The first dimension is the batch axis;
 * {@link #exampleShape()} is the shape of one example (the rest).
 *
 * <p>A window input ({@code "window": N} in the manifest, shape {@code [null, null]}) takes any width
 * 1..N: a request always carries the whole N-window, and with {@code "leftPadded": true} the graph reads
 * a batch's last columns as the window's last positions, so the batcher may drop the leading columns
 * that are {@code padValue} in every row (the recommender: padding is masked out and positions are
 * counted from the right, the outputs do not change). With {@code "rightPadded": true} the rows are
 * padded at their end instead (the review model's byte rows) and the batcher drops the trailing columns that are
 * {@code padValue} in every row (the graph masks padding: a batch runs as wide as its longest row).
 *
 * @param window the full width of one example of a window input, 0 for any other tensor
 * @param leftPadded whether leading {@code padValue} columns of a batch may be dropped (window inputs only)
 * @param rightPadded whether trailing {@code padValue} columns of a batch may be dropped (window inputs only)
 */
public record TensorSpec(String name, long[] shape, String dtype, int window, boolean leftPadded, long padValue,
        boolean rightPadded) implements Serializable {

    public TensorSpec {
        if (window < 0 || window > 0 && (shape.length != 2 || shape[1] != -1)) {
            throw new IllegalArgumentException("tensor " + name + ": a window (" + window
                    + ") needs the shape [null, null], not " + Arrays.toString(shape));
        }
        if (leftPadded && (window == 0 || !dtype.equals("int64"))) {
            throw new IllegalArgumentException("tensor " + name + ": leftPadded needs an int64 window input");
        }
        if (rightPadded && (window == 0 || !dtype.equals("int64") || leftPadded)) {
            throw new IllegalArgumentException("tensor " + name
                    + ": rightPadded needs an int64 window input that is not leftPadded");
        }
    }

    /** A tensor that is not right-padded. */
    public TensorSpec(String name, long[] shape, String dtype, int window, boolean leftPadded, long padValue) {
        this(name, shape, dtype, window, leftPadded, padValue, false);
    }

    /** A tensor without window attributes. */
    public TensorSpec(String name, long[] shape, String dtype) {
        this(name, shape, dtype, 0, false, 0);
    }

    /** Shape of one example as requests carry it: a window input's dynamic width is its full window. */
    public long[] exampleShape() {
        long[] s = Arrays.copyOfRange(shape, 1, shape.length);
        if (window > 0) {
            s[0] = window;
        }
        return s;
    }

    /** Shape of a batch of {@code n} whole examples. */
    public long[] batchShape(int n) {
        long[] s = new long[shape.length];
        s[0] = n;
        System.arraycopy(exampleShape(), 0, s, 1, shape.length - 1);
        return s;
    }

    /** Number of values in one example. */
    public int exampleSize() {
        long n = 1;
        for (long d : exampleShape()) {
            if (d < 0) {
                throw new IllegalStateException("input " + name + " has a dynamic non-batch dimension");
            }
            n *= d;
        }
        return (int) n;
    }

    public boolean isInt64() {
        return dtype.equals("int64");
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape) + ":" + dtype + (window == 0 ? ""
                : "(window " + window + (leftPadded ? ", left-padded with " + padValue : "")
                        + (rightPadded ? ", right-padded with " + padValue : "") + ")");
    }
}
