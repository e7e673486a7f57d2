package com.shopsense.inference;

import static org.assertj.core.api.Assertions.assertThat;

import com.shopsense.event.EventType;
import com.shopsense.event.ShopEvent;
import com.shopsense.features.FeatureSpec;
import com.shopsense.features.FraudFeatureEncoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A new model version dropped into a watched models directory is swapped in while requests keep coming:
 * nothing is lost or fails, every result names the version that computed it, the switch happens within
 * a bound, and the old session is closed only after it has answered its queue. Bad versions are rejected
 * and the serving one stays.
 */
class ModelHotSwapTest {
    /** Watch interval of the test; the bound on the switch is this plus loading a session, with slack for CI. */
    private static final Duration WATCH = Duration.ofMillis(100);
    private static final long SWITCH_BOUND_MS = 5_000;
    private static final FraudFeatureEncoder ENC =
            FraudFeatureEncoder.fromSpec(FeatureSpec.load(Path.of("onnx-models/feature_spec.json")));

    @TempDir
    Path dir;

    private record Sent(long submittedNanos, CompletableFuture<ServingModel.Result> result) {
    }

    private static Object[] request(int i) {
        ShopEvent p = ShopEvent.builder("e" + i, "u" + (i % 50), EventType.PAYMENT, 1_700_000_000_000L)
                .amount(10.0 + i % 300).merchantId("m" + i % 7).build();
        FraudFeatureEncoder.Encoded x = ENC.encode(ENC.newHistory(), p);
        return new Object[] {x.history(), x.current()};
    }

    private RuntimeOptions copyOfFraudModel(Duration watch) throws Exception {
        Files.copy(Path.of("onnx-models/manifest.json"), dir.resolve("manifest.json"));
        Files.createDirectories(dir.resolve("fraud"));
        Files.copy(Path.of("onnx-models/fraud/fraud.onnx"), dir.resolve("fraud/fraud.onnx"));
        return RuntimeOptions.cpu(dir.toString()).withWatchInterval(watch);
    }

    /**
     * Publishes a new version the way the README says: the model file under a new name first, then the
     * manifest by an atomic rename. The new file is the same trained model with ONNX's model_version field
     * appended (a valid protobuf field), so its bytes, sha256 and hence version differ.
     */
    private String publishNewVersion(String file, String sha256Override) throws Exception {
        byte[] old = Files.readAllBytes(dir.resolve("fraud/fraud.onnx"));
        byte[] next = java.util.Arrays.copyOf(old, old.length + 2);
        next[old.length] = 0x28; // field 5 (model_version), varint
        next[old.length + 1] = 0x02;
        Files.write(dir.resolve(file), next);
        String sha = sha256Override != null ? sha256Override : LoadedModel.sha256(next);
        String manifest = Files.readString(dir.resolve("manifest.json"))
                .replace("\"fraud/fraud.onnx\"", "\"" + file + "\"")
                .replace(ModelManifest.load(new ModelSource(dir.toString())).model("fraud").sha256(), sha);
        Path tmp = dir.resolve("manifest.json.tmp");
        Files.writeString(tmp, manifest);
        Files.move(tmp, dir.resolve("manifest.json"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return sha.substring(0, 12);
    }

    @Test
    void aNewVersionIsSwappedInUnderLoadWithoutLosingARequest() throws Exception {
        RuntimeOptions options = copyOfFraudModel(WATCH);
        try (SharedModels.Handle handle = SharedModels.acquire(options, "fraud")) {
            String oldVersion = handle.manifestEntry().version();
            LoadedModel oldModel = handle.serving().model();
            ConcurrentLinkedQueue<Sent> sent = new ConcurrentLinkedQueue<>();
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> callers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int base = t * 1_000_000;
                Thread th = new Thread(() -> {
                    for (int i = 0; !stop.get(); i++) {
                        long now = System.nanoTime();
                        sent.add(new Sent(now, handle.score(request(base + i))));
                        if (i % 64 == 63) {
                            Thread.onSpinWait();
                        }
                    }
                });
                callers.add(th);
                th.start();
            }
            Thread.sleep(300); // load on the old version first
            long publishedNanos = System.nanoTime();
            String newVersion = publishNewVersion("fraud/fraud-v2.onnx", null);
            long deadline = publishedNanos + TimeUnit.MILLISECONDS.toNanos(SWITCH_BOUND_MS);
            while (!handle.manifestEntry().version().equals(newVersion) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            long switchedNanos = System.nanoTime();
            Thread.sleep(300); // load on the new version
            stop.set(true);
            for (Thread th : callers) {
                th.join();
            }

            assertThat(handle.manifestEntry().version()).as("switched within %d ms", SWITCH_BOUND_MS).isEqualTo(newVersion);
            long firstNew = Long.MAX_VALUE;
            int oldCount = 0;
            int newCount = 0;
            for (Sent s : sent) {
                ServingModel.Result r = s.result().get(10, TimeUnit.SECONDS); // throws if any request failed
                assertThat(((float[]) r.outputs()[0])[0]).isBetween(0f, 1f);
                String v = r.entry().version();
                assertThat(v).isIn(oldVersion, newVersion);
                if (v.equals(newVersion)) {
                    newCount++;
                    firstNew = Math.min(firstNew, s.submittedNanos());
                } else {
                    oldCount++;
                    assertThat(s.submittedNanos()).as("old version only for requests sent before the switch completed")
                            .isLessThan(switchedNanos);
                }
            }
            assertThat(oldCount).isPositive();
            assertThat(newCount).isPositive();
            assertThat(handle.serving().stats().requests()).as("every request answered once").isEqualTo(sent.size());
            assertThat(handle.serving().stats().failures()).isZero();
            assertThat(oldModel.isClosed()).as("old session closed after draining").isTrue();
            assertThat(handle.serving().model().isClosed()).isFalse();
            assertThat(handle.serving().swaps()).isEqualTo(1);
            assertThat(TimeUnit.NANOSECONDS.toMillis(switchedNanos - publishedNanos)).isLessThan(SWITCH_BOUND_MS);
            System.out.printf("hot swap: %d requests (%d old, %d new), switched %d ms after publishing%n",
                    sent.size(), oldCount, newCount, TimeUnit.NANOSECONDS.toMillis(switchedNanos - publishedNanos));
        }
    }

    /**
     * The intent operator's path: batches run directly on the callers' threads while a swap happens (driven by
     * hand here). None fails, each names the version it ran on, later batches run on the new version, and
     * the old session is closed only once no direct run is on it.
     */
    @Test
    void directBatchesKeepRunningThroughASwap() throws Exception {
        RuntimeOptions options = copyOfFraudModel(Duration.ZERO);
        try (SharedModels.Handle handle = SharedModels.acquire(options, "fraud")) {
            String oldVersion = handle.manifestEntry().version();
            LoadedModel oldModel = handle.serving().model();
            int n = 16;
            Object[] flat = new Object[2];
            Object[] first = request(0);
            int hSize = ((float[]) first[0]).length;
            int cSize = ((float[]) first[1]).length;
            float[] history = new float[n * hSize];
            float[] current = new float[n * cSize];
            for (int k = 0; k < n; k++) {
                Object[] one = request(k);
                System.arraycopy((float[]) one[0], 0, history, k * hSize, hSize);
                System.arraycopy((float[]) one[1], 0, current, k * cSize, cSize);
            }
            flat[0] = history;
            flat[1] = current;
            ConcurrentLinkedQueue<String> versions = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> callers = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                Thread th = new Thread(() -> {
                    try {
                        while (!stop.get()) {
                            ServingModel.BatchResult r = handle.runBatch(n, flat);
                            assertThat(r.floats(0)).hasSize(n);
                            versions.add(r.entry().version());
                        }
                    } catch (Throwable x) {
                        errors.add(x);
                    }
                });
                callers.add(th);
                th.start();
            }
            Thread.sleep(200);
            String newVersion = publishNewVersion("fraud/fraud-v2.onnx", null);
            assertThat(SharedModels.checkForNewVersions()).isEqualTo(1);
            int atSwap = versions.size();
            Thread.sleep(200);
            stop.set(true);
            for (Thread th : callers) {
                th.join();
            }
            assertThat(errors).isEmpty();
            assertThat(versions).contains(oldVersion, newVersion).allMatch(v -> v.equals(oldVersion) || v.equals(newVersion));
            assertThat(List.copyOf(versions).subList(atSwap + 2, versions.size())).as("after the swap, the new version")
                    .containsOnly(newVersion);
            assertThat(oldModel.isClosed()).isTrue();
            assertThat(handle.serving().stats().failures()).isZero();
            assertThat(handle.serving().stats().requests()).isEqualTo((long) versions.size() * n);
        }
    }

    @Test
    void aVersionFailingItsChecksIsRejectedOnceAndTheServingOneStays() throws Exception {
        RuntimeOptions options = copyOfFraudModel(Duration.ZERO);
        try (SharedModels.Handle handle = SharedModels.acquire(options, "fraud")) {
            String serving = handle.manifestEntry().version();
            publishNewVersion("fraud/fraud-bad.onnx", "0".repeat(64)); // checksum does not match the file
            assertThat(SharedModels.checkForNewVersions()).isZero();
            assertThat(SharedModels.checkForNewVersions()).isZero();
            assertThat(handle.serving().rejected()).as("counted once, not at every look").isEqualTo(1);
            assertThat(handle.serving().lastRejection()).contains("fraud/fraud-bad.onnx").contains("sha256");
            assertThat(handle.manifestEntry().version()).isEqualTo(serving);
            assertThat(handle.score(request(1)).get(5, TimeUnit.SECONDS).entry().version()).isEqualTo(serving);
        }
    }

    @Test
    void aVersionWithOtherInputsNeedsARestartAndIsRejected() throws Exception {
        RuntimeOptions options = copyOfFraudModel(Duration.ZERO);
        try (SharedModels.Handle handle = SharedModels.acquire(options, "fraud")) {
            String serving = handle.manifestEntry().version();
            publishNewVersion("fraud/fraud-v2.onnx", null);
            Path m = dir.resolve("manifest.json");
            Files.writeString(m, Files.readString(m).replace("\"current\"", "\"present\""));
            assertThat(SharedModels.checkForNewVersions()).isZero();
            assertThat(handle.serving().lastRejection()).contains("fraud/fraud-v2.onnx").contains("present");
            assertThat(handle.manifestEntry().version()).isEqualTo(serving);
        }
    }
}
