package com.shopsense.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.shopsense.features.FeatureSpec;
import com.shopsense.features.FraudFeatureEncoder;
import com.shopsense.features.RecommendInputEncoder;
import com.shopsense.event.EventType;
import com.shopsense.event.ShopEvent;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * The batcher batches when many callers are active, and a lone request still returns within the time cap; a
 * left-padded window input (the recommender) runs without the batch's common leading padding, same results.
 */
class ModelBatcherTest {
    private static final FraudFeatureEncoder ENC =
            FraudFeatureEncoder.fromSpec(FeatureSpec.load(Path.of("onnx-models/feature_spec.json")));

    private static Object[] request(int i) {
        ShopEvent p = ShopEvent.builder("e" + i, "u" + i, EventType.PAYMENT, 1_700_000_000_000L).amount(10.0 + i)
                .merchantId("m" + i).build();
        FraudFeatureEncoder.Encoded x = ENC.encode(ENC.newHistory(), p);
        return new Object[] {x.history(), x.current()};
    }

    private static LoadedModel fraud() {
        ModelSource s = new ModelSource("onnx-models");
        return LoadedModel.load(OrtEnvironment.getEnvironment(), s, ModelManifest.load(s).model("fraud"),
                RuntimeOptions.cpu("onnx-models"));
    }

    @Test
    void manyConcurrentCallersShareBatches() throws Exception {
        try (LoadedModel m = fraud()) {
            ModelBatcher b = new ModelBatcher(OrtEnvironment.getEnvironment(), m, 64, Duration.ofMillis(20));
            List<CompletableFuture<Object[]>> all = new ArrayList<>();
            List<Thread> callers = new ArrayList<>();
            List<CompletableFuture<Object[]>> sync = java.util.Collections.synchronizedList(all);
            for (int t = 0; t < 4; t++) {
                int base = t * 1000;
                Thread th = new Thread(() -> {
                    for (int i = 0; i < 250; i++) {
                        sync.add(b.submit(request(base + i)));
                    }
                });
                callers.add(th);
                th.start();
            }
            for (Thread th : callers) {
                th.join();
            }
            for (CompletableFuture<Object[]> f : all) {
                assertThat(((float[]) f.get(10, TimeUnit.SECONDS)[0])[0]).isBetween(0f, 1f);
            }
            assertThat(b.stats().requests()).isEqualTo(1000);
            assertThat(b.stats().meanBatchSize()).isGreaterThan(1.0);
            b.close();
        }
    }

    @Test
    void aSingleRequestIsAnsweredWithinTheWaitCap() throws Exception {
        try (LoadedModel m = fraud()) {
            ModelBatcher b = new ModelBatcher(OrtEnvironment.getEnvironment(), m, 512, Duration.ofMillis(50));
            Object[] out = b.submit(request(1)).get(5, TimeUnit.SECONDS);
            assertThat(((float[]) out[0])).hasSize(1);
            assertThat(b.stats().batches()).isEqualTo(1);
            assertThat(b.stats().meanBatchSize()).isEqualTo(1.0);
            assertThat(b.stats().meanQueueWaitMillis()).as("waited for the cap, not for a full batch").isLessThan(1_000);
            b.close();
        }
    }

    @Test
    void aRequestMarkedRunNowStartsItsBatchWithoutWaitingForTheCap() throws Exception {
        try (LoadedModel m = fraud()) {
            // A cap no test would outlive: only runNow can start this batch.
            ModelBatcher b = new ModelBatcher(OrtEnvironment.getEnvironment(), m, 512, Duration.ofHours(1));
            List<CompletableFuture<Object[]>> own = List.of(b.submit(request(1)), b.submit(request(2)),
                    b.submit(request(3), true));
            for (CompletableFuture<Object[]> f : own) {
                assertThat(((float[]) f.get(30, TimeUnit.SECONDS)[0])).hasSize(1);
            }
            assertThat(b.stats().batches()).as("the caller's three requests ran as one batch").isEqualTo(1);
            assertThat(b.stats().meanBatchSize()).isEqualTo(3.0);
            b.close();
        }
    }

    /**
     * inference.async-timeout, enforced here (Flink's per-request Async I/O timer is off): a request the model has
     * not answered in the timeout fails with a TimeoutException naming the model and the option, and so do the
     * others waiting with it; the batcher answers the next requests as before.
     */
    @Test
    void aRequestNotAnsweredInTheTimeoutFailsAndSoDoTheOthersWaiting() throws Exception {
        try (LoadedModel m = fraud()) {
            // A wait cap far beyond the timeout holds the batch open: its requests stay unanswered.
            ModelBatcher b = new ModelBatcher(OrtEnvironment.getEnvironment(), m, 512, Duration.ofHours(1),
                    new BatchStats(), Duration.ofMillis(300));
            long start = System.nanoTime();
            List<CompletableFuture<Object[]>> held = List.of(b.submit(request(1)), b.submit(request(2)));
            for (CompletableFuture<Object[]> f : held) {
                assertThatThrownBy(() -> f.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(TimeoutException.class)
                        .hasMessageContaining("model fraud").hasMessageContaining("inference.async-timeout");
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("failed after the timeout, not at once")
                    .isGreaterThanOrEqualTo(Duration.ofMillis(300));
            assertThat(((float[]) b.submit(request(3), true).get(30, TimeUnit.SECONDS)[0])).as("answers afterwards")
                    .hasSize(1);
            b.close();
        }
    }

    @Test
    void requestsAnsweredInTimeNeverTimeOut() throws Exception {
        try (LoadedModel m = fraud()) {
            // A timeout far above a batch's milliseconds (a loaded CI machine must not fail it), and idle stretches
            // longer than the timeout: a request answered before one must not be timed out during it.
            ModelBatcher b = new ModelBatcher(OrtEnvironment.getEnvironment(), m, 8, Duration.ofMillis(5),
                    new BatchStats(), Duration.ofSeconds(1));
            List<CompletableFuture<Object[]>> all = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                all.add(b.submit(request(i)));
                if (i % 150 == 149) {
                    Thread.sleep(1_500);
                }
            }
            for (CompletableFuture<Object[]> f : all) {
                assertThat(((float[]) f.get(30, TimeUnit.SECONDS)[0])).hasSize(1);
            }
            assertThat(b.stats().failures()).isZero();
            b.close();
        }
    }

    @Test
    void closeFinishesQueuedRequestsBeforeReturning() throws Exception {
        try (LoadedModel m = fraud()) {
            ModelBatcher b = new ModelBatcher(OrtEnvironment.getEnvironment(), m, 16, Duration.ofMillis(200));
            List<CompletableFuture<Object[]>> pending = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                pending.add(b.submit(request(i)));
            }
            b.close();
            assertThat(pending).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
            assertThat(b.submit(request(99))).isCompletedExceptionally();
        }
    }

    @Test
    void trailingPaddingColumnsAreTheLastColumnsThatArePaddingInEveryRow() {
        List<long[]> rows = List.of(new long[] {1, 5, 6, 0, 0}, new long[] {1, 7, 0, 0, 0}, new long[] {1, 0, 0, 0, 0});
        assertThat(ModelBatcher.trailingPaddingColumns(3, rows::get, 0)).as("as wide as the longest row").isEqualTo(2);
        assertThat(ModelBatcher.trailingPaddingColumns(1, k -> rows.get(2), 0)).isEqualTo(4);
        assertThat(ModelBatcher.trailingPaddingColumns(1, k -> new long[5], 0)).as("at least one column stays")
                .isEqualTo(4);
        assertThat(ModelBatcher.trailingPaddingColumns(1, k -> new long[] {1, 4, 5, 6, 7}, 0)).isZero();
        assertThat(ModelBatcher.trailingPaddingColumns(1, k -> new long[] {1, 2, 3, 9, 9}, 9)).as("the padValue")
                .isEqualTo(2);
        assertThat(ModelBatcher.trailingPaddingColumns(0, rows::get, 0)).isZero();
    }

    @Test
    void paddingColumnsAreTheLeadingColumnsThatArePaddingInEveryRow() {
        List<long[]> rows = List.of(new long[] {0, 0, 0, 5, 6}, new long[] {0, 0, 7, 1, 8}, new long[] {0, 0, 0, 0, 9});
        assertThat(ModelBatcher.paddingColumns(3, rows::get, 0)).isEqualTo(2);
        assertThat(ModelBatcher.paddingColumns(1, k -> rows.get(2), 0)).as("at least one column stays").isEqualTo(4);
        assertThat(ModelBatcher.paddingColumns(1, k -> new long[] {3, 4, 5, 6, 7}, 0)).isZero();
        assertThat(ModelBatcher.paddingColumns(2, k -> k == 0 ? rows.get(2) : new long[5], 0))
                .as("a row of padding only keeps the whole window").isZero();
        assertThat(ModelBatcher.paddingColumns(1, k -> new long[] {9, 9, 2, 3, 4}, 9)).as("the manifest's padValue")
                .isEqualTo(2);
        assertThat(ModelBatcher.paddingColumns(0, rows::get, 0)).isZero();
    }

    /**
     * The shipped recommender through the batcher, batches trimmed of their common leading padding, against the
     * same ORT session on the whole [n, 20] windows: same top-20 ids, scores within 1e-5. Batches of 1, 8 and 32
     * sessions of the load test's lengths (mostly 2-3 items), mixed ones up to the full window, and rows without
     * a real item (not trimmed).
     */
    @Test
    void aTrimmedRecommenderBatchGivesTheUntrimmedBatchsResults() throws Exception {
        RecommendInputEncoder enc = RecommendInputEncoder.load(Path.of("onnx-models/feature_spec.json"));
        List<String> vocab = java.nio.file.Files.readAllLines(Path.of("onnx-models/recommend/items.txt"));
        ModelSource s = new ModelSource("onnx-models");
        ModelEntry entry = ModelManifest.load(s).model("recommend");
        TensorSpec items = entry.input("items");
        assertThat(items.leftPadded()).as("manifest: recommend's items input is a left-padded window").isTrue();
        assertThat(items.exampleSize()).isEqualTo(enc.windowSize());
        int idsOut = ModelInputs.outputIndex(entry, "topk_ids");
        int scoresOut = ModelInputs.outputIndex(entry, "topk_scores");
        Random r = new Random(21);
        int[] of32 = new int[32];
        for (int i = 0; i < of32.length; i++) {
            of32[i] = 1 + (r.nextInt(10) < 8 ? r.nextInt(3) : r.nextInt(12));
        }
        int[][] lengths = {{1}, {2, 2, 3, 2, 3, 2, 4, 2}, of32, {0}, {0, 3, 5}, {20, 1, 2}, {25, 13, 7, 1}};
        try (LoadedModel m = LoadedModel.load(OrtEnvironment.getEnvironment(), s, entry, RuntimeOptions.cpu("onnx-models"))) {
            ModelBatcher b = new ModelBatcher(OrtEnvironment.getEnvironment(), m, 64, Duration.ofHours(1));
            int trimmedBatches = 0;
            for (int[] batch : lengths) {
                List<long[]> rows = new ArrayList<>();
                for (int len : batch) {
                    List<String> session = new ArrayList<>();
                    for (int i = 0; i < len; i++) {
                        session.add(r.nextInt(20) == 0 ? "unknown-" + i : vocab.get(2 + r.nextInt(vocab.size() - 2)));
                    }
                    rows.add(enc.encode(session));
                }
                List<CompletableFuture<Object[]>> got = new ArrayList<>();
                for (int k = 0; k < rows.size(); k++) {
                    got.add(b.submit(new Object[] {rows.get(k)}, k == rows.size() - 1));
                }
                int skip = ModelBatcher.paddingColumns(rows.size(), rows::get, 0);
                trimmedBatches += skip > 0 ? 1 : 0;
                long[] all = new long[rows.size() * enc.windowSize()];
                for (int k = 0; k < rows.size(); k++) {
                    System.arraycopy(rows.get(k), 0, all, k * enc.windowSize(), enc.windowSize());
                }
                try (OnnxTensor t = OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), LongBuffer.wrap(all),
                        items.batchShape(rows.size()));
                        OrtSession.Result whole = m.session().run(Map.of("items", t))) {
                    long[][] ids = (long[][]) whole.get(idsOut).getValue();
                    float[][] scores = (float[][]) whole.get(scoresOut).getValue();
                    for (int k = 0; k < rows.size(); k++) {
                        Object[] out = got.get(k).get(30, TimeUnit.SECONDS);
                        assertThat((long[]) out[idsOut]).as("batch %s row %d ids (%d columns dropped)",
                                java.util.Arrays.toString(batch), k, skip).containsExactly(ids[k]);
                        float[] sc = (float[]) out[scoresOut];
                        for (int i = 0; i < sc.length; i++) {
                            assertThat((double) sc[i]).isCloseTo(scores[k][i], within(1e-5));
                        }
                    }
                }
            }
            assertThat(b.stats().batches()).as("each group ran as one batch").isEqualTo(lengths.length);
            assertThat(trimmedBatches).as("batches with common leading padding").isEqualTo(3);
            b.close();
        }
    }

    /**
     * The batcher takes what to drop from the manifest entry: with padValue set to an item id that opens every
     * row, that column goes too (so here the result changes: a real item is no padding) and the batch gives what
     * the session gives on the [n, 19] tensor.
     */
    @Test
    void theBatcherTrimsByTheManifestsPadValue() throws Exception {
        ModelSource s = new ModelSource("onnx-models");
        ModelEntry e = ModelManifest.load(s).model("recommend");
        TensorSpec items = e.input("items");
        ModelEntry padFive = new ModelEntry(e.name(), e.file(), e.sha256(),
                List.of(new TensorSpec(items.name(), items.shape(), items.dtype(), items.window(), true, 5)),
                e.outputs(), e.thresholdsJson(), e.versionLabel(), e.contract());
        long[][] rows = new long[2][20];
        for (int k = 0; k < rows.length; k++) {
            for (int i = 0; i < 20; i++) {
                rows[k][i] = i == 0 ? 5 : 10 + 7 * i + k;
            }
        }
        try (LoadedModel m = LoadedModel.load(OrtEnvironment.getEnvironment(), s, padFive, RuntimeOptions.cpu("onnx-models"))) {
            ModelBatcher b = new ModelBatcher(OrtEnvironment.getEnvironment(), m, 64, Duration.ofHours(1));
            CompletableFuture<Object[]> first = b.submit(new Object[] {rows[0]});
            Object[] second = b.submit(new Object[] {rows[1]}, true).get(30, TimeUnit.SECONDS);
            long[] narrow = new long[2 * 19];
            long[] whole = new long[2 * 20];
            for (int k = 0; k < 2; k++) {
                System.arraycopy(rows[k], 1, narrow, k * 19, 19);
                System.arraycopy(rows[k], 0, whole, k * 20, 20);
            }
            int scoresOut = ModelInputs.outputIndex(e, "topk_scores");
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            try (OnnxTensor tn = OnnxTensor.createTensor(env, LongBuffer.wrap(narrow), new long[] {2, 19});
                    OnnxTensor tw = OnnxTensor.createTensor(env, LongBuffer.wrap(whole), new long[] {2, 20});
                    OrtSession.Result rn = m.session().run(Map.of("items", tn));
                    OrtSession.Result rw = m.session().run(Map.of("items", tw))) {
                float[][] n = (float[][]) rn.get(scoresOut).getValue();
                float[][] w = (float[][]) rw.get(scoresOut).getValue();
                assertThat((float[]) first.get(30, TimeUnit.SECONDS)[scoresOut]).containsExactly(n[0]);
                assertThat((float[]) second[scoresOut]).containsExactly(n[1]);
                assertThat(n[0]).as("dropping a real item changes the result").isNotEqualTo(w[0]);
            }
            b.close();
        }
    }
}
