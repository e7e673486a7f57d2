package com.shopsense.inference;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OrtEnvironment;
import com.fasterxml.jackson.databind.JsonNode;
import com.shopsense.features.FeatureSpec;
import com.shopsense.features.RecommendInputEncoder;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * The demo shop's recommender (onnx-models/demo-taobao, what the local run serves through recommend.models-dir):
 * a models directory of its own that loads with its checksum verified, knows only items of the shop's earlier
 * history (the bundled first 50,000 Taobao rows it was trained on), and reproduces its PyTorch goldens through the
 * Java encoder and ONNX Runtime, its scores being probabilities.
 */
class DemoRecommenderParityTest {
    private static final Path DIR = Path.of("onnx-models", "demo-taobao");
    private static final Path FIRST_PART = Path.of("deploy/demo-data/taobao-userbehavior/UserBehavior_demo.csv.gz");
    /** Probabilities are small: relative to the score, with a floor far below any score that matters. */
    private static final double RELATIVE = 1e-3;
    private static final double FLOOR = 1e-7;

    private static final FeatureSpec SPEC = FeatureSpec.load(DIR.resolve("feature_spec.json"));

    @Test
    void theDirectoryHoldsOnlyARecommenderOfTheSharedFeatureSpec() {
        ModelManifest manifest = ModelManifest.load(new ModelSource(DIR.toString()));
        assertThat(manifest.models().keySet()).containsExactly("recommend");
        assertThat(manifest.featureSpecVersion()).isEqualTo(SPEC.version())
                .isEqualTo(FeatureSpec.load(Path.of("onnx-models/feature_spec.json")).version());
        // the sessionizer builds the windows from the main spec: the demo's recommend section must agree
        assertThat(SPEC.section("recommend").get("windowSize"))
                .isEqualTo(FeatureSpec.load(Path.of("onnx-models/feature_spec.json")).section("recommend").get("windowSize"));
        assertThat(SPEC.section("recommend").get("itemEvents"))
                .isEqualTo(FeatureSpec.load(Path.of("onnx-models/feature_spec.json")).section("recommend").get("itemEvents"));
    }

    @Test
    void everyItemItKnowsIsAnItemOfTheShopsEarlierHistory() throws Exception {
        Set<String> earlier = new HashSet<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(FIRST_PART)), StandardCharsets.UTF_8))) {
            r.lines().forEach(l -> earlier.add(l.split(",", 3)[1]));
        }
        List<String> vocab = Files.readAllLines(DIR.resolve("recommend/items.txt"));
        assertThat(vocab.subList(0, 2)).containsExactly("<pad>", "<unk>");
        assertThat(vocab.size()).isGreaterThan(1_000);
        assertThat(earlier).containsAll(vocab.subList(2, vocab.size()));
    }

    @Test
    void reproducesTheGoldenTopKAsProbabilities() throws Exception {
        ModelSource source = new ModelSource(DIR.toString());
        RecommendInputEncoder enc = RecommendInputEncoder.fromSpec(SPEC, DIR);
        try (LoadedModel m = LoadedModel.load(OrtEnvironment.getEnvironment(), source,
                ModelManifest.load(source).model("recommend"), RuntimeOptions.cpu(DIR.toString()))) {
            ModelBatcher b = new ModelBatcher(OrtEnvironment.getEnvironment(), m, 8, java.time.Duration.ofMillis(1));
            ModelEntry e = m.entry();
            int cases = 0;
            for (JsonNode c : Goldens.cases(DIR.resolve("golden/recommend.json"), "cases")) {
                List<String> items = new ArrayList<>();
                c.get("items").forEach(i -> items.add(i.asText()));
                Object[] out = b.submit(ModelInputs.ordered(e, Map.of("items", enc.encode(items)))).get();
                float[] scores = (float[]) out[ModelInputs.outputIndex(e, "topk_scores")];
                float[] expected = Goldens.floats(c.get("outputs").get("topk_scores"));
                assertThat(scores).hasSameSizeAs(expected);
                double sum = 0;
                for (int k = 0; k < expected.length; k++) {
                    assertThat((double) scores[k]).as("%s, score %d", c.get("note").asText(), k)
                            .isBetween(expected[k] - RELATIVE * expected[k] - FLOOR, expected[k] + RELATIVE * expected[k] + FLOOR);
                    assertThat(scores[k]).isBetween(0f, 1f);
                    sum += scores[k];
                }
                assertThat(sum).as("probabilities of distinct next items").isLessThanOrEqualTo(1.0 + 1e-5);
                List<String> expectedIds = new ArrayList<>();
                c.get("topItemIds").forEach(i -> expectedIds.add(i.asText()));
                assertThat(enc.decode((long[]) out[ModelInputs.outputIndex(e, "topk_ids")])).isEqualTo(expectedIds);
                cases++;
            }
            assertThat(cases).isGreaterThanOrEqualTo(8);
            b.close();
        }
    }
}
