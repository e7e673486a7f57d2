package com.shopsense.features;

import java.nio.charset.StandardCharsets;

/** The id hash shared with the Python trainer (onnx-models/training/common.py: fnv1a32, bucket). */
public final class IdHash {
    private IdHash() {
    }

    /** 32-bit FNV-1a over the UTF-8 bytes, returned as an unsigned value in a long. */
    public static long fnv1a32(String text) {
        int h = 0x811C9DC5;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            h ^= (b & 0xFF);
            h *= 0x01000193;
        }
        return h & 0xFFFFFFFFL;
    }

    /** 64-bit FNV-1a over the UTF-8 bytes: a compact identity for dedup (collisions ~n^2 / 2^65). */
    public static long fnv1a64(String text) {
        long h = 0xCBF29CE484222325L;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            h ^= (b & 0xFF);
            h *= 0x100000001B3L;
        }
        return h;
    }

    /** Hash bucket in [1, buckets); 0 means missing. */
    public static int bucket(String text, int buckets) {
        if (text == null || text.isEmpty()) {
            return 0;
        }
        return 1 + (int) (fnv1a32(text) % (buckets - 1));
    }
}
