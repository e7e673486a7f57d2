package com.shopsense.loadtest;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.shopsense.inference.LoadedModel;
import com.shopsense.inference.ModelBatcher;
import com.shopsense.inference.ModelEntry;
import com.shopsense.inference.ModelManifest;
import com.shopsense.inference.ModelSource;
import com.shopsense.inference.RuntimeOptions;
import com.shopsense.inference.TensorSpec;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

/**
 * ONNX Runtime batched inference alone, per model: direct {@code OrtSession.run} of the loaded model
 * (the session {@link LoadedModel} builds for the job: same options, one intra-op thread) at batch
 * sizes 1, 8, 32, 128, 512, in sequences per second; plus the {@link ModelBatcher} path (single
 * submits from one thread, as the job's operators do) at max-batch 256. The review model reads byte ids
 * (0..257) of a dynamic width: its sweep runs at the widths in {@link #REVIEW_WIDTHS} (every row that long; the
 * job pads a batch to its longest row), the batcher at the full window.
 * Args: [modelsDir=onnx-models] [outDir=load-tests/results] [secondsPerPoint=1.5] [provider=cpu]
 * [models=intent,fraud,recommend,churn,review] (a subset writes inference-PROVIDER-MODELS.json)
 */
public final class InferenceBenchmark {
    private static final List<String> MODELS = List.of("intent", "fraud", "recommend", "churn", "review");
    /** Review rows: the first bytes of a short review, the reviews' mean row (about 194 tokens), the full window. */
    private static final int[] REVIEW_WIDTHS = {64, 194, 512};
    private static final int REVIEW_VOCAB = 258;

    private InferenceBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String modelsDir = args.length > 0 ? args[0] : "onnx-models";
        Path out = Path.of(args.length > 1 ? args[1] : "load-tests/results");
        double secs = args.length > 2 ? Double.parseDouble(args[2]) : 1.5;
        String provider = args.length > 3 ? args[3] : "cpu";
        List<String> only = args.length > 4 ? List.of(args[4].split(",")) : MODELS;
        Files.createDirectories(out);
        RuntimeOptions runtime = new RuntimeOptions(modelsDir, provider, false, 0, 1, 256, Duration.ofMillis(5));
        ModelSource source = new ModelSource(modelsDir);
        ModelManifest manifest = ModelManifest.load(source);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        int vocab = (int) Files.lines(source.path("recommend/items.txt")).count();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("date", Instant.now().toString());
        result.put("loadAverageAtStart", PipelineLoadHarness.loadAverage());
        result.put("secondsPerPoint", secs);
        Map<String, Object> models = new LinkedHashMap<>();
        for (String name : only) {
            ModelEntry entry = manifest.model(name);
            int ids = name.equals("review") ? REVIEW_VOCAB : vocab;
            try (LoadedModel model = LoadedModel.load(env, source, entry, runtime)) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("provider", model.provider());
                if (name.equals("review")) {
                    m.put("widths", reviewSweep(env, model, secs));
                }
                Map<String, Object> sweep = new LinkedHashMap<>();
                for (int b : new int[] {1, 8, 32, 128, 512}) {
                    Map<String, OnnxTensor> in = inputs(env, entry, b, ids);
                    OrtSession s = model.session();
                    for (int i = 0; i < 5; i++) {
                        s.run(in).close();
                    }
                    long runs = 0;
                    long t0 = System.nanoTime();
                    long end = t0 + (long) (secs * 1e9);
                    long now;
                    do {
                        s.run(in).close();
                        runs++;
                        now = System.nanoTime();
                    } while (now < end || runs < 3);
                    double seqPerS = runs * b / ((now - t0) / 1e9);
                    sweep.put(Integer.toString(b), Map.of("sequencesPerSecond", seqPerS,
                            "msPerBatch", (now - t0) / 1e6 / runs));
                    in.values().forEach(OnnxTensor::close);
                    System.out.printf(Locale.ROOT, "%-9s batch %3d: %,12.0f sequences/s (%.3f ms/batch)%n", name, b,
                            seqPerS, (now - t0) / 1e6 / runs);
                }
                m.put("direct", sweep);
                // through the job's batcher: single submits, as the operators do
                try (ModelBatcher batcher = new ModelBatcher(env, model, 256, Duration.ofMillis(5))) {
                    List<Object[]> examples = examples(entry, 4096, ids);
                    for (int i = 0; i < 2048; i++) {
                        batcher.submit(examples.get(i)).join();
                    }
                    long n = 0;
                    long t0 = System.nanoTime();
                    long end = t0 + (long) (secs * 1e9);
                    List<CompletableFuture<Object[]>> inflight = new ArrayList<>(4096);
                    while (System.nanoTime() < end) {
                        for (Object[] ex : examples) {
                            inflight.add(batcher.submit(ex));
                        }
                        CompletableFuture.allOf(inflight.toArray(CompletableFuture[]::new)).join();
                        n += inflight.size();
                        inflight.clear();
                    }
                    double rate = n / ((System.nanoTime() - t0) / 1e9);
                    m.put("batcher", Map.of("maxBatch", 256, "sequencesPerSecond", rate,
                            "meanBatch", batcher.stats().meanBatchSize()));
                    System.out.printf(Locale.ROOT, "%-9s ModelBatcher(256, 5 ms): %,12.0f sequences/s, mean batch %.0f%n",
                            name, rate, batcher.stats().meanBatchSize());
                }
                models.put(name, m);
            }
        }
        result.put("models", models);
        result.put("loadAverageAtEnd", PipelineLoadHarness.loadAverage());
        String file = "inference-" + provider + (only.equals(MODELS) ? "" : "-" + String.join("-", only)) + ".json";
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.resolve(file).toFile(), result);
        System.out.println("wrote " + out.resolve(file));
    }

    /**
     * Review rows of each width in {@link #REVIEW_WIDTHS} at batch 1..512: reviews per second and microseconds of
     * this thread's CPU per review (ORT runs on the calling thread with one intra-op thread).
     */
    static Map<String, Object> reviewSweep(OrtEnvironment env, LoadedModel model, double secs) throws Exception {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        Map<String, Object> byWidth = new LinkedHashMap<>();
        for (int w : REVIEW_WIDTHS) {
            Map<String, Object> sweep = new LinkedHashMap<>();
            for (int b : new int[] {1, 8, 32, 128, 512}) {
                Random r = new Random(42);
                long[] v = new long[b * w];
                for (int i = 0; i < v.length; i++) {
                    v[i] = i % w == 0 ? 1 : 2 + r.nextInt(256);
                }
                try (OnnxTensor t = OnnxTensor.createTensor(env, LongBuffer.wrap(v), new long[] {b, w})) {
                    Map<String, OnnxTensor> in = Map.of("input_ids", t);
                    OrtSession s = model.session();
                    for (int i = 0; i < 3; i++) {
                        s.run(in).close();
                    }
                    long runs = 0;
                    long cpu0 = mx.getCurrentThreadCpuTime();
                    long t0 = System.nanoTime();
                    long end = t0 + (long) (secs * 1e9);
                    long now;
                    do {
                        s.run(in).close();
                        runs++;
                        now = System.nanoTime();
                    } while (now < end || runs < 3);
                    double perS = runs * b / ((now - t0) / 1e9);
                    double cpuMicros = (mx.getCurrentThreadCpuTime() - cpu0) / 1e3 / (runs * (double) b);
                    sweep.put(Integer.toString(b), Map.of("reviewsPerSecond", perS, "msPerBatch", (now - t0) / 1e6 / runs,
                            "cpuMicrosPerReview", cpuMicros));
                    System.out.printf(Locale.ROOT, "review    width %3d batch %3d: %,10.0f reviews/s (%.3f ms/batch, "
                            + "%.0f us CPU/review)%n", w, b, perS, (now - t0) / 1e6 / runs, cpuMicros);
                }
            }
            byWidth.put(Integer.toString(w), sweep);
        }
        return byWidth;
    }

    /** Batch of b plausible inputs: int64 ids inside the vocabulary / bucket ranges, floats in [0, 1). */
    static Map<String, OnnxTensor> inputs(OrtEnvironment env, ModelEntry entry, int b, int vocab) throws Exception {
        Random r = new Random(42);
        Map<String, OnnxTensor> in = new HashMap<>();
        for (TensorSpec spec : entry.inputs()) {
            long[] shape = spec.batchShape(b);
            int size = spec.exampleSize() * b;
            if (spec.isInt64()) {
                long[] v = new long[size];
                for (int i = 0; i < size; i++) {
                    v[i] = 2 + r.nextInt(Math.min(1000, vocab - 2));
                }
                in.put(spec.name(), OnnxTensor.createTensor(env, LongBuffer.wrap(v), shape));
            } else {
                float[] v = new float[size];
                for (int i = 0; i < size; i++) {
                    v[i] = r.nextFloat();
                }
                in.put(spec.name(), OnnxTensor.createTensor(env, FloatBuffer.wrap(v), shape));
            }
        }
        return in;
    }

    static List<Object[]> examples(ModelEntry entry, int n, int vocab) {
        Random r = new Random(7);
        List<Object[]> out = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            Object[] ex = new Object[entry.inputs().size()];
            for (int i = 0; i < ex.length; i++) {
                TensorSpec spec = entry.inputs().get(i);
                int size = spec.exampleSize();
                if (spec.isInt64()) {
                    long[] v = new long[size];
                    for (int j = 0; j < size; j++) {
                        v[j] = 2 + r.nextInt(Math.min(1000, vocab - 2));
                    }
                    ex[i] = v;
                } else {
                    float[] v = new float[size];
                    for (int j = 0; j < size; j++) {
                        v[j] = r.nextFloat();
                    }
                    ex[i] = v;
                }
            }
            out.add(ex);
        }
        return out;
    }
}
