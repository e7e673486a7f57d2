package com.shopsense.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.OrtEnvironment;
import com.fasterxml.jackson.databind.JsonNode;
import com.shopsense.event.ShopEvent;
import com.shopsense.features.ChurnFeatureEncoder;
import com.shopsense.features.FeatureSpec;
import com.shopsense.features.FraudFeatureEncoder;
import com.shopsense.features.IntentFeatureEncoder;
import com.shopsense.features.OrderHistory;
import com.shopsense.features.PaymentHistory;
import com.shopsense.features.RecommendInputEncoder;
import com.shopsense.features.ReviewTokenizer;
import com.shopsense.testing.IntentSessionReplay;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Training and serving cannot drift apart: every model in the manifest loads in ONNX Runtime with
 * its checksum verified, and the Java encoders + ORT reproduce the PyTorch golden outputs from the
 * raw events (max abs diff < 1e-4).
 */
class ModelParityTest {
    private static final double TOLERANCE = 1e-4;
    private static final RuntimeOptions CPU = RuntimeOptions.cpu("onnx-models");
    private static final FeatureSpec SPEC = FeatureSpec.load(Path.of("onnx-models/feature_spec.json"));
    private static final List<LoadedModel> LOADED = new ArrayList<>();

    @BeforeAll
    static void loadEveryModelInTheManifest() {
        ModelManifest manifest = ModelManifest.load(new ModelSource("onnx-models"));
        assertThat(manifest.models().keySet()).containsExactlyInAnyOrder("intent", "recommend", "churn", "fraud", "review");
        assertThat(manifest.featureSpecVersion()).isEqualTo(SPEC.version());
    }

    @AfterAll
    static void closeModels() throws Exception {
        for (LoadedModel m : LOADED) {
            m.close();
        }
    }

    private static ModelBatcher batcher(String name) {
        ModelSource source = new ModelSource("onnx-models");
        LoadedModel m = LoadedModel.load(OrtEnvironment.getEnvironment(), source,
                ModelManifest.load(source).model(name), CPU);
        LOADED.add(m);
        return new ModelBatcher(OrtEnvironment.getEnvironment(), m, 8, java.time.Duration.ofMillis(1));
    }

    private static Object[] run(ModelBatcher b, Map<String, Object> inputs) throws Exception {
        return b.submit(ModelInputs.ordered(b.model().entry(), inputs)).get();
    }

    private static void assertClose(float[] actual, float[] expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            assertThat((double) actual[i]).as("element %d", i).isCloseTo(expected[i], within(TOLERANCE));
        }
    }

    @Test
    void intentStepModelCarriesTheHiddenStateLikeTraining() throws Exception {
        IntentFeatureEncoder enc = IntentFeatureEncoder.fromSpec(SPEC);
        ModelBatcher b = batcher("intent");
        ModelEntry e = b.model().entry();
        int steps = 0;
        for (JsonNode c : Goldens.cases("intent")) {
            float[] h = enc.initialHidden();
            IntentSessionReplay session = IntentSessionReplay.of(enc, c);
            for (int t = 0; t < c.get("events").size(); t++) {
                ShopEvent ev = Goldens.event(c.get("events").get(t));
                IntentFeatureEncoder.Encoded x = session.next(ev);
                Object[] out = run(b, Map.of("item_bucket", new long[] {x.itemBucket()},
                        "category_bucket", new long[] {x.categoryBucket()}, "dense", x.dense(), "h", h));
                JsonNode expected = c.get("steps").get(t).get("outputs");
                assertClose((float[]) out[ModelInputs.outputIndex(e, "p_purchase")], Goldens.floats(expected.get("p_purchase")));
                h = (float[]) out[ModelInputs.outputIndex(e, "h_next")];
                assertClose(h, Goldens.floats(expected.get("h_next")));
                steps++;
            }
        }
        assertThat(steps).isGreaterThan(8);
        b.close();
    }

    /**
     * The intent operator's path: every golden session's step t in one directly run batch (flat inputs, run on
     * this thread), the sessions' hidden states carried by offset, against the same goldens.
     */
    @Test
    void intentGoldensThroughTheDirectBatchedPath() throws Exception {
        IntentFeatureEncoder enc = IntentFeatureEncoder.fromSpec(SPEC);
        ModelBatcher b = batcher("intent");
        ModelEntry e = b.model().entry();
        int hSize = e.input("h").exampleSize();
        int dSize = e.input("dense").exampleSize();
        List<JsonNode> cases = new ArrayList<>();
        Goldens.cases("intent").forEach(cases::add);
        int n = cases.size();
        float[][] h = new float[n][];
        IntentSessionReplay[] sessions = new IntentSessionReplay[n];
        for (int c = 0; c < n; c++) {
            h[c] = enc.initialHidden();
            sessions[c] = IntentSessionReplay.of(enc, cases.get(c));
        }
        Object[] inputs = new Object[e.inputs().size()];
        long[] items = new long[n];
        long[] categories = new long[n];
        float[] dense = new float[n * dSize];
        float[] hidden = new float[n * hSize];
        inputs[ModelInputs.inputIndex(e, "item_bucket")] = items;
        inputs[ModelInputs.inputIndex(e, "category_bucket")] = categories;
        inputs[ModelInputs.inputIndex(e, "dense")] = dense;
        inputs[ModelInputs.inputIndex(e, "h")] = hidden;
        int steps = 0;
        int widest = 0;
        for (int t = 0; ; t++) {
            List<Integer> active = new ArrayList<>();
            for (int c = 0; c < n; c++) {
                if (t < cases.get(c).get("events").size()) {
                    active.add(c);
                }
            }
            if (active.isEmpty()) {
                break;
            }
            for (int k = 0; k < active.size(); k++) {
                int c = active.get(k);
                ShopEvent ev = Goldens.event(cases.get(c).get("events").get(t));
                IntentFeatureEncoder.Encoded x = sessions[c].next(ev);
                items[k] = x.itemBucket();
                categories[k] = x.categoryBucket();
                System.arraycopy(x.dense(), 0, dense, k * dSize, dSize);
                System.arraycopy(h[c], 0, hidden, k * hSize, hSize);
            }
            Object[] out = b.tryRunDirect(active.size(), inputs);
            float[] p = (float[]) out[ModelInputs.outputIndex(e, "p_purchase")];
            float[] hNext = (float[]) out[ModelInputs.outputIndex(e, "h_next")];
            assertThat(p).hasSize(active.size());
            for (int k = 0; k < active.size(); k++) {
                int c = active.get(k);
                JsonNode expected = cases.get(c).get("steps").get(t).get("outputs");
                assertClose(new float[] {p[k]}, Goldens.floats(expected.get("p_purchase")));
                h[c] = java.util.Arrays.copyOfRange(hNext, k * hSize, (k + 1) * hSize);
                assertClose(h[c], Goldens.floats(expected.get("h_next")));
                steps++;
            }
            widest = Math.max(widest, active.size());
        }
        assertThat(steps).isGreaterThan(8);
        assertThat(widest).as("golden sessions scored side by side").isGreaterThan(1);
        assertThat(b.stats().requests()).isEqualTo(steps);
        b.close();
    }

    @Test
    void recommenderReturnsTheGoldenTopK() throws Exception {
        RecommendInputEncoder enc = RecommendInputEncoder.fromSpec(SPEC, Path.of("onnx-models"));
        ModelBatcher b = batcher("recommend");
        ModelEntry e = b.model().entry();
        for (JsonNode c : Goldens.cases("recommend")) {
            List<String> items = new ArrayList<>();
            c.get("items").forEach(i -> items.add(i.asText()));
            Object[] out = run(b, Map.of("items", enc.encode(items)));
            float[] scores = (float[]) out[ModelInputs.outputIndex(e, "topk_scores")];
            assertClose(scores, Goldens.floats(c.get("outputs").get("topk_scores")));
            // probabilities of distinct next items (docs/redis.md), not logits
            double sum = 0;
            for (float p : scores) {
                assertThat(p).isBetween(0f, 1f);
                sum += p;
            }
            assertThat(sum).isLessThanOrEqualTo(1.0 + 1e-5);
            List<String> expectedIds = new ArrayList<>();
            c.get("topItemIds").forEach(i -> expectedIds.add(i.asText()));
            assertThat(enc.decode((long[]) out[ModelInputs.outputIndex(e, "topk_ids")])).isEqualTo(expectedIds);
        }
        b.close();
    }

    /**
     * golden trimmedCases: batches of windows without their common leading padding columns. The graph on that
     * narrow tensor reproduces PyTorch, and the same sessions sent as whole windows through the batcher (which
     * trims them the same way) give the same outputs.
     */
    @Test
    void recommenderReturnsTheGoldenTopKOnTrimmedWindows() throws Exception {
        RecommendInputEncoder enc = RecommendInputEncoder.fromSpec(SPEC, Path.of("onnx-models"));
        ModelBatcher b = batcher("recommend");
        ModelEntry e = b.model().entry();
        int idsOut = ModelInputs.outputIndex(e, "topk_ids");
        int scoresOut = ModelInputs.outputIndex(e, "topk_scores");
        int narrow = 0;
        for (JsonNode c : Goldens.cases("trimmedCases", "recommend")) {
            JsonNode in = c.get("inputs").get("items");
            long[] shape = {in.get("shape").get(0).asLong(), in.get("shape").get(1).asLong()};
            float[] expectedScores = Goldens.floats(c.get("outputs").get("topk_scores"));
            long[] expectedIds = Goldens.longs(c.get("outputs").get("topk_ids"));
            try (ai.onnxruntime.OnnxTensor t = ai.onnxruntime.OnnxTensor.createTensor(OrtEnvironment.getEnvironment(),
                    java.nio.LongBuffer.wrap(Goldens.longs(in)), shape);
                    ai.onnxruntime.OrtSession.Result r = b.model().session().run(Map.of("items", t))) {
                float[][] sc = (float[][]) r.get(scoresOut).getValue();
                long[][] ids = (long[][]) r.get(idsOut).getValue();
                for (int k = 0; k < shape[0]; k++) {
                    assertClose(sc[k], java.util.Arrays.copyOfRange(expectedScores, k * 20, k * 20 + 20));
                    assertThat(ids[k]).containsExactly(java.util.Arrays.copyOfRange(expectedIds, k * 20, k * 20 + 20));
                }
            }
            List<long[]> rows = new ArrayList<>();
            for (JsonNode session : c.get("items")) {
                List<String> items = new ArrayList<>();
                session.forEach(i -> items.add(i.asText()));
                rows.add(enc.encode(items));
            }
            assertThat(enc.windowSize() - ModelBatcher.paddingColumns(rows.size(), rows::get, 0))
                    .as("%s: the batcher trims to the golden width", c.get("note").asText()).isEqualTo((int) shape[1]);
            narrow += shape[1] < enc.windowSize() ? 1 : 0;
            List<java.util.concurrent.CompletableFuture<Object[]>> got = new ArrayList<>();
            for (int k = 0; k < rows.size(); k++) {
                got.add(b.submit(new Object[] {rows.get(k)}, k == rows.size() - 1));
            }
            for (int k = 0; k < rows.size(); k++) {
                Object[] out = got.get(k).get();
                assertClose((float[]) out[scoresOut], java.util.Arrays.copyOfRange(expectedScores, k * 20, k * 20 + 20));
                List<String> top = new ArrayList<>();
                c.get("topItemIds").get(k).forEach(i -> top.add(i.asText()));
                assertThat(enc.decode((long[]) out[idsOut])).isEqualTo(top);
            }
        }
        assertThat(narrow).as("golden cases narrower than the window").isGreaterThanOrEqualTo(3);
        b.close();
    }

    @Test
    void churnModelScoresTheOrderHistoryLikeTraining() throws Exception {
        ChurnFeatureEncoder enc = ChurnFeatureEncoder.fromSpec(SPEC);
        ModelBatcher b = batcher("churn");
        for (JsonNode c : Goldens.cases("churn")) {
            OrderHistory h = enc.newHistory();
            c.get("events").forEach(ev -> h.add(Goldens.event(ev)));
            Object[] out = run(b, Map.of("periods", enc.encode(h, c.get("asOf").asLong())));
            assertClose((float[]) out[0], Goldens.floats(c.get("outputs").get("p_churn")));
        }
        b.close();
    }

    @Test
    void fraudModelScoresPaymentsAgainstTheirHistoryLikeTraining() throws Exception {
        FraudFeatureEncoder enc = FraudFeatureEncoder.fromSpec(SPEC);
        ModelBatcher b = batcher("fraud");
        for (JsonNode c : Goldens.cases("fraud")) {
            PaymentHistory h = enc.newHistory();
            c.get("history").forEach(ev -> h.add(Goldens.event(ev)));
            var payment = Goldens.event(c.get("current"));
            FraudFeatureEncoder.Encoded x = enc.encode(h, payment);
            float[] current = com.shopsense.features.GoldenLabels.withFeedback(enc, c, payment, x.current());
            Object[] out = run(b, Map.of("history", x.history(), "current", current));
            assertClose((float[]) out[0], Goldens.floats(c.get("outputs").get("p_fraud")));
        }
        b.close();
    }

    /**
     * The review model: ReviewTokenizer gives the trainer's ids for every golden text (English, Chinese, mixed,
     * emoji, empty, whitespace, truncated mid-character), and ORT on them gives PyTorch's outputs, one text at a
     * time, all of them in one right-padded batch, and through the batcher with rows padded to the full window.
     */
    @Test
    void reviewTokenizerAndModelReproduceTheGoldens() throws Exception {
        ReviewTokenizer tok = ReviewTokenizer.fromSpec(SPEC);
        ModelBatcher b = batcher("review");
        ModelEntry e = b.model().entry();
        int negOut = ModelInputs.outputIndex(e, "p_negative");
        int ratingOut = ModelInputs.outputIndex(e, "rating");
        List<String> texts = new ArrayList<>();
        int truncated = 0;
        for (JsonNode c : Goldens.cases("review")) {
            String text = c.get("text").asText();
            long[] ids = tok.encode(text);
            assertThat(ids).as("ids of %s", c.get("text")).containsExactly(Goldens.longs(c.get("inputs").get("input_ids")));
            Object[] out = runReview(b, ids, 1, ids.length);
            assertClose((float[]) out[negOut], Goldens.floats(c.get("outputs").get("p_negative")));
            assertClose((float[]) out[ratingOut], Goldens.floats(c.get("outputs").get("rating")));
            float[] rating = (float[]) out[ratingOut];
            assertThat(rating[0]).isBetween(1f, 5f);
            long[] window = java.util.Arrays.copyOf(ids, tok.maxTokens());
            Object[] viaBatcher = b.submit(new Object[] {window}).get();
            assertClose((float[]) viaBatcher[negOut], Goldens.floats(c.get("outputs").get("p_negative")));
            truncated += c.get("text").asText().getBytes(java.nio.charset.StandardCharsets.UTF_8).length
                    >= tok.maxTokens() ? 1 : 0;
            texts.add(text);
        }
        assertThat(texts).hasSizeBetween(20, 40).contains("");
        assertThat(truncated).as("golden texts longer than the row").isGreaterThanOrEqualTo(3);
        int[] width = new int[1];
        long[] batch = tok.encodeBatch(texts, width);
        JsonNode golden = Goldens.cases("batch", "review");
        assertThat(batch).containsExactly(Goldens.longs(golden.get("inputs").get("input_ids")));
        Object[] out = runReview(b, batch, texts.size(), width[0]);
        assertClose((float[]) out[negOut], Goldens.floats(golden.get("outputs").get("p_negative")));
        assertClose((float[]) out[ratingOut], Goldens.floats(golden.get("outputs").get("rating")));
        b.close();
    }

    private static Object[] runReview(ModelBatcher b, long[] ids, int rows, int width) throws Exception {
        try (ai.onnxruntime.OnnxTensor t = ai.onnxruntime.OnnxTensor.createTensor(OrtEnvironment.getEnvironment(),
                java.nio.LongBuffer.wrap(ids), new long[] {rows, width});
                ai.onnxruntime.OrtSession.Result r = b.model().session().run(Map.of("input_ids", t))) {
            Object[] out = new Object[r.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = r.get(i).getValue();
            }
            return out;
        }
    }
}
