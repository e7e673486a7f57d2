package com.shopsense.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.shopsense.config.JobConfig;
import com.shopsense.config.JobOptions;
import com.shopsense.testing.FlinkTestConfig;
import com.shopsense.testing.KafkaTestClient;
import com.shopsense.testing.PipelineRun;
import com.shopsense.testing.SharedKafka;
import com.shopsense.testing.SharedRedis;
import com.shopsense.testing.TestTopics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.SerializedThrowable;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The whole job started on a models directory with one bad file refuses to start: it fails at once (no
 * restart loop, although the restart strategy would allow a thousand attempts) with a message naming the
 * file. {@code ModelStartupChecksTest} covers each check on its own; this is the job-level behaviour.
 */
@ExtendWith({SharedKafka.class, SharedRedis.class})
class BadModelStartupIT {
    @RegisterExtension
    static final MiniClusterExtension FLINK = FlinkTestConfig.miniCluster(1, 2);

    @TempDir
    Path dir;

    private Path copyOfModels() throws Exception {
        Path src = Path.of("onnx-models");
        Path models = dir.resolve("models");
        Files.createDirectories(models);
        Files.copy(src.resolve("manifest.json"), models.resolve("manifest.json"));
        Files.copy(src.resolve("feature_spec.json"), models.resolve("feature_spec.json"));
        Files.copy(src.resolve("segments.json"), models.resolve("segments.json"));
        for (String m : List.of("intent", "fraud", "churn", "recommend", "review")) {
            Files.createDirectories(models.resolve(m));
            try (var files = Files.list(src.resolve(m))) {
                for (Path f : files.collect(Collectors.toList())) {
                    Files.copy(f, models.resolve(m).resolve(f.getFileName()));
                }
            }
        }
        return models;
    }

    private static void breakModels(Path models, String fault) throws Exception {
        switch (fault) {
            case "missing" -> Files.delete(models.resolve("fraud/fraud.onnx"));
            case "truncated" -> {
                byte[] bytes = Files.readAllBytes(models.resolve("intent/intent.onnx"));
                Files.write(models.resolve("intent/intent.onnx"), Arrays.copyOf(bytes, bytes.length / 2));
            }
            case "swapped" -> Files.copy(models.resolve("intent/intent.onnx"), models.resolve("fraud/fraud.onnx"),
                    StandardCopyOption.REPLACE_EXISTING);
            case "manifest-sha256" -> {
                String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                        .digest(Files.readAllBytes(models.resolve("churn/churn.onnx"))));
                String manifest = Files.readString(models.resolve("manifest.json"));
                assertThat(manifest).contains(sha);
                Files.writeString(models.resolve("manifest.json"), manifest.replace(sha, "0".repeat(64)));
            }
            default -> throw new IllegalArgumentException(fault);
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "missing,         fraud/fraud.onnx,   not found",
        "truncated,       intent/intent.onnx, sha256",
        "swapped,         fraud/fraud.onnx,   sha256",
        "manifest-sha256, churn/churn.onnx,   sha256",
    })
    void theJobRefusesToStartWithAMessageNamingTheFile(String fault, String file, String why) throws Exception {
        Path models = copyOfModels();
        breakModels(models, fault);
        TestTopics topics = TestTopics.fresh("bad-model");
        new KafkaTestClient(SharedKafka.bootstrap()).createTopics(2, topics.allTopics());
        JobConfig cfg = topics.jobConfig(Map.of(JobOptions.MODELS_DIR.key(), models.toString()));
        Configuration flink = FlinkTestConfig.rocksDbWithCheckpoints(dir.resolve("flink"), UndisturbedRun.CHECKPOINTS);
        flink.setString("restart-strategy.fixed-delay.attempts", "1000");

        long start = System.nanoTime();
        JobClient job = PipelineRun.start(PipelineRun.env(flink), cfg, null, "bad-model-" + fault);
        assertThatThrownBy(() -> job.getJobExecutionResult().get(2, TimeUnit.MINUTES))
                .satisfies(e -> assertThat(causes(e)).as("failure causes").anySatisfy(m -> assertThat(m)
                        .contains("ModelLoadException").contains(models.resolve(file).toString()).contains(why)));
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        System.out.printf("BadModelStartupIT %s: refused in %d ms%n", fault, ms);
        assertThat(ms).as("failed at once, not after a thousand restarts").isLessThan(60_000);
    }

    /** Class name and message of every throwable in the chain (a serialized one keeps its original class name). */
    private static List<String> causes(Throwable e) {
        List<String> out = new ArrayList<>();
        for (Throwable t = e; t != null; t = t.getCause()) {
            String cls = t instanceof SerializedThrowable s ? s.getOriginalErrorClassName() : t.getClass().getName();
            out.add(cls + ": " + t.getMessage());
        }
        return out;
    }
}
