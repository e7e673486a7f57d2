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

    /** Hash bucket in [1, buckets); 0 means missing. */
    public static int bucket(String text, int buckets) {
        if (text == null || text.isEmpty()) {
            return 0;
        }
        return 1 + (int) (fnv1a32(text) % (buckets - 1));
    }
}
