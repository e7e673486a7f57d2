package com.shopsense.features;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Inputs and outputs of the recommender (onnx-models/recommend/recommend.onnx): the session's last
 * {@code windowSize} item ids become the left-padded int64 {@code items} row, and the graph's
 * {@code topk_ids} map back to item id strings through the vocabulary file named in the "recommend"
 * section of feature_spec.json (path relative to the spec's directory; line i = id of index i,
 * 0 = padding, 1 = unknown). Mirrors train_recommend.py; RecommendInputEncoderTest checks it against
 * the golden vectors. Immutable and thread-safe.
 */
public final class RecommendInputEncoder {
    private final List<String> vocabulary;
    private final Map<String, Integer> index;
    private final int windowSize;
    private final int topK;
    private final int padIndex;
    private final int unknownIndex;

    private RecommendInputEncoder(JsonNode s, List<String> vocabulary) {
        this.vocabulary = List.copyOf(vocabulary);
        this.windowSize = s.path("windowSize").asInt(0);
        this.topK = s.path("topK").asInt(0);
        this.padIndex = s.path("padIndex").asInt(0);
        this.unknownIndex = s.path("unknownIndex").asInt(1);
        if (windowSize <= 0 || topK <= 0) {
            throw new IllegalArgumentException("recommend spec needs positive windowSize and topK");
        }
        Map<String, Integer> m = new HashMap<>(vocabulary.size() * 2);
        for (int i = 0; i < vocabulary.size(); i++) {
            if (i != padIndex && i != unknownIndex) {
                m.putIfAbsent(vocabulary.get(i), i);
            }
        }
        this.index = Collections.unmodifiableMap(m);
    }

    /** Loads the spec file and the vocabulary it names (relative to the spec file's directory). */
    public static RecommendInputEncoder load(Path featureSpecFile) {
        FeatureSpec spec = FeatureSpec.load(featureSpecFile);
        Path dir = featureSpecFile.toAbsolutePath().getParent();
        return fromSpec(spec, dir);
    }

    /** @param specDir the directory the spec's vocabularyFile is relative to */
    public static RecommendInputEncoder fromSpec(FeatureSpec spec, Path specDir) {
        JsonNode s = spec.section("recommend");
        String file = s.path("vocabularyFile").asText("");
        if (file.isEmpty()) {
            throw new IllegalArgumentException("recommend spec lacks 'vocabularyFile'");
        }
        return fromSection(s, specDir.resolve(file));
    }

    public static RecommendInputEncoder fromSection(JsonNode recommendSection, Path vocabularyFile) {
        try {
            List<String> lines = new ArrayList<>(Files.readAllLines(vocabularyFile, StandardCharsets.UTF_8));
            while (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
                lines.remove(lines.size() - 1);
            }
            return new RecommendInputEncoder(recommendSection, lines);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read vocabulary " + vocabularyFile, e);
        }
    }

    /** Vocabulary index of an item id: unknownIndex for ids outside the vocabulary or null. */
    public long indexOf(String itemId) {
        if (itemId == null) {
            return unknownIndex;
        }
        Integer i = index.get(itemId);
        return i == null ? unknownIndex : i;
    }

    /**
     * Whether the model sees any known item in a session's item ids (oldest first): false when every one of the
     * last windowSize is outside the vocabulary, so the model's input would be unknown tokens only.
     */
    public boolean knowsAny(List<String> itemIds) {
        for (int i = Math.max(0, itemIds.size() - windowSize); i < itemIds.size(); i++) {
            if (indexOf(itemIds.get(i)) != unknownIndex) {
                return true;
            }
        }
        return false;
    }

    /** {@link #knowsAny(List)} of an encoded row ({@link #encode}): any entry is an item of the vocabulary. */
    public boolean knowsAny(long[] row) {
        for (long id : row) {
            if (id != padIndex && id != unknownIndex) {
                return true;
            }
        }
        return false;
    }

    /** The model row for a session's item ids (oldest first): the last windowSize, right-aligned, padIndex before. */
    public long[] encode(List<String> itemIds) {
        long[] row = new long[windowSize];
        encodeInto(itemIds, row, 0);
        return row;
    }

    /** Writes the row into {@code out[offset .. offset + windowSize)} (for batch buffers). */
    public void encodeInto(List<String> itemIds, long[] out, int offset) {
        int n = Math.min(windowSize, itemIds.size());
        int pad = windowSize - n;
        for (int i = 0; i < pad; i++) {
            out[offset + i] = padIndex;
        }
        int from = itemIds.size() - n;
        for (int i = 0; i < n; i++) {
            out[offset + pad + i] = indexOf(itemIds.get(from + i));
        }
    }

    /** Item ids for the graph's topk_ids row; padding, unknown and out-of-range indexes are dropped. */
    public List<String> decode(long[] topkIds) {
        List<String> out = new ArrayList<>(topkIds.length);
        for (long id : topkIds) {
            if (id != padIndex && id != unknownIndex && id >= 0 && id < vocabulary.size()) {
                out.add(vocabulary.get((int) id));
            }
        }
        return out;
    }

    public int windowSize() {
        return windowSize;
    }

    public int topK() {
        return topK;
    }

    /** Vocabulary size including padding and unknown. */
    public int vocabularySize() {
        return vocabulary.size();
    }
}
