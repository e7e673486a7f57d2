package com.shopsense.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.shopsense.config.JobConfig;
import com.shopsense.config.JobOptions;
import com.shopsense.config.OptionsTable;
import com.shopsense.sink.RedisKeys;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.api.dag.Transformation;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The docs name operators, options and their defaults; this test holds them to the code. The generated
 * blocks (between {@code <!-- x:begin -->} and {@code <!-- x:end -->}) are rewritten by
 * {@code deploy/update-docs.sh}, which runs this test with {@code -Ddocs.update=true}.
 */
class DocsInSyncTest {
    private static final boolean UPDATE = Boolean.getBoolean("docs.update");
    /** Option-like tokens in backticks: a known option prefix, then dotted lower-case words. */
    private static final Pattern OPTION_TOKEN = Pattern.compile(
            "`((?:kafka|watermark|session|profile|event|job|models|inference|reco|redis|privacy|fraud|segments|kpi)"
                    + "\\.[a-z0-9-]+(?:\\.[a-z0-9-]+)*)`");
    private static final Pattern FILE_NAME = Pattern.compile(".*\\.(py|json|md|sh|csv|gz|txt|yaml)");
    private static final Pattern UID_MENTION = Pattern.compile("uids? ((?:`[a-z0-9-]+`(?:, | and )?)+)");
    private static final Pattern UID_CALL = Pattern.compile("\\.uid\\(\"([a-z0-9-]+)\"\\)");

    private static Map<String, String> operators;

    @BeforeAll
    static void buildTheJobGraph() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        // Every optional output on, so the table lists every uid a deployment can have.
        ShopSenseJob.build(env, JobConfig.of(Map.of("privacy.allow-dev-key", "true", "kafka.publish-sessions", "true")));
        operators = uidsToNames(env.getTransformations());
    }

    @Test
    void theConfigurationTableIsGeneratedFromJobOptions() throws IOException {
        assertGenerated(Path.of("docs/configuration.md"), "options", OptionsTable.markdown());
    }

    @Test
    void theOperatorTableListsEveryUidOfTheJobGraph() throws IOException {
        StringBuilder table = new StringBuilder("| uid | operator name |\n|---|---|\n");
        operators.forEach((uid, name) -> table.append("| `").append(uid).append("` | ").append(name).append(" |\n"));
        assertGenerated(Path.of("docs/architecture.md"), "operators", table.toString());
    }

    @Test
    void everyUidTheDocsNameIsAnOperatorOfTheJob() throws IOException {
        Map<String, Set<String>> unknown = new TreeMap<>();
        for (Path doc : docs()) {
            String text = Files.readString(doc);
            List<String> named = new java.util.ArrayList<>();
            Matcher m = UID_MENTION.matcher(text);
            while (m.find()) {
                named.addAll(List.of(m.group(1).replaceAll("[`,]|and", " ").trim().split("\\s+")));
            }
            Matcher call = UID_CALL.matcher(text);
            while (call.find()) {
                named.add(call.group(1));
            }
            for (String uid : named) {
                if (!operators.containsKey(uid)) {
                    unknown.computeIfAbsent(doc.toString(), k -> new TreeSet<>()).add(uid);
                }
            }
        }
        assertThat(unknown).as("uids named in the docs but not in the job graph").isEmpty();
    }

    @Test
    void everyOptionTheDocsNameExists() throws IOException {
        Set<String> keys = JobOptions.all().stream().map(ConfigOption::key).collect(Collectors.toSet());
        Map<String, Set<String>> unknown = new TreeMap<>();
        for (Path doc : docs()) {
            Matcher m = OPTION_TOKEN.matcher(Files.readString(doc));
            while (m.find()) {
                String token = m.group(1);
                if (!keys.contains(token) && !token.startsWith("kafka.properties.") && !FILE_NAME.matcher(token).matches()) {
                    unknown.computeIfAbsent(doc.toString(), k -> new TreeSet<>()).add(token);
                }
            }
        }
        assertThat(unknown).as("option-like names in the docs that JobOptions does not define").isEmpty();
    }

    @Test
    void theRedisKeyTableListsEveryKeyTheSinksWrite() throws Exception {
        RedisKeys keys = new RedisKeys("prefix");
        Set<String> written = new TreeSet<>();
        for (Method m : RedisKeys.class.getDeclaredMethods()) {
            if (!Modifier.isPublic(m.getModifiers()) || Modifier.isStatic(m.getModifiers())
                    || m.getReturnType() != String.class || m.getName().equals("prefix")
                    || m.getName().equals("toString")) {
                continue;
            }
            // The placeholder each key takes in the docs' table.
            Object[] args = switch (m.getName()) {
                case "alertQuality" -> new Object[] {"<modelVersion>"};
                case "ruleQuality" -> new Object[] {"<ruleId>@<version>"};
                case "recoAb" -> new Object[] {"<version>"};
                case "kpi" -> new Object[] {"1m"};
                case "popularCategory", "reviewCategory" -> new Object[] {"<categoryId>"};
                case "reviewItem" -> new Object[] {"<itemId>"};
                default -> m.getParameterCount() == 0 ? new Object[0] : new Object[] {"userId"};
            };
            written.add((String) m.invoke(keys, args));
        }
        written.add(keys.kpi("1h"));
        Set<String> documented = new TreeSet<>();
        Matcher row = Pattern.compile("(?m)^\\| (`prefix[^|]*) \\|").matcher(Files.readString(Path.of("docs/redis.md")));
        while (row.find()) {
            Matcher key = Pattern.compile("`([^`]+)`").matcher(row.group(1));
            while (key.find()) {
                documented.add(key.group(1));
            }
        }
        assertThat(documented).as("keys in docs/redis.md's key table").isEqualTo(written);
    }

    @Test
    void everyMetricTheJobRegistersIsDocumented() throws IOException {
        Pattern registration = Pattern.compile("\\.(?:counter|gauge|meter|histogram)\\(\"([A-Za-z]+)\"");
        String metricsPage = Files.readString(Path.of("docs/metrics.md"));
        Set<String> undocumented = new TreeSet<>();
        try (Stream<Path> sources = Files.walk(Path.of("src/main/java"))) {
            for (Path src : sources.filter(p -> p.toString().endsWith(".java")).collect(Collectors.toList())) {
                Matcher m = registration.matcher(Files.readString(src));
                while (m.find()) {
                    if (!metricsPage.contains("`" + m.group(1))) {
                        undocumented.add(m.group(1) + " (" + src.getFileName() + ")");
                    }
                }
            }
        }
        assertThat(undocumented).as("metrics registered in src/main/java but not in docs/metrics.md").isEmpty();
    }

    @Test
    void everyRelativeLinkInTheDocsPointsAtAFileOfTheRepository() throws IOException {
        Pattern link = Pattern.compile("\\]\\(([^)#\\s]+)(#[^)]*)?\\)");
        Map<String, Set<String>> broken = new TreeMap<>();
        for (Path doc : docs()) {
            Matcher m = link.matcher(Files.readString(doc));
            while (m.find()) {
                String target = m.group(1);
                if (target.contains("://") || target.startsWith("mailto:")) {
                    continue;
                }
                Path resolved = doc.toAbsolutePath().getParent().resolve(target).normalize();
                if (!Files.exists(resolved)) {
                    broken.computeIfAbsent(doc.toString(), k -> new TreeSet<>()).add(target);
                }
            }
        }
        assertThat(broken).as("links to files that do not exist").isEmpty();
    }

    /** The README and every page under docs/ (generated load-test results aside). */
    private static List<Path> docs() throws IOException {
        try (Stream<Path> s = Files.walk(Path.of("docs"))) {
            return Stream.concat(Stream.of(Path.of("README.md")),
                            s.filter(p -> p.toString().endsWith(".md")).sorted())
                    .collect(Collectors.toList());
        }
    }

    /** Every transformation with a user-set uid, in creation order (which follows the dataflow). */
    private static Map<String, String> uidsToNames(List<Transformation<?>> sinks) {
        Map<Integer, Transformation<?>> seen = new TreeMap<>();
        Deque<Transformation<?>> todo = new ArrayDeque<>(sinks);
        while (!todo.isEmpty()) {
            Transformation<?> t = todo.pop();
            if (seen.putIfAbsent(t.getId(), t) == null) {
                todo.addAll(t.getInputs());
            }
        }
        Map<String, String> out = new LinkedHashMap<>();
        seen.values().stream().filter(t -> t.getUid() != null)
                .sorted(Comparator.comparingInt(Transformation::getId))
                .forEach(t -> out.put(t.getUid(), t.getName().replace("|", "\\|")));
        return out;
    }

    private static void assertGenerated(Path doc, String block, String expected) throws IOException {
        String text = Files.readString(doc);
        Pattern p = Pattern.compile("(<!-- " + block + ":begin -->\n)(.*?)(<!-- " + block + ":end -->)", Pattern.DOTALL);
        Matcher m = p.matcher(text);
        assertThat(m.find()).as("%s has a generated %s block", doc, block).isTrue();
        if (UPDATE) {
            Files.writeString(doc, m.replaceFirst(Matcher.quoteReplacement(m.group(1) + expected) + "$3"));
            return;
        }
        assertThat(m.group(2)).as("%s block in %s (regenerate: deploy/update-docs.sh)", block, doc).isEqualTo(expected);
    }
}
