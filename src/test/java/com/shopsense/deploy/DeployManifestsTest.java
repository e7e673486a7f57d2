package com.shopsense.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.shopsense.config.JobOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * What can be checked of the Kubernetes manifest and the Dockerfile without Kubernetes, Docker or a
 * GPU: the manifest parses, and the image, JAR, models and versions it names agree with the Dockerfile,
 * the pom and flink-conf/config.yaml.
 */
class DeployManifestsTest {
    private static final Path MANIFEST = Path.of("deploy/k8s/flinkdeployment.yaml");
    private static final Path DOCKERFILE = Path.of("deploy/docker/Dockerfile");

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    private static Map<String, Object> manifest() throws Exception {
        return map(new Load(LoadSettings.builder().build()).loadFromString(Files.readString(MANIFEST)));
    }

    private static String pomProperty(String name) throws Exception {
        Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]*)</").matcher(Files.readString(Path.of("pom.xml")));
        assertThat(m.find()).as(name + " in pom.xml").isTrue();
        return m.group(1).trim();
    }

    /** COPY instructions of the Dockerfile: destination -> sources. */
    private static Map<String, List<String>> copies() throws Exception {
        Map<String, List<String>> out = new java.util.LinkedHashMap<>();
        for (String line : Files.readAllLines(DOCKERFILE)) {
            if (!line.startsWith("COPY ")) {
                continue;
            }
            List<String> words = new ArrayList<>(List.of(line.substring(5).trim().split("\\s+")));
            words.removeIf(w -> w.startsWith("--"));
            String dest = words.remove(words.size() - 1);
            out.put(dest, words);
        }
        return out;
    }

    private static List<String> args() throws Exception {
        return ((List<Object>) map(map(manifest().get("spec")).get("job")).get("args")).stream()
                .map(String::valueOf).collect(Collectors.toList());
    }

    private static String arg(String key) throws Exception {
        List<String> a = args();
        int i = a.indexOf("--" + key);
        assertThat(i).as("job argument --" + key).isGreaterThanOrEqualTo(0);
        return a.get(i + 1);
    }

    @Test
    void isAnApplicationModeFlinkDeploymentOfTheJobJarInTheImage() throws Exception {
        Map<String, Object> m = manifest();
        assertThat(m.get("apiVersion")).isEqualTo("flink.apache.org/v1beta1");
        assertThat(m.get("kind")).isEqualTo("FlinkDeployment");
        Map<String, Object> spec = map(m.get("spec"));
        Map<String, Object> job = map(spec.get("job"));
        assertThat(job.get("entryClass")).isEqualTo("com.shopsense.job.ShopSenseJob");
        assertThat(job.get("upgradeMode")).isEqualTo("savepoint");
        String jar = String.valueOf(job.get("jarURI"));
        assertThat(jar).startsWith("local:///opt/flink/usrlib/");
        List<String> sources = copies().get(jar.substring("local://".length()));
        assertThat(sources).as("the Dockerfile copies the JAR to " + jar).isNotNull();
        String built = "target/" + "shopsense-job-" + Files.readString(Path.of("pom.xml"))
                .replaceAll("(?s).*?<artifactId>shopsense-job</artifactId>\\s*<version>([^<]+)</version>.*", "$1") + ".jar";
        assertThat(sources).containsExactly(built);
        assertThat(String.valueOf(spec.get("flinkVersion")))
                .isEqualTo("v" + pomProperty("flink.version").replaceAll("^(\\d+)\\.(\\d+).*", "$1_$2"));
    }

    @Test
    void imageIsTheOfficialFlinkImageWithOnnxRuntimeInLib() throws Exception {
        String d = Files.readString(DOCKERFILE);
        assertThat(d).contains("FROM flink:" + pomProperty("flink.version") + "-java17");
        assertThat(d).contains("ARG ONNXRUNTIME_VERSION=" + pomProperty("onnxruntime.version"));
        assertThat(d).contains("/opt/flink/lib/onnxruntime_gpu-${ONNXRUNTIME_VERSION}.jar");
        assertThat(Files.readString(Path.of("deploy/cluster/lib-pom.xml")))
                .contains("<onnxruntime.version>" + pomProperty("onnxruntime.version") + "<")
                .contains("<flink.version>" + pomProperty("flink.version") + "<");
    }

    @Test
    void everyModelFileOfTheManifestIsCopiedToModelsDir() throws Exception {
        String modelsDir = arg("models.dir");
        Map<String, List<String>> copies = copies();
        JsonNode manifest = new ObjectMapper().readTree(Path.of("onnx-models/manifest.json").toFile());
        List<String> files = new ArrayList<>(List.of("manifest.json", "feature_spec.json"));
        manifest.findValues("file").forEach(f -> files.add(f.asText()));
        assertThat(files).hasSizeGreaterThan(4);
        for (String f : files) {
            String source = "onnx-models/" + f;
            assertThat(Files.exists(Path.of(source))).as(source).isTrue();
            boolean copied = copies.entrySet().stream().anyMatch(c -> c.getValue().stream().anyMatch(src ->
                    (src.equals(source) && c.getKey().equals(modelsDir + "/"))
                            || (source.startsWith(src + "/") && (modelsDir + source.substring("onnx-models".length()))
                                    .startsWith(c.getKey() + "/"))));
            assertThat(copied).as(source + " copied under " + modelsDir).isTrue();
        }
    }

    @Test
    void jobArgumentsAreKnownOptionsAndSecretsComeFromTheEnvironment() throws Exception {
        Set<String> known = JobOptions.all().stream().map(ConfigOption::key).collect(Collectors.toSet());
        List<String> a = args();
        for (int i = 0; i < a.size(); i += 2) {
            assertThat(a.get(i)).startsWith("--");
            assertThat(known).as("job option " + a.get(i)).contains(a.get(i).substring(2));
        }
        assertThat(a).doesNotContain("--privacy.allow-dev-key", "--job.parallelism");
        assertThat(arg("privacy.pseudonymization-key")).startsWith("env:");
        assertThat(arg("redis.password")).startsWith("env:");
    }

    @Test
    void taskManagersRequestAGpuAndKeepTheClusterSettings() throws Exception {
        Map<String, Object> spec = map(manifest().get("spec"));
        Map<String, Object> tmPod = map(map(spec.get("taskManager")).get("podTemplate"));
        Map<String, Object> container = map(((List<Object>) map(tmPod.get("spec")).get("containers")).get(0));
        assertThat(container.get("name")).isEqualTo("flink-main-container");
        assertThat(map(map(container.get("resources")).get("limits"))).containsEntry("nvidia.com/gpu", 1);

        Map<String, Object> flinkConf = map(spec.get("flinkConfiguration"));
        Configuration conf = GlobalConfiguration.loadConfiguration("flink-conf");
        for (String key : List.of("state.backend.type", "execution.checkpointing.incremental",
                "classloader.parent-first-patterns.additional", "metrics.reporter.prom.factory.class",
                "pipeline.generic-types", "taskmanager.memory.managed.fraction", "restart-strategy.type",
                "state.backend.rocksdb.use-bloom-filter", "pipeline.object-reuse", "execution.buffer-timeout.interval")) {
            assertThat(String.valueOf(flinkConf.get(key))).as(key).isEqualTo(conf.getString(key, null));
        }
        assertThat(String.valueOf(flinkConf.get("execution.checkpointing.dir"))).doesNotStartWith("file:");
    }
}
