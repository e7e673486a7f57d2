package com.shopsense.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OrtEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A missing, corrupt or swapped model stops start-up with a message that names the file. */
class ModelStartupChecksTest {
    @TempDir
    Path dir;

    private ModelSource copyOfModels() throws Exception {
        Path src = Path.of("onnx-models");
        for (String f : new String[] {"manifest.json", "feature_spec.json"}) {
            Files.copy(src.resolve(f), dir.resolve(f));
        }
        for (String m : new String[] {"intent", "fraud"}) {
            Files.createDirectories(dir.resolve(m));
            Files.copy(src.resolve(m + "/" + m + ".onnx"), dir.resolve(m + "/" + m + ".onnx"));
        }
        return new ModelSource(dir.toString());
    }

    private static LoadedModel load(ModelSource source, String model, RuntimeOptions options) {
        return LoadedModel.load(OrtEnvironment.getEnvironment(), source, ModelManifest.load(source).model(model), options);
    }

    @Test
    void missingModelFileIsNamed() throws Exception {
        ModelSource s = copyOfModels();
        Files.delete(dir.resolve("fraud/fraud.onnx"));
        assertThatThrownBy(() -> load(s, "fraud", RuntimeOptions.cpu(dir.toString())))
                .isInstanceOf(ModelLoadException.class).hasMessageContaining("fraud/fraud.onnx")
                .hasMessageContaining("not found");
    }

    @Test
    void truncatedModelFileFailsItsChecksum() throws Exception {
        ModelSource s = copyOfModels();
        Path f = dir.resolve("intent/intent.onnx");
        byte[] bytes = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(bytes, bytes.length / 2));
        assertThatThrownBy(() -> load(s, "intent", RuntimeOptions.cpu(dir.toString())))
                .isInstanceOf(ModelLoadException.class).hasMessageContaining("intent/intent.onnx")
                .hasMessageContaining("sha256");
    }

    @Test
    void swappedModelFileFailsItsChecksum() throws Exception {
        ModelSource s = copyOfModels();
        Files.copy(dir.resolve("intent/intent.onnx"), dir.resolve("fraud/fraud.onnx"), StandardCopyOption.REPLACE_EXISTING);
        assertThatThrownBy(() -> load(s, "fraud", RuntimeOptions.cpu(dir.toString())))
                .isInstanceOf(ModelLoadException.class).hasMessageContaining("fraud/fraud.onnx");
    }

    @Test
    void aFileThatIsNotAModelIsRejectedByOnnxRuntime() throws Exception {
        ModelSource s = copyOfModels();
        Path f = dir.resolve("intent/intent.onnx");
        Files.writeString(f, "not a model");
        String manifest = Files.readString(dir.resolve("manifest.json"));
        String oldSha = ModelManifest.load(s).model("intent").sha256();
        Files.writeString(dir.resolve("manifest.json"), manifest.replace(oldSha, LoadedModel.sha256(Files.readAllBytes(f))));
        assertThatThrownBy(() -> load(s, "intent", RuntimeOptions.cpu(dir.toString())))
                .isInstanceOf(ModelLoadException.class).hasMessageContaining("intent/intent.onnx");
    }

    @Test
    void unexpectedInputsAreRejected() throws Exception {
        ModelSource s = copyOfModels();
        String manifest = Files.readString(dir.resolve("manifest.json"));
        Files.writeString(dir.resolve("manifest.json"), manifest.replace("\"current\"", "\"present\""));
        assertThatThrownBy(() -> load(s, "fraud", RuntimeOptions.cpu(dir.toString())))
                .isInstanceOf(ModelLoadException.class).hasMessageContaining("fraud/fraud.onnx")
                .hasMessageContaining("present");
    }

    @Test
    void withoutCudaTheAutoProviderFallsBackToCpu() {
        RuntimeOptions auto = new RuntimeOptions("onnx-models", "auto", false, 0, 1, 8, Duration.ofMillis(1));
        try (LoadedModel m = load(new ModelSource("onnx-models"), "fraud", auto)) {
            assertThat(m.provider()).isEqualTo(ExecutionProvider.CPU);
        } catch (ai.onnxruntime.OrtException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void requireGpuFailsWithAClearMessageWhenCudaCannotLoad() {
        RuntimeOptions gpu = new RuntimeOptions("onnx-models", "auto", true, 0, 1, 8, Duration.ofMillis(1));
        assertThatThrownBy(() -> load(new ModelSource("onnx-models"), "fraud", gpu))
                .isInstanceOf(ModelLoadException.class).hasMessageContaining("CUDA execution provider required");
    }

    @Test
    void modelsLoadFromTheJobJarToo() throws Exception {
        ModelSource jar = new ModelSource("classpath:onnx-models");
        try (LoadedModel m = load(jar, "recommend", RuntimeOptions.cpu("classpath:onnx-models"))) {
            assertThat(m.entry().version()).isEqualTo(ModelManifest.load(new ModelSource("onnx-models"))
                    .model("recommend").version());
        }
        assertThatThrownBy(() -> new ModelSource("classpath:no-such-dir").read("manifest.json"))
                .isInstanceOf(ModelLoadException.class).hasMessageContaining("classpath:no-such-dir/manifest.json");
    }

    /**
     * The recommender's items input is a window ([null, null], "window": 20, "leftPadded": true): without its
     * window the dynamic width is rejected, and a window on a fixed width too (LoadedModel checks the manifest's
     * [null, null] against the file's shape).
     */
    @Test
    void aWindowInputNeedsItsWindowAndADynamicWidth() throws Exception {
        ModelSource s = copyOfModels();
        Files.createDirectories(dir.resolve("recommend"));
        Files.copy(Path.of("onnx-models/recommend/recommend.onnx"), dir.resolve("recommend/recommend.onnx"));
        String manifest = Files.readString(dir.resolve("manifest.json"));
        TensorSpec items = ModelManifest.load(s).model("recommend").input("items");
        assertThat(items.shape()).containsExactly(-1, -1);
        assertThat(items.window()).isEqualTo(20);
        assertThat(items.exampleShape()).containsExactly(20);
        assertThat(items.batchShape(3)).containsExactly(3, 20);
        assertThat(items.leftPadded()).isTrue();
        try (LoadedModel m = load(s, "recommend", RuntimeOptions.cpu(dir.toString()))) {
            assertThat(m.entry().input("items").window()).isEqualTo(20);
        }

        Files.writeString(dir.resolve("manifest.json"), manifest.replace("\"window\": 20", "\"windowSize\": 20"));
        assertThatThrownBy(() -> ModelManifest.load(s)).isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("items").hasMessageContaining("window");

        String fixed = manifest.replaceFirst("(\"name\": \"items\",\\s*\"padValue\": 0,\\s*\"shape\": \\[\\s*null,\\s*)null",
                "$120");
        assertThat(fixed).isNotEqualTo(manifest);
        Files.writeString(dir.resolve("manifest.json"), fixed);
        assertThatThrownBy(() -> ModelManifest.load(s)).isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("items").hasMessageContaining("[null, null]");
    }
}
