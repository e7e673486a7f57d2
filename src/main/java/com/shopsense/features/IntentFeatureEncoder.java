package com.shopsense.features;

import com.fasterxml.jackson.databind.JsonNode;
import com.shopsense.event.ShopEvent;
import java.util.Arrays;
import java.util.Set;

/**
 * Encodes one session event into the inputs of the intent GRU step model (onnx-models/intent/intent.onnx):
 * {@code item_bucket} int64 [B], {@code category_bucket} int64 [B], {@code dense} float32 [B, denseSize}.
 * The hidden state {@code h} is the caller's (zeros at session start, then the previous {@code h_next}).
 *
 * <p>Besides the event itself, the dense input holds the spec's {@code contextFeatures}: what the session state
 * knew before the event ({@link SessionContext}: cart, items seen, time in session, its prices, whether the user
 * bought before). They describe a shopper's progress in terms every shop shares, unlike hashed item ids.
 *
 * <p>Mirrors {@code Encoder} in onnx-models/training/train_intent.py; both read the "intent" section of
 * feature_spec.json, and IntentFeatureEncoderTest checks this class against the golden vectors. Pure and
 * thread-safe.
 */
public final class IntentFeatureEncoder {
    /** The encoded values of one event (one row of a batch). */
    public record Encoded(long itemBucket, long categoryBucket, float[] dense) {
    }

    /**
     * The session state before the event, as the rules of the spec's {@code contextState} define it (the job reads
     * it from OpenSession and UserProfile).
     *
     * @param startTs      the session's earliest event time
     * @param items        the session's recent item ids, newest last (the rules read the last {@code itemWindow})
     * @param pricedEvents events with a price &gt;= 0 so far
     * @param logPriceSum  the sum of ln(1 + price) over those events
     * @param boughtBefore the user has an order before this event
     */
    public record SessionContext(long startTs, int cartSize, double cartValue, String[] items, int pricedEvents,
                                 double logPriceSum, boolean boughtBefore) {
        /** A session's first event of a user who never ordered. */
        public static SessionContext first(long ts) {
            return new SessionContext(ts, 0, 0.0, new String[0], 0, 0.0, false);
        }
    }

    private final String[] eventTypes;
    private final String[] contextFeatures;
    private final int itemWindow;
    private final double relativePriceClip;
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
        this.contextFeatures = s.has("contextFeatures") ? strings(s, "contextFeatures") : new String[0];
        for (String f : contextFeatures) {
            if (!CONTEXT_RULES.contains(f)) {
                throw new IllegalArgumentException("intent spec: unknown context feature '" + f + "'");
            }
        }
        this.itemWindow = s.path("itemWindow").asInt(20);
        this.relativePriceClip = s.path("relativePriceClip").asDouble(3.0);
        this.denseSize = eventTypes.length + dwellBucketCount() + priceBucketCount() + positionBucketCount()
                + contextFeatures.length;
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
     * @param previousTimestampMs the session's latest event time before this event, or null for the first event
     * @param context             the session state before the event
     */
    public Encoded encode(ShopEvent event, Long previousTimestampMs, int position, SessionContext context) {
        float[] dense = new float[denseSize];
        encodeDense(event, previousTimestampMs, position, context, dense, 0);
        return new Encoded(IdHash.bucket(event.itemId(), itemBuckets),
                IdHash.bucket(event.categoryId(), categoryBuckets), dense);
    }

    /** Writes the dense features into {@code out[offset .. offset + denseSize)} (for batch buffers). */
    public void encodeDense(ShopEvent event, Long previousTimestampMs, int position, SessionContext context,
                            float[] out, int offset) {
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
        o += positionBucketCount();
        for (int i = 0; i < contextFeatures.length; i++) {
            out[o + i] = (float) contextValue(contextFeatures[i], event, context);
        }
    }

    private static final Set<String> CONTEXT_RULES = Set.of("log_cart_items", "log_cart_value",
            "item_seen_before", "log_item_repeats", "repeat_fraction", "log_session_seconds", "relative_log_price",
            "bought_before");

    /** One context feature by the spec's featureRules (train_intent.py Encoder.context_values). */
    double contextValue(String feature, ShopEvent e, SessionContext c) {
        return switch (feature) {
            case "log_cart_items" -> Math.log1p(c.cartSize());
            case "log_cart_value" -> Math.log1p(c.cartValue());
            case "item_seen_before" -> itemHits(e.itemId(), c.items()) > 0 ? 1.0 : 0.0;
            case "log_item_repeats" -> Math.log1p(itemHits(e.itemId(), c.items()));
            case "repeat_fraction" -> repeatFraction(c.items());
            case "log_session_seconds" -> Math.log1p(Math.max(0L, e.timestampMs() - c.startTs()) / 1000.0);
            case "relative_log_price" -> relativeLogPrice(e.price(), c);
            case "bought_before" -> c.boughtBefore() ? 1.0 : 0.0;
            default -> throw new IllegalStateException(feature); // rejected when the spec was read
        };
    }

    private int windowStart(String[] items) {
        return Math.max(0, items.length - itemWindow);
    }

    private int itemHits(String itemId, String[] items) {
        if (itemId == null) {
            return 0;
        }
        int n = 0;
        for (int i = windowStart(items); i < items.length; i++) {
            if (itemId.equals(items[i])) {
                n++;
            }
        }
        return n;
    }

    private double repeatFraction(String[] items) {
        int from = windowStart(items);
        int count = items.length - from;
        if (count == 0) {
            return 0.0;
        }
        int distinct = 0; // at most itemWindow ids: a scan, no set allocated per event
        for (int i = from; i < items.length; i++) {
            boolean earlier = false;
            for (int j = from; j < i && !earlier; j++) {
                earlier = items[i].equals(items[j]);
            }
            distinct += earlier ? 0 : 1;
        }
        return 1.0 - (double) distinct / count;
    }

    private double relativeLogPrice(Double price, SessionContext c) {
        if (price == null || !(price >= 0) || c.pricedEvents() == 0) {
            return 0.0;
        }
        double rel = Math.log1p(price) - c.logPriceSum() / c.pricedEvents();
        return Math.max(-relativePriceClip, Math.min(relativePriceClip, rel));
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
