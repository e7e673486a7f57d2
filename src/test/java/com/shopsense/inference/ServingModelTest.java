package com.shopsense.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The direct batched path ({@link ServingModel#runBatch}: flat inputs, one run on the caller's thread) scores
 * exactly what per-example requests through the batcher score, example by example, at any batch size and
 * with buffers longer than the batch; it counts in the model's statistics, and concurrent callers share
 * nothing but the session.
 */
class ServingModelTest {
    private static final RuntimeOptions CPU = RuntimeOptions.cpu("onnx-models");
    private static final double TOLERANCE = 1e-5;

    /** Random flat inputs for {@code capacity} examples (ids within the model's vocabularies). */
    private static Object[] randomInputs(ModelEntry e, int capacity, Random r) {
        Object[] in = new Object[e.inputs().size()];
        for (int i = 0; i < in.length; i++) {
            TensorSpec spec = e.inputs().get(i);
            int size = capacity * spec.exampleSize();
            if (spec.isInt64()) {
                long[] v = new long[size];
                for (int k = 0; k < size; k++) {
                    v[k] = r.nextInt(500);
                }
                in[i] = v;
            } else {
                float[] v = new float[size];
                for (int k = 0; k < size; k++) {
                    v[k] = (float) r.nextGaussian();
                }
                in[i] = v;
            }
        }
        return in;
    }

    /** Example k of flat inputs, one array per input, as the batcher takes it. */
    private static Object[] example(ModelEntry e, Object[] flat, int k) {
        Object[] one = new Object[flat.length];
        for (int i = 0; i < flat.length; i++) {
            int size = e.inputs().get(i).exampleSize();
            one[i] = flat[i] instanceof long[] l ? java.util.Arrays.copyOfRange(l, k * size, (k + 1) * size)
                    : java.util.Arrays.copyOfRange((float[]) flat[i], k * size, (k + 1) * size);
        }
        return one;
    }

    @Test
    void aDirectBatchEqualsPerExampleScoringOnRandomInputs() throws Exception {
        try (SharedModels.Handle intent = SharedModels.acquire(CPU, "intent")) {
            ModelEntry e = intent.manifestEntry();
            Random r = new Random(21);
            long before = intent.serving().stats().batches();
            int examples = 0;
            for (int n : new int[] {1, 2, 7, 64, 100}) {
                Object[] flat = randomInputs(e, n + 3, r); // longer than the batch, like the operator's buffers
                ServingModel.BatchResult batch = intent.runBatch(n, flat);
                assertThat(batch.entry().version()).isEqualTo(e.version());
                List<CompletableFuture<ServingModel.Result>> single = new ArrayList<>();
                for (int k = 0; k < n; k++) {
                    single.add(intent.score(example(e, flat, k)));
                }
                for (int o = 0; o < e.outputs().size(); o++) {
                    int size = e.outputs().get(o).exampleSize();
                    float[] all = batch.floats(o);
                    assertThat(all).as("output %s of a batch of %d", e.outputs().get(o).name(), n).hasSize(n * size);
                    for (int k = 0; k < n; k++) {
                        float[] one = (float[]) single.get(k).get(10, TimeUnit.SECONDS).outputs()[o];
                        for (int j = 0; j < size; j++) {
                            assertThat((double) all[k * size + j]).as("example %d value %d", k, j)
                                    .isCloseTo(one[j], within(TOLERANCE));
                        }
                    }
                }
                examples += n;
            }
            assertThat(intent.serving().stats().batches() - before).as("direct batches plus batcher batches")
                    .isGreaterThanOrEqualTo(5);
            assertThat(intent.serving().stats().requests()).isGreaterThanOrEqualTo(2L * examples);
        }
    }

    @Test
    void concurrentDirectCallersGetTheirOwnResults() throws Exception {
        try (SharedModels.Handle intent = SharedModels.acquire(CPU, "intent")) {
            ModelEntry e = intent.manifestEntry();
            int n = 32;
            Object[][] flats = new Object[4][];
            float[][] expected = new float[4][];
            for (int t = 0; t < flats.length; t++) {
                flats[t] = randomInputs(e, n, new Random(t));
                expected[t] = intent.runBatch(n, flats[t]).floats(0);
            }
            List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
            List<Thread> callers = new ArrayList<>();
            for (int t = 0; t < flats.length; t++) {
                int me = t;
                Thread th = new Thread(() -> {
                    try {
                        for (int i = 0; i < 50; i++) {
                            assertThat(intent.runBatch(n, flats[me]).floats(0)).containsExactly(expected[me]);
                        }
                    } catch (Throwable x) {
                        errors.add(x);
                    }
                });
                callers.add(th);
                th.start();
            }
            for (Thread th : callers) {
                th.join();
            }
            assertThat(errors).isEmpty();
        }
    }

    @Test
    void aBatchOfTheWrongShapeIsRefusedAsAFailure() {
        try (SharedModels.Handle intent = SharedModels.acquire(CPU, "intent")) {
            ModelEntry e = intent.manifestEntry();
            Object[] flat = randomInputs(e, 4, new Random(1));
            long batches = intent.serving().stats().batches();
            long failures = intent.serving().stats().failures();
            assertThatThrownBy(() -> intent.runBatch(5, flat)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("at least");
            assertThatThrownBy(() -> intent.runBatch(0, flat)).isInstanceOf(IllegalArgumentException.class);
            assertThat(intent.serving().stats().batches()).isEqualTo(batches);
            assertThat(intent.serving().stats().failures()).as("examples of failed batches").isEqualTo(failures + 5);
        }
    }
}
