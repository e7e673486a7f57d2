package com.shopsense.features;

import com.fasterxml.jackson.databind.JsonNode;
import com.shopsense.event.ShopEvent;
import java.util.Arrays;

/**
 * Encodes one session event into the inputs of the intent GRU step model (onnx-models/intent/intent.onnx):
 * {@code item_bucket} int64 [B], {@code category_bucket} int64 [B], {@code dense} float32 [B, denseSize}.
 * The hidden state {@code h} is the caller's (zeros at session start, then the previous {@code h_next}).
 *
 * <p>Mirrors {@code Encoder} in onnx-models/training/train_intent.py; both read the "intent" section of
 * feature_spec.json, and IntentFeatureEncoderTest checks this class against the golden vectors. Pure and
 * thread-safe.
 */
public final class IntentFeatureEncoder {
    /** The encoded values of one event (one row of a batch). */
    public record Encoded(long itemBucket, long categoryBucket, float[] dense) {
    }

    private final String[] eventTypes;
    private final int itemBuckets;
    private final int categoryBuckets;
    private final long[] dwellBoundariesMs;
    private final double[] priceBoundaries;
    private final int[] positionBoundaries;
    private final int denseSize;
    private final int hiddenSize;

    private IntentFeatureEncoder(JsonNode s) {
        this.eventTypes = strings(s, "eventTypes");
        this.itemBuckets = required(s, "itemBuckets").asInt();
        this.categoryBuckets = required(s, "categoryBuckets").asInt();
        JsonNode dwell = required(s, "dwellBoundariesMs");
        this.dwellBoundariesMs = new long[dwell.size()];
        for (int i = 0; i < dwell.size(); i++) {
            dwellBoundariesMs[i] = dwell.get(i).asLong();
        }
        JsonNode price = required(s, "priceBoundaries");
        this.priceBoundaries = new double[price.size()];
        for (int i = 0; i < price.size(); i++) {
            priceBoundaries[i] = price.get(i).asDouble();
        }
        JsonNode pos = required(s, "positionBoundaries");
        this.positionBoundaries = new int[pos.size()];
        for (int i = 0; i < pos.size(); i++) {
            positionBoundaries[i] = pos.get(i).asInt();
        }
        this.denseSize = eventTypes.length + dwellBucketCount() + priceBucketCount() + positionBucketCount();
        int declared = required(s, "denseSize").asInt();
        if (declared != denseSize) {
            throw new IllegalArgumentException("intent spec: denseSize " + declared + " does not match its layout ("
                    + denseSize + ")");
        }
        this.hiddenSize = required(s, "hiddenSize").asInt();
    }

    public static IntentFeatureEncoder fromSpec(FeatureSpec spec) {
        return new IntentFeatureEncoder(spec.section("intent"));
    }

    public static IntentFeatureEncoder fromSection(JsonNode intentSection) {
        return new IntentFeatureEncoder(intentSection);
    }

    /**
     * Encodes {@code event}, the {@code position}-th (0-based) event of its session.
     *
     * @param previousTimestampMs event time of the session's previous event, or null for the first event
     */
    public Encoded encode(ShopEvent event, Long previousTimestampMs, int position) {
        float[] dense = new float[denseSize];
        encodeDense(event, previousTimestampMs, position, dense, 0);
        return new Encoded(IdHash.bucket(event.itemId(), itemBuckets),
                IdHash.bucket(event.categoryId(), categoryBuckets), dense);
    }

    /** Writes the dense features into {@code out[offset .. offset + denseSize)} (for batch buffers). */
    public void encodeDense(ShopEvent event, Long previousTimestampMs, int position, float[] out, int offset) {
        Arrays.fill(out, offset, offset + denseSize, 0f);
        if (event.type() != null) {
            String wire = event.type().wireName();
            for (int i = 0; i < eventTypes.length; i++) {
                if (eventTypes[i].equals(wire)) {
                    out[offset + i] = 1f;
                    break;
                }
            }
        }
        int o = offset + eventTypes.length;
        out[o + dwellBucket(event.timestampMs(), previousTimestampMs)] = 1f;
        o += dwellBucketCount();
        out[o + priceBucket(event.price())] = 1f;
        o += priceBucketCount();
        out[o + positionBucket(position)] = 1f;
    }

    /** 0 for the session's first event, else 1 + number of boundaries &lt;= max(0, ts - previousTs). */
    public int dwellBucket(long timestampMs, Long previousTimestampMs) {
        if (previousTimestampMs == null) {
            return 0;
        }
        long d = Math.max(0L, timestampMs - previousTimestampMs);
        int n = 0;
        while (n < dwellBoundariesMs.length && dwellBoundariesMs[n] <= d) {
            n++;
        }
        return 1 + n;
    }

    /** 0 when the price is missing, else 1 + number of boundaries &lt;= price. */
    public int priceBucket(Double price) {
        if (price == null) {
            return 0;
        }
        int n = 0;
        while (n < priceBoundaries.length && priceBoundaries[n] <= price) {
            n++;
        }
        return 1 + n;
    }

    /** Number of boundaries &lt;= position (0-based position in the session). */
    public int positionBucket(int position) {
        int n = 0;
        while (n < positionBoundaries.length && positionBoundaries[n] <= position) {
            n++;
        }
        return n;
    }

    public int denseSize() {
        return denseSize;
    }

    /** Size of the hidden state {@code h}/{@code h_next}. */
    public int hiddenSize() {
        return hiddenSize;
    }

    /** A zero hidden state for a new session. */
    public float[] initialHidden() {
        return new float[hiddenSize];
    }

    private int dwellBucketCount() {
        return dwellBoundariesMs.length + 2;
    }

    private int priceBucketCount() {
        return priceBoundaries.length + 2;
    }

    private int positionBucketCount() {
        return positionBoundaries.length + 1;
    }

    private static JsonNode required(JsonNode s, String field) {
        JsonNode n = s.get(field);
        if (n == null || n.isNull()) {
            throw new IllegalArgumentException("intent spec lacks '" + field + "'");
        }
        return n;
    }

    private static String[] strings(JsonNode s, String field) {
        JsonNode n = required(s, field);
        String[] out = new String[n.size()];
        for (int i = 0; i < n.size(); i++) {
            out[i] = n.get(i).asText();
        }
        return out;
    }
}
