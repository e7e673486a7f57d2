package com.shopsense.config;

import java.util.Map;
import java.util.Properties;

/**
 * The {@code kafka.properties.*} job options: Kafka client properties (security.protocol, sasl.*, ssl.*,
 * tuning) passed through, prefix removed, to every source, sink and admin client the job and its tools
 * create. They are the one documented exception to "unknown keys are rejected": any name is accepted
 * after the prefix, because the Kafka client (not this job) owns that namespace, except the names the
 * job itself sets ({@link #RESERVED}): overriding those would break exactly-once or the job's own options.
 *
 * <p>Values may be {@code env:NAME} or {@code file:PATH} ({@link Secrets}); they are resolved only when
 * client properties are built, so the job's printed configuration holds the reference, not the secret.
 */
public final class KafkaClientProperties {
    public static final String PREFIX = "kafka.properties.";

    /** Client property -> why the job owns it (the error message says so). */
    static final Map<String, String> RESERVED = Map.ofEntries(
            Map.entry("bootstrap.servers", "set kafka.bootstrap-servers"),
            Map.entry("group.id", "set kafka.group-id"),
            Map.entry("transactional.id", "set kafka.transactional-id-prefix"),
            Map.entry("transaction.timeout.ms", "set kafka.transaction-timeout"),
            Map.entry("auto.offset.reset", "set kafka.starting-offsets"),
            Map.entry("isolation.level", "the job reads read_committed (exactly-once input)"),
            Map.entry("enable.idempotence", "the transactional sinks need the idempotent producer"),
            Map.entry("acks", "the transactional sinks need acks=all"),
            Map.entry("enable.auto.commit", "offsets are committed on Flink checkpoints"),
            Map.entry("key.serializer", "the job serializes its own records"),
            Map.entry("value.serializer", "the job serializes its own records"),
            Map.entry("key.deserializer", "the job deserializes its own records"),
            Map.entry("value.deserializer", "the job deserializes its own records"));

    private KafkaClientProperties() {
    }

    public static boolean isPassThrough(String optionKey) {
        return optionKey.startsWith(PREFIX);
    }

    /** Rejects a {@code kafka.properties.*} option the job cannot pass on (called for every such key). */
    static void validate(String optionKey, String value) {
        String name = optionKey.substring(PREFIX.length());
        if (name.isBlank()) {
            throw new IllegalArgumentException("Job option '" + optionKey + "' names no Kafka client property");
        }
        String owner = RESERVED.get(name);
        if (owner != null) {
            throw new IllegalArgumentException("Job option '" + optionKey + "' is not allowed: the job sets Kafka "
                    + "property " + name + " itself (" + owner + ")");
        }
        // A location is a path the client opens; file: would hand it the keystore's bytes instead.
        if (name.endsWith(".location") && value != null && value.startsWith(Secrets.FILE)) {
            throw new IllegalArgumentException("Job option '" + optionKey + "' takes a plain path: file:PATH means "
                    + "'the content of PATH' (for passwords and sasl.jaas.config)");
        }
    }

    /** The pass-through properties of {@code options} (every job option), prefix removed, secrets resolved. */
    public static Properties resolve(Map<String, String> options) {
        Properties p = new Properties();
        options.forEach((key, value) -> {
            if (isPassThrough(key)) {
                p.setProperty(key.substring(PREFIX.length()), Secrets.resolve(key, value));
            }
        });
        return p;
    }
}
