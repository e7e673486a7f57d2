package com.shopsense.features;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Java recommender encoder reproduces the golden inputs and maps topk ids back to item ids. */
class RecommendInputEncoderTest {
    private static final Path SPEC = Path.of("onnx-models/feature_spec.json");
    private static final Path GOLDEN = Path.of("onnx-models/golden/recommend.json");

    private final RecommendInputEncoder encoder = RecommendInputEncoder.load(SPEC);

    @Test
    void reproducesGoldenInputsAndDecodesGoldenOutputs() throws IOException {
        JsonNode golden = new ObjectMapper().readTree(GOLDEN.toFile());
        assertThat(golden.path("model").asText()).isEqualTo("recommend");
        JsonNode cases = golden.path("cases");
        assertThat(cases.size()).isGreaterThanOrEqualTo(8);
        boolean sawUnknown = false;
        boolean sawShort = false;
        for (int c = 0; c < cases.size(); c++) {
            JsonNode kase = cases.get(c);
            List<String> items = new ArrayList<>();
            kase.path("items").forEach(n -> items.add(n.asText()));
            JsonNode in = kase.path("inputs").path("items");
            assertThat(in.path("shape").get(0).asInt()).isEqualTo(1);
            assertThat(in.path("shape").get(1).asInt()).isEqualTo(encoder.windowSize());
            long[] expected = new long[in.path("data").size()];
            for (int i = 0; i < expected.length; i++) {
                expected[i] = in.path("data").get(i).asLong();
            }
            assertThat(encoder.encode(items)).as("case %d items", c).containsExactly(expected);

            JsonNode ids = kase.path("outputs").path("topk_ids");
            assertThat(ids.path("shape").get(1).asInt()).isEqualTo(encoder.topK());
            long[] topk = new long[ids.path("data").size()];
            for (int i = 0; i < topk.length; i++) {
                topk[i] = ids.path("data").get(i).asLong();
            }
            List<String> top = new ArrayList<>();
            kase.path("topItemIds").forEach(n -> top.add(n.asText()));
            assertThat(encoder.decode(topk)).as("case %d topItemIds", c).containsExactlyElementsOf(top).hasSize(encoder.topK());

            sawUnknown |= items.stream().anyMatch(it -> encoder.indexOf(it) == 1);
            sawShort |= items.size() < encoder.windowSize();
        }
        assertThat(sawUnknown).as("a golden case with an unknown item").isTrue();
        assertThat(sawShort).as("a golden case shorter than the window").isTrue();
    }

    /** golden trimmedCases: each row is the encoded window without the batch's common leading padding columns. */
    @Test
    void goldenTrimmedInputsAreTheEncodedWindowsLessTheirCommonLeadingPadding() throws IOException {
        JsonNode cases = new ObjectMapper().readTree(GOLDEN.toFile()).path("trimmedCases");
        assertThat(cases.size()).isGreaterThanOrEqualTo(3);
        for (JsonNode kase : cases) {
            JsonNode in = kase.path("inputs").path("items");
            int rows = in.path("shape").get(0).asInt();
            int width = in.path("shape").get(1).asInt();
            assertThat(kase.path("items").size()).isEqualTo(rows);
            int firstReal = encoder.windowSize();
            for (int k = 0; k < rows; k++) {
                List<String> items = new ArrayList<>();
                kase.path("items").get(k).forEach(n -> items.add(n.asText()));
                long[] row = encoder.encode(items);
                int f = 0;
                while (f < row.length && row[f] == 0) {
                    f++;
                }
                firstReal = Math.min(firstReal, f);
                for (int i = 0; i < width; i++) {
                    assertThat(in.path("data").get(k * width + i).asLong()).as("%s row %d column %d",
                            kase.path("note").asText(), k, i).isEqualTo(row[encoder.windowSize() - width + i]);
                }
            }
            assertThat(width).as(kase.path("note").asText()).isEqualTo(encoder.windowSize() - firstReal);
        }
    }

    @Test
    void padsLeftKeepsTheLastWindowAndMapsUnknown() {
        assertThat(encoder.indexOf("surely-not-an-item")).isEqualTo(1);
        assertThat(encoder.indexOf(null)).isEqualTo(1);
        long[] row = encoder.encode(List.of("surely-not-an-item"));
        assertThat(row).hasSize(encoder.windowSize());
        assertThat(row[row.length - 1]).isEqualTo(1);
        assertThat(row[0]).isZero();
        List<String> many = new ArrayList<>();
        for (int i = 0; i < encoder.windowSize() + 5; i++) {
            many.add("x" + i);
        }
        many.set(many.size() - 1, "y");
        assertThat(encoder.encode(many)).containsOnly(1L);
        assertThat(encoder.decode(new long[] {0, 1, 2, Long.MAX_VALUE})).hasSize(1);
    }

    @Test
    void theModelCanServeASessionOnlyWhenOneOfItsLastWindowItemsIsInTheVocabulary() throws Exception {
        java.util.List<String> vocab = java.nio.file.Files.readAllLines(Path.of("onnx-models/recommend/items.txt"));
        String known = vocab.get(5);
        List<String> unknown = java.util.Collections.nCopies(encoder.windowSize(), "never-seen-item");
        assertThat(encoder.knowsAny(List.of())).as("no items").isFalse();
        assertThat(encoder.knowsAny(unknown)).isFalse();
        java.util.ArrayList<String> recentKnown = new java.util.ArrayList<>(unknown);
        recentKnown.set(recentKnown.size() - 1, known);
        assertThat(encoder.knowsAny(recentKnown)).isTrue();
        java.util.ArrayList<String> knownTooLongAgo = new java.util.ArrayList<>(List.of(known));
        knownTooLongAgo.addAll(unknown); // outside the model's window: it would not see it
        assertThat(encoder.knowsAny(knownTooLongAgo)).isFalse();
        for (List<String> items : List.of(List.<String>of(), unknown, recentKnown, knownTooLongAgo, List.of(known))) {
            assertThat(encoder.knowsAny(encoder.encode(items))).as("the encoded row says the same of %s", items)
                    .isEqualTo(encoder.knowsAny(items));
        }
    }

    /** Any mix of known, unknown and missing ids and any length: the row answers as the ids do. */
    @net.jqwik.api.Property(tries = 300)
    void theEncodedRowKnowsWhatTheIdsKnow(@net.jqwik.api.ForAll("sessions") List<String> items) {
        assertThat(encoder.knowsAny(encoder.encode(items))).isEqualTo(encoder.knowsAny(items));
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<List<String>> sessions() throws IOException {
        List<String> vocab = java.nio.file.Files.readAllLines(Path.of("onnx-models/recommend/items.txt"));
        net.jqwik.api.Arbitrary<String> known = net.jqwik.api.Arbitraries.of(vocab.subList(0, 200));
        net.jqwik.api.Arbitrary<String> unknown = net.jqwik.api.Arbitraries.strings().alpha().ofLength(12);
        return net.jqwik.api.Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(1, known), net.jqwik.api.Tuple.of(6, unknown),
                net.jqwik.api.Tuple.of(1, net.jqwik.api.Arbitraries.just((String) null)))
                .list().ofMaxSize(3 * encoder.windowSize());
    }
}
