package com.shopsense.config;

import com.shopsense.event.EventLimits;
import com.shopsense.session.SessionConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.flink.util.TimeUtils;

/**
 * Job options from an optional properties file ({@code --config file}) overridden by
 * {@code --key value} arguments. Unknown keys are an error, so a typo cannot silently fall back
 * to a default. The one exception is the {@code kafka.properties.*} family ({@link KafkaClientProperties}):
 * any Kafka client property, except those the job sets itself.
 */
public final class JobConfig implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Set<String> KNOWN = JobOptions.all().stream().filter(o -> o != JobOptions.KAFKA_PROPERTIES)
            .map(JobOption::key).collect(Collectors.toUnmodifiableSet());

    private final Map<String, String> values;

    private JobConfig(Map<String, String> values) {
        this.values = new TreeMap<>(values);
        for (Map.Entry<String, String> e : this.values.entrySet()) {
            String key = e.getKey();
            if (KafkaClientProperties.isPassThrough(key)) {
                KafkaClientProperties.validate(key, e.getValue());
            } else if (!KNOWN.contains(key)) {
                throw new IllegalArgumentException("Unknown job option '" + key + "' (see README, Configuration)");
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

    public String get(JobOption option) {
        return values.getOrDefault(option.key(), option.defaultValue());
    }

    public int getInt(JobOption option) {
        return Integer.parseInt(get(option).trim());
    }

    public double getDouble(JobOption option) {
        return Double.parseDouble(get(option).trim());
    }

    public boolean getBoolean(JobOption option) {
        return Boolean.parseBoolean(get(option).trim());
    }

    public Duration getDuration(JobOption option) {
        return TimeUtils.parseDuration(get(option).trim());
    }

    public EventLimits eventLimits() {
        return new EventLimits(getInt(JobOptions.MAX_PAYLOAD), getInt(JobOptions.MAX_ID_LENGTH),
                getInt(JobOptions.MAX_QUERY_LENGTH), getInt(JobOptions.MAX_TEXT_LENGTH),
                getDouble(JobOptions.MAX_AMOUNT), getInt(JobOptions.MAX_QUANTITY), EventLimits.YEAR_2000_MS,
                getDuration(JobOptions.MAX_FUTURE_SKEW));
    }

    /** The unexpected-error budget of each guarded operator instance (option dlq.max-unexpected-per-minute). */
    public int maxUnexpectedPerMinute() {
        int n = getInt(JobOptions.DLQ_MAX_UNEXPECTED);
        if (n < 0) {
            throw new IllegalArgumentException("dlq.max-unexpected-per-minute must be >= 0, was " + n);
        }
        return n;
    }

    public SessionConfig sessionConfig() {
        SessionConfig c = new SessionConfig(getDuration(JobOptions.SESSION_GAP),
                getDuration(JobOptions.SESSION_MAX_DURATION), getDuration(JobOptions.ALLOWED_LATENESS),
                getInt(JobOptions.KEPT_ITEMS), getInt(JobOptions.PROFILE_MAX_KNOWN),
                getDuration(JobOptions.PROFILE_TTL));
        if (getDuration(JobOptions.OUT_OF_ORDERNESS).compareTo(c.gap()) >= 0) {
            throw new IllegalArgumentException("watermark.out-of-orderness must be shorter than session.gap");
        }
        return c;
    }

    public com.shopsense.inference.RuntimeOptions runtimeOptions() {
        return new com.shopsense.inference.RuntimeOptions(get(JobOptions.MODELS_DIR), get(JobOptions.PROVIDER),
                getBoolean(JobOptions.REQUIRE_GPU), getInt(JobOptions.CUDA_DEVICE), getInt(JobOptions.INTRA_OP_THREADS),
                getInt(JobOptions.MAX_BATCH), getDuration(JobOptions.MAX_WAIT),
                get(JobOptions.MAX_BATCH_PER_MODEL), getDuration(JobOptions.MODELS_WATCH_INTERVAL));
    }

    /** The recommender A/B split: variant B's models and its share of users. */
    public com.shopsense.scoring.RecoSplit recoSplit() {
        return new com.shopsense.scoring.RecoSplit(get(JobOptions.RECO_VARIANT_B_DIR).trim(),
                getInt(JobOptions.RECO_VARIANT_B_PERCENT));
    }

    /**
     * The {@code kafka.properties.*} options as Kafka client properties, secrets resolved here (call it
     * where the clients are built; the result must never be logged).
     */
    public Properties kafkaClientProperties() {
        return KafkaClientProperties.resolve(values);
    }

    public Map<String, String> asMap() {
        return Map.copyOf(values);
    }

    /** The options set (not the defaults), secrets redacted: safe to log ({@link PrintedConfig}). */
    @Override
    public String toString() {
        return PrintedConfig.render(values);
    }
}
