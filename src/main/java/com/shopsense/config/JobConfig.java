package com.shopsense.config;

import com.shopsense.event.EventLimits;
import com.shopsense.privacy.Pseudonymizer;
import com.shopsense.session.SessionConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/**
 * Job options from an optional properties file ({@code --config file}) overridden by
 * {@code --key value} arguments, read as typed values of the {@link JobOptions} definitions:
 * {@code cfg.get(JobOptions.SESSION_GAP)} is a {@link Duration}. The values are parsed once, here, into
 * a Flink {@link Configuration}: an unknown key or a value that does not parse as its option's type is an
 * error naming the key and the value, so a typo cannot silently fall back to a default. The one exception
 * to "unknown keys are rejected" is the {@code kafka.properties.*} family ({@link KafkaClientProperties}):
 * any Kafka client property, except those the job sets itself.
 *
 * <p>Values of non-text options are trimmed; enum options accept their documented spelling in any case,
 * with {@code -} or {@code _} ({@code exactly-once}, {@code EXACTLY_ONCE}). A blank value means
 * "unset": {@link #getOptional} is then empty even where the option has a default (that is how
 * {@code --kpi.sliding ""} turns the sliding KPI windows off).
 */
public final class JobConfig implements Serializable {
    private static final long serialVersionUID = 2L;

    /** The options as given (text), for printing and for the pass-through Kafka properties. */
    private final Map<String, String> values;
    /** The job options given a non-blank value, as Flink parses them. */
    private final Configuration options = new Configuration();
    /** Job options given a blank value. */
    private final Set<String> blank = new HashSet<>();

    private JobConfig(Map<String, String> values) {
        this.values = new TreeMap<>(values);
        for (Map.Entry<String, String> e : this.values.entrySet()) {
            String key = e.getKey();
            String value = e.getValue();
            if (KafkaClientProperties.isPassThrough(key)) {
                KafkaClientProperties.validate(key, value);
                continue;
            }
            JobOptions.Declared d = JobOptions.declared(key);
            if (d == null) {
                throw new IllegalArgumentException("Unknown job option '" + key + "' (see README, Configuration)");
            }
            if (value == null || value.isBlank()) {
                blank.add(key);
            } else {
                options.setString(key, d.type() == String.class ? value : normalised(d, value.trim()));
                parse(d.option(), value); // fail here, at submission, not when a stage first reads it
            }
        }
    }

    public static JobConfig of(Map<String, String> values) {
        return new JobConfig(values);
    }

    public static JobConfig defaults() {
        return new JobConfig(Map.of());
    }

    /** Parses {@code [--config file.properties] [--key value]...}. */
    public static JobConfig fromArgs(String[] args) throws IOException {
        Map<String, String> values = new HashMap<>();
        Map<String, String> overrides = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("Expected --key value pairs, got '" + a + "'");
            }
            String key = a.substring(2);
            String value = args[++i];
            if (key.equals("config")) {
                values.putAll(readProperties(Path.of(value)));
            } else {
                overrides.put(key, value);
            }
        }
        values.putAll(overrides);
        return new JobConfig(values);
    }

    private static Map<String, String> readProperties(Path file) throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        }
        Map<String, String> out = new HashMap<>();
        p.stringPropertyNames().forEach(k -> out.put(k, p.getProperty(k).trim()));
        return out;
    }

    public JobConfig with(String key, String value) {
        Map<String, String> copy = new HashMap<>(values);
        copy.put(key, value);
        return new JobConfig(copy);
    }

    /**
     * The option's value, else its default. Throws when it has neither, and for a blank value of a
     * non-text option (a blank text option is the empty string): read such options with {@link #getOptional}.
     */
    public <T> T get(ConfigOption<T> option) {
        if (blank.contains(option.key())) {
            JobOptions.Declared d = JobOptions.declared(option.key());
            if (d != null && d.type() == String.class) {
                @SuppressWarnings("unchecked")
                T empty = (T) values.get(option.key());
                return empty;
            }
            throw new IllegalArgumentException("Job option '" + option.key() + "' is empty; expected "
                    + (d == null ? "a value" : expected(d)));
        }
        return getOptional(option).orElseThrow(() -> new IllegalArgumentException("Job option '" + option.key()
                + "' is not set and has no default"));
    }

    /** The option's value, else its default; empty when it has neither or was set blank. */
    public <T> Optional<T> getOptional(ConfigOption<T> option) {
        guardFamily(option);
        if (blank.contains(option.key())) {
            return Optional.empty();
        }
        Optional<T> set = parse(option, values.get(option.key()));
        return set.isPresent() || !option.hasDefaultValue() ? set : Optional.of(option.defaultValue());
    }

    private <T> Optional<T> parse(ConfigOption<T> option, String given) {
        guardFamily(option);
        try {
            return options.getOptional(option);
        } catch (IllegalArgumentException e) {
            JobOptions.Declared d = JobOptions.declared(option.key());
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IllegalArgumentException("Job option '" + option.key() + "': cannot read '" + given + "' as "
                    + (d == null ? "its type" : expected(d)) + " (" + cause.getMessage() + ")", e);
        }
    }

    private static void guardFamily(ConfigOption<?> option) {
        if (option == JobOptions.KAFKA_PROPERTIES) {
            throw new IllegalArgumentException(option.key() + " is a family of Kafka client properties, not one "
                    + "option: read them with kafkaClientProperties()");
        }
    }

    /** An enum option's value as Flink parses it (its constant's toString), from any documented spelling. */
    private static String normalised(JobOptions.Declared d, String value) {
        if (!d.type().isEnum()) {
            return value;
        }
        String wanted = canonical(value);
        return Arrays.stream(d.type().getEnumConstants())
                .filter(c -> canonical(c.toString()).equals(wanted) || canonical(((Enum<?>) c).name()).equals(wanted))
                .findFirst().map(Object::toString).orElse(value); // no match: parse() reports it
    }

    private static String canonical(String s) {
        return s.trim().toUpperCase(Locale.ROOT).replace('-', '_');
    }

    private static String expected(JobOptions.Declared d) {
        Class<?> t = d.type();
        if (t == Duration.class) {
            return "a duration (e.g. 500 ms, 30 s, 10 min, 4 h, 90 d)";
        } else if (t == Integer.class) {
            return "an integer";
        } else if (t == Long.class) {
            return "a long integer";
        } else if (t == Double.class) {
            return "a number";
        } else if (t == Boolean.class) {
            return "true or false";
        } else if (t.isEnum()) {
            return "one of " + Arrays.stream(t.getEnumConstants()).map(Object::toString).collect(Collectors.joining(", "));
        }
        return t.getSimpleName();
    }

    public EventLimits eventLimits() {
        return new EventLimits(get(JobOptions.MAX_PAYLOAD), get(JobOptions.MAX_ID_LENGTH),
                get(JobOptions.MAX_QUERY_LENGTH), get(JobOptions.MAX_TEXT_LENGTH),
                get(JobOptions.MAX_AMOUNT), get(JobOptions.MAX_QUANTITY), EventLimits.YEAR_2000_MS,
                get(JobOptions.MAX_FUTURE_SKEW));
    }

    /** The unexpected-error budget of each guarded operator instance (option dlq.max-unexpected-per-minute). */
    public int maxUnexpectedPerMinute() {
        int n = get(JobOptions.DLQ_MAX_UNEXPECTED);
        if (n < 0) {
            throw new IllegalArgumentException("dlq.max-unexpected-per-minute must be >= 0, was " + n);
        }
        return n;
    }

    public SessionConfig sessionConfig() {
        SessionConfig c = new SessionConfig(get(JobOptions.SESSION_GAP),
                get(JobOptions.SESSION_MAX_DURATION), get(JobOptions.ALLOWED_LATENESS),
                get(JobOptions.KEPT_ITEMS), get(JobOptions.PROFILE_MAX_KNOWN),
                get(JobOptions.PROFILE_TTL));
        if (get(JobOptions.OUT_OF_ORDERNESS).compareTo(c.gap()) >= 0) {
            throw new IllegalArgumentException("watermark.out-of-orderness must be shorter than session.gap");
        }
        return c;
    }

    public com.shopsense.inference.RuntimeOptions runtimeOptions() {
        return new com.shopsense.inference.RuntimeOptions(get(JobOptions.MODELS_DIR),
                get(JobOptions.PROVIDER).toString(), get(JobOptions.REQUIRE_GPU), get(JobOptions.CUDA_DEVICE),
                get(JobOptions.INTRA_OP_THREADS), get(JobOptions.MAX_BATCH), get(JobOptions.MAX_WAIT),
                get(JobOptions.MAX_BATCH_PER_MODEL), get(JobOptions.MODELS_WATCH_INTERVAL),
                get(JobOptions.ASYNC_TIMEOUT));
    }

    /** The recommender's runtime: the models of recommend.models-dir when set, else models.dir; same inference options. */
    public com.shopsense.inference.RuntimeOptions recommendRuntimeOptions() {
        com.shopsense.inference.RuntimeOptions all = runtimeOptions();
        return getOptional(JobOptions.RECOMMEND_MODELS_DIR).map(String::trim).filter(d -> !d.isEmpty())
                .map(all::withModelsDir).orElse(all);
    }

    /** The recommender A/B split: variant B's models ("" = no A/B test) and its share of users. */
    public com.shopsense.scoring.RecoSplit recoSplit() {
        return new com.shopsense.scoring.RecoSplit(getOptional(JobOptions.RECO_VARIANT_B_DIR).map(String::trim)
                .orElse(""), get(JobOptions.RECO_VARIANT_B_PERCENT));
    }

    /**
     * The {@code kafka.properties.*} options as Kafka client properties, secrets resolved here (call it
     * where the clients are built; the result must never be logged).
     */
    /** The keyed-hash pseudonymizer; fails at submission without a key (unless the dev key is allowed). */
    public Pseudonymizer pseudonymizer() {
        String secret = getOptional(JobOptions.PSEUDONYMIZATION_KEY)
                .map(v -> Secrets.resolve(JobOptions.PSEUDONYMIZATION_KEY.key(), v)).orElse(null);
        return Pseudonymizer.fromKey(secret, get(JobOptions.PSEUDONYMIZATION_DEV_KEY));
    }

    public Properties kafkaClientProperties() {
        return KafkaClientProperties.resolve(values);
    }

    /** The options as given (text, secrets unresolved; defaults not included). */
    public Map<String, String> asMap() {
        return Map.copyOf(values);
    }

    /** The options set (not the defaults), secrets redacted: safe to log ({@link PrintedConfig}). */
    @Override
    public String toString() {
        return PrintedConfig.render(values);
    }
}
