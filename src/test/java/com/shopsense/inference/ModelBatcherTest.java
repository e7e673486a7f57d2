package com.shopsense.inference;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OrtEnvironment;
import com.shopsense.features.FeatureSpec;
import com.shopsense.features.FraudFeatureEncoder;
import com.shopsense.event.EventType;
import com.shopsense.event.ShopEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The batcher batches when many callers are active, and a lone request still returns within the time cap. */
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
}
