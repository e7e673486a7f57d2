package com.shopsense.inference;

import java.io.Serializable;
import java.util.Arrays;

/**
 * One model input or output as the manifest declares it. The first dimension is the batch axis;
 * {@link #exampleShape()} is the shape of one example (the rest).
 */
public record TensorSpec(String name, long[] shape, String dtype) implements Serializable {

    public long[] exampleShape() {
        return Arrays.copyOfRange(shape, 1, shape.length);
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
        return name + Arrays.toString(shape) + ":" + dtype;
    }
}
