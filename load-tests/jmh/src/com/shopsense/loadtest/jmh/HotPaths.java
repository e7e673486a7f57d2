package com.shopsense.loadtest.jmh;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.shopsense.event.EventJson;
import com.shopsense.event.EventLimits;
import com.shopsense.event.EventParser;
import com.shopsense.event.InvalidEventException;
import com.shopsense.event.ShopEvent;
import com.shopsense.features.FraudFeatureEncoder;
import com.shopsense.features.IntentFeatureEncoder;
import com.shopsense.features.PaymentHistory;
import com.shopsense.features.SessionFeatures;
import com.shopsense.inference.LoadedModel;
import com.shopsense.inference.ModelEntry;
import com.shopsense.inference.ModelInputs;
import com.shopsense.inference.ModelManifest;
import com.shopsense.inference.ModelSource;
import com.shopsense.inference.RuntimeOptions;
import com.shopsense.inference.ServingModel;
import com.shopsense.inference.SharedModels;
import com.shopsense.tools.replay.SyntheticPayments;
import com.shopsense.tools.replay.TaobaoConverter;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Hot paths of the job, one thread each: event parsing (JSON bytes to a validated ShopEvent),
 * intent and fraud feature encoding, one intent GRU step (batch 1 and 256) and one recommender call
 * (Transformer over 20 items + TopK, batch 1 and 32) through ONNX Runtime with the job's session
 * options, and the intent operator's flush of 64 events through the batcher vs the direct batched path. Throughput in calls per second; per-sequence rates are calls x batch.
 * Data: the first rows of the Taobao slice plus synthetic payments (-Dshopsense.datasets=DIR).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class HotPaths {

    /** Real events, serialized as the producer sends them. */
    @State(Scope.Benchmark)
    public static class Events {
        List<ShopEvent> events;
        List<ShopEvent> payments;
        byte[][] json;
        SessionFeatures features;
        EventParser parser;
        PaymentHistory history;
        int i;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            String datasets = System.getProperty("shopsense.datasets", "../shared/datasets");
            List<ShopEvent> real = TaobaoConverter.read(Path.of(datasets, "taobao-userbehavior",
                    "UserBehavior_slice.csv"), 20_000);
            events = new ArrayList<>();
            payments = new ArrayList<>();
            for (ShopEvent e : SyntheticPayments.addTo(real, 20).events()) {
                if (e.timestampMs() >= EventLimits.YEAR_2000_MS) {
                    events.add(e);
                    if (e.amount() != null) {
                        payments.add(e);
                    }
                }
            }
            json = new byte[events.size()][];
            for (int k = 0; k < json.length; k++) {
                json[k] = EventJson.toBytes(events.get(k));
            }
            features = new SessionFeatures(new String(new ModelSource(modelsDir()).read("feature_spec.json"),
                    StandardCharsets.UTF_8));
            parser = new EventParser(EventLimits.defaults(), System::currentTimeMillis);
            history = features.newPaymentHistory();
            for (int k = 0; k < 16; k++) {
                history.add(payments.get(k));
            }
        }

        int next() {
            int k = i++;
            if (i == events.size()) {
                i = 0;
            }
            return k;
        }
    }

    static String modelsDir() {
        return System.getProperty("shopsense.models", "onnx-models");
    }

    @Benchmark
    public ShopEvent parseEvent(Events s) throws InvalidEventException {
        return s.parser.parse(s.json[s.next()]);
    }

    @Benchmark
    public IntentFeatureEncoder.Encoded encodeIntent(Events s) {
        ShopEvent e = s.events.get(s.next());
        // Mid-session: 3 events before, one item in the cart, two priced events.
        return s.features.intent(e, e.timestampMs() - 30_000, 3, new IntentFeatureEncoder.SessionContext(
                e.timestampMs() - 120_000, 1, 19.9, new String[] {"i1", "i2", "i3"}, 2, 6.2, false));
    }

    @Benchmark
    public FraudFeatureEncoder.Encoded encodeFraud(Events s) {
        return s.features.fraud(s.history, s.payments.get(s.next() % s.payments.size()));
    }

    /** A model session and a prepared batch of inputs. */
    public abstract static class ModelState {
        OrtEnvironment env;
        LoadedModel model;
        Map<String, OnnxTensor> inputs;

        void load(String name, int batch) throws Exception {
            env = OrtEnvironment.getEnvironment();
            ModelSource source = new ModelSource(modelsDir());
            model = LoadedModel.load(env, source, ModelManifest.load(source).model(name),
                    RuntimeOptions.cpu(modelsDir()));
            Random r = new Random(1);
            inputs = new java.util.HashMap<>();
            for (var spec : model.entry().inputs()) {
                long[] shape = spec.shape().clone();
                shape[0] = batch;
                int n = spec.exampleSize() * batch;
                if (spec.isInt64()) {
                    long[] v = new long[n];
                    for (int k = 0; k < n; k++) {
                        v[k] = 2 + r.nextInt(1000);
                    }
                    inputs.put(spec.name(), OnnxTensor.createTensor(env, LongBuffer.wrap(v), shape));
                } else {
                    float[] v = new float[n];
                    for (int k = 0; k < n; k++) {
                        v[k] = r.nextFloat();
                    }
                    inputs.put(spec.name(), OnnxTensor.createTensor(env, FloatBuffer.wrap(v), shape));
                }
            }
        }

        @TearDown(Level.Trial)
        public void close() throws Exception {
            inputs.values().forEach(OnnxTensor::close);
            model.close();
        }

        float run() throws OrtException {
            try (OrtSession.Result res = model.session().run(inputs)) {
                return res.size();
            }
        }
    }

    @State(Scope.Benchmark)
    public static class Intent extends ModelState {
        @Param({"1", "256"})
        public int batch;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            load("intent", batch);
        }
    }

    @State(Scope.Benchmark)
    public static class Recommend extends ModelState {
        @Param({"1", "32"})
        public int batch;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            load("recommend", batch);
        }
    }

    /** One GRU step of the intent model for {@code batch} users. */
    @Benchmark
    public float intentGruStep(Intent s) throws OrtException {
        return s.run();
    }

    /**
     * The intent operator's flush for {@code batch} buffered events, inference part (no keyed state): per-event
     * inputs through the shared batcher (a map, an ordered array and a future per event, the batcher thread
     * concatenating and splitting), or the direct path (flat arrays filled from the buffer, one run on this
     * thread, outputs by offset). Per event: 1e9 / (ops/s x batch) ns.
     */
    @State(Scope.Benchmark)
    public static class IntentFlush {
        @Param({"64"})
        public int batch;
        SharedModels.Handle model;
        ModelEntry entry;
        IntentFeatureEncoder.Encoded[] events;
        float[][] states;
        int hSize;
        int dSize;
        int hOut;
        int pOut;
        long[] items;
        long[] categories;
        float[] dense;
        float[] hidden;
        Object[] inputs;

        @Setup(Level.Trial)
        public void setUp() {
            model = SharedModels.acquire(RuntimeOptions.cpu(modelsDir()), "intent");
            entry = model.manifestEntry();
            hSize = entry.input("h").exampleSize();
            dSize = entry.input("dense").exampleSize();
            hOut = ModelInputs.outputIndex(entry, "h_next");
            pOut = ModelInputs.outputIndex(entry, "p_purchase");
            Random r = new Random(1);
            events = new IntentFeatureEncoder.Encoded[batch];
            states = new float[batch][hSize];
            for (int k = 0; k < batch; k++) {
                float[] d = new float[dSize];
                for (int j = 0; j < dSize; j++) {
                    d[j] = r.nextFloat();
                }
                events[k] = new IntentFeatureEncoder.Encoded(2 + r.nextInt(1000), 2 + r.nextInt(100), d);
            }
            items = new long[batch];
            categories = new long[batch];
            dense = new float[batch * dSize];
            hidden = new float[batch * hSize];
            inputs = new Object[entry.inputs().size()];
            inputs[ModelInputs.inputIndex(entry, "item_bucket")] = items;
            inputs[ModelInputs.inputIndex(entry, "category_bucket")] = categories;
            inputs[ModelInputs.inputIndex(entry, "dense")] = dense;
            inputs[ModelInputs.inputIndex(entry, "h")] = hidden;
        }

        @TearDown(Level.Trial)
        public void close() {
            model.close();
        }
    }

    /** Before: the flush through the batcher (futures, hand-off to ort-batcher-intent). */
    @Benchmark
    public float intentFlushBatcher(IntentFlush s) throws Exception {
        List<CompletableFuture<ServingModel.Result>> results = new ArrayList<>(s.batch);
        for (int k = 0; k < s.batch; k++) {
            IntentFeatureEncoder.Encoded x = s.events[k];
            Object[] in = ModelInputs.ordered(s.entry, Map.of("item_bucket", new long[] {x.itemBucket()},
                    "category_bucket", new long[] {x.categoryBucket()}, "dense", x.dense(), "h", s.states[k]));
            results.add(k == s.batch - 1 ? s.model.scoreNow(in) : s.model.score(in));
        }
        float sum = 0;
        for (int k = 0; k < s.batch; k++) {
            Object[] out = results.get(k).get().outputs();
            s.states[k] = (float[]) out[s.hOut];
            sum += ((float[]) out[s.pOut])[0];
        }
        return sum;
    }

    /** After: the flush's direct batch on the calling thread. */
    @Benchmark
    public float intentFlushDirect(IntentFlush s) throws Exception {
        for (int k = 0; k < s.batch; k++) {
            IntentFeatureEncoder.Encoded x = s.events[k];
            s.items[k] = x.itemBucket();
            s.categories[k] = x.categoryBucket();
            System.arraycopy(x.dense(), 0, s.dense, k * s.dSize, s.dSize);
            System.arraycopy(s.states[k], 0, s.hidden, k * s.hSize, s.hSize);
        }
        ServingModel.BatchResult scored = s.model.runBatch(s.batch, s.inputs);
        float[] p = scored.floats(s.pOut);
        float[] h = scored.floats(s.hOut);
        float sum = 0;
        for (int k = 0; k < s.batch; k++) {
            s.states[k] = java.util.Arrays.copyOfRange(h, k * s.hSize, (k + 1) * s.hSize);
            sum += p[k];
        }
        return sum;
    }

    /** One recommender call (Transformer + TopK 20 over the catalogue) for {@code batch} users. */
    @Benchmark
    public float recommend(Recommend s) throws OrtException {
        return s.run();
    }
}
