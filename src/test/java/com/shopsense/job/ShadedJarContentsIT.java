package com.shopsense.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The build's check on what ships: the shaded job JAR ({@code target/shopsense-job-<version>.jar}, what a
 * cluster runs) holds the job and its models but no developer tool ({@code com.shopsense.tools}, built
 * from src/tools/java), no Kafka broker and no test framework; the tools JAR
 * ({@code target/shopsense-job-<version>-tools.jar}) holds the tools and nothing of the job. Runs after
 * {@code package} (failsafe); writes the job JAR's com/shopsense class list to
 * {@code target/shaded-jar-classes.txt}.
 */
class ShadedJarContentsIT {
    private static final Path TARGET = Path.of("target");
    private static List<String> jobEntries;
    private static List<String> toolsEntries;
    private static Path jobJar;

    @BeforeAll
    static void readTheJars() throws IOException {
        jobJar = theOne("shopsense-job-", ".jar", "-tools.jar");
        Path toolsJar = theOne("shopsense-job-", "-tools.jar", null);
        jobEntries = entries(jobJar);
        toolsEntries = entries(toolsJar);

        List<String> classes = jobEntries.stream()
                .filter(e -> e.startsWith("com/shopsense/") && e.endsWith(".class")).sorted().toList();
        Files.write(TARGET.resolve("shaded-jar-classes.txt"), classes, StandardCharsets.UTF_8);
        Map<String, Long> byPackage = classes.stream().collect(Collectors.groupingBy(
                e -> e.substring(0, e.lastIndexOf('/')).replace('/', '.'), TreeMap::new, Collectors.counting()));
        System.out.println(jobJar + ": " + classes.size() + " com.shopsense classes (list: target/shaded-jar-classes.txt)");
        byPackage.forEach((pkg, n) -> System.out.printf("  %-28s %3d%n", pkg, n));
        System.out.println(toolsJar + ": " + toolsEntries.stream().filter(e -> e.endsWith(".class")).count()
                + " classes");
    }

    @Test
    void theJobJarHoldsNoDeveloperTool() {
        assertThat(jobEntries).as("tool classes in %s (src/tools/java belongs in the -tools JAR)", jobJar)
                .noneMatch(e -> e.startsWith("com/shopsense/tools/"));
        // The packages the tools had before they moved: a stale target/classes would bring them back (mvn clean).
        List<String> oldPackages = Stream.of("local", "replay", "readers").map(p -> "com/shopsense/" + p + "/").toList();
        assertThat(jobEntries).as("old tool packages %s in %s", oldPackages, jobJar)
                .noneMatch(e -> oldPackages.stream().anyMatch(e::startsWith));
    }

    @Test
    void theJobJarHoldsNoBrokerAndNoTestFramework() {
        assertThat(jobEntries).as("Kafka broker classes in %s", jobJar).noneMatch(e -> e.startsWith("kafka/server/"));
        assertThat(jobEntries).as("test frameworks in %s", jobJar).noneMatch(e -> e.startsWith("org/junit/")
                || e.startsWith("net/jqwik/") || e.startsWith("org/assertj/"));
    }

    @Test
    void theJobJarHoldsTheJobAndItsModels() throws IOException {
        assertThat(jobEntries).contains("com/shopsense/job/ShopSenseJob.class", "onnx-models/manifest.json");
        try (JarFile jar = new JarFile(jobJar.toFile())) {
            assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class"))
                    .isEqualTo("com.shopsense.job.ShopSenseJob");
        }
    }

    @Test
    void noJobClassRefersToATool() throws IOException {
        List<String> referring = new ArrayList<>();
        byte[] tools = "com/shopsense/tools/".getBytes(StandardCharsets.UTF_8);
        try (JarFile jar = new JarFile(jobJar.toFile())) {
            for (JarEntry e : jar.stream().filter(e -> e.getName().startsWith("com/shopsense/")
                    && !e.getName().startsWith("com/shopsense/tools/") && e.getName().endsWith(".class")).toList()) {
                try (InputStream in = jar.getInputStream(e)) {
                    if (contains(in.readAllBytes(), tools)) {
                        referring.add(e.getName());
                    }
                }
            }
        }
        assertThat(referring).as("job classes naming com/shopsense/tools (they would fail on a cluster)").isEmpty();
    }

    @Test
    void theToolsJarHoldsTheToolsAndNothingOfTheJob() {
        assertThat(toolsEntries).contains("com/shopsense/tools/local/LocalRun.class",
                "com/shopsense/tools/local/WorkDir.class", "com/shopsense/tools/replay/ReplayProducer.class",
                "com/shopsense/tools/readers/StorefrontReader.class");
        assertThat(toolsEntries).as("job classes in the tools JAR").noneMatch(e -> e.startsWith("com/shopsense/job/"));
        assertThat(toolsEntries).as("entries of the tools JAR outside com/shopsense/tools and META-INF")
                .allMatch(e -> e.startsWith("com/shopsense/tools/") || e.startsWith("META-INF/")
                        || e.equals("com/") || e.equals("com/shopsense/"));
    }

    @Test
    void theToolsAreOnTheIntegrationTestClassPath() throws Exception {
        // Failsafe runs the ITs on the shaded job JAR; pom.xml adds the tools JAR beside it (the local-run,
        // reader and broker ITs need it).
        Class<?> localRun = Class.forName("com.shopsense.tools.local.LocalRun");
        System.out.println("LocalRun loaded from " + localRun.getProtectionDomain().getCodeSource().getLocation());
        assertThat(Class.forName("com.shopsense.job.ShopSenseJob")).isNotNull();
    }

    /** The one file in target/ named prefix*suffix (not ending in {@code unlike}, not original-*): fails naming what it found. */
    private static Path theOne(String prefix, String suffix, String unlike) throws IOException {
        List<Path> found;
        try (Stream<Path> s = Files.list(TARGET)) {
            found = s.filter(p -> {
                String n = p.getFileName().toString();
                return n.startsWith(prefix) && n.endsWith(suffix) && (unlike == null || !n.endsWith(unlike))
                        && !n.endsWith("-sources.jar") && !n.endsWith("-tests.jar");
            }).toList();
        }
        assertThat(found).as("target/%s*%s: run mvn package first (failsafe runs this after it)", prefix, suffix)
                .hasSize(1);
        return found.get(0);
    }

    private static List<String> entries(Path jar) throws IOException {
        try (JarFile j = new JarFile(jar.toFile())) {
            return j.stream().map(JarEntry::getName).toList();
        }
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int k = 0; k < needle.length; k++) {
                if (haystack[i + k] != needle[k]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
