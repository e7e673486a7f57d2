package com.shopsense.features;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Input of the review sentiment model (onnx-models/review/review.onnx): a review's text becomes one row of
 * byte tokens, {@code clsId} first, then each byte b of the text's UTF-8 encoding as {@code b + byteOffset},
 * at most {@code maxTokens} in all ("review" section of feature_spec.json). Bytes, not a vocabulary: the
 * same rule in train_review.py gives the same ids for every language with nothing to drift (no normaliser,
 * no case folding, no vocabulary file). The event parser has already rejected lone surrogates, so
 * {@code getBytes(UTF_8)} equals Python's {@code str.encode("utf-8")}. Immutable and thread-safe.
 */
public final class ReviewTokenizer {
    private final int maxTokens;
    private final int padId;
    private final int clsId;
    private final int byteOffset;

    private ReviewTokenizer(int maxTokens, int padId, int clsId, int byteOffset) {
        if (maxTokens < 2) {
            throw new IllegalArgumentException("review spec needs maxTokens >= 2, got " + maxTokens);
        }
        if (padId == clsId || (padId >= byteOffset && padId < byteOffset + 256)
                || (clsId >= byteOffset && clsId < byteOffset + 256)) {
            throw new IllegalArgumentException("review spec: padId, clsId and the byte range must not overlap");
        }
        this.maxTokens = maxTokens;
        this.padId = padId;
        this.clsId = clsId;
        this.byteOffset = byteOffset;
    }

    public static ReviewTokenizer fromSpec(FeatureSpec spec) {
        JsonNode s = spec.section("review");
        return new ReviewTokenizer(s.path("maxTokens").asInt(0), s.path("padId").asInt(0),
                s.path("clsId").asInt(1), s.path("byteOffset").asInt(2));
    }

    public int maxTokens() {
        return maxTokens;
    }

    public int padId() {
        return padId;
    }

    /** The row of one text, unpadded: clsId, then the first maxTokens - 1 bytes. */
    public long[] encode(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int n = Math.min(bytes.length, maxTokens - 1);
        long[] row = new long[n + 1];
        row[0] = clsId;
        for (int i = 0; i < n; i++) {
            row[i + 1] = (bytes[i] & 0xFF) + byteOffset;
        }
        return row;
    }

    /** Rows of a batch, right-padded with padId to the longest, row-major: {@code [texts.size(), width(texts)]}. */
    public long[] encodeBatch(List<String> texts, int[] widthOut) {
        long[][] rows = new long[texts.size()][];
        int width = 1;
        for (int i = 0; i < rows.length; i++) {
            rows[i] = encode(texts.get(i));
            width = Math.max(width, rows[i].length);
        }
        long[] flat = new long[rows.length * width];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, flat, i * width, rows[i].length);
            if (padId != 0) {
                java.util.Arrays.fill(flat, i * width + rows[i].length, (i + 1) * width, padId);
            }
        }
        widthOut[0] = width;
        return flat;
    }
}
