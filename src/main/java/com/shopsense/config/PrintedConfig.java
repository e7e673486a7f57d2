package com.shopsense.config;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The job options as the job logs them at start-up, with secrets redacted. Rule: a {@code kafka.properties.*}
 * value is shown only when its Kafka property is on {@link #SHOWN} (names known to hold no secret) or the
 * value is an {@code env:}/{@code file:} reference (it names where the secret is, not the secret). Every
 * other Kafka property (sasl.jaas.config, ssl.*.password, OAuth client secrets, anything unknown) and a
 * literal redis.password or privacy.pseudonymization-key prints as {@value #REDACTED}. An allow-list, not
 * a deny-list of "password"-like names, so a secret under an unforeseen name is hidden too.
 */
public final class PrintedConfig {
    public static final String REDACTED = "<redacted>";

    /** Kafka client properties whose values are shown. */
    static final Set<String> SHOWN = Set.of("security.protocol", "sasl.mechanism", "sasl.kerberos.service.name",
            "ssl.protocol", "ssl.enabled.protocols", "ssl.endpoint.identification.algorithm", "ssl.truststore.type",
            "ssl.truststore.location", "ssl.keystore.type", "ssl.keystore.location", "client.dns.lookup",
            "client.rack", "compression.type", "linger.ms", "batch.size", "request.timeout.ms",
            "default.api.timeout.ms", "delivery.timeout.ms", "max.request.size", "fetch.max.bytes",
            "max.partition.fetch.bytes", "socket.connection.setup.timeout.ms");

    private static final Set<String> SECRET_OPTIONS = Set.of(JobOptions.REDIS_PASSWORD.key(),
            JobOptions.PSEUDONYMIZATION_KEY.key());

    private PrintedConfig() {
    }

    /** One {@code key=value} line per option set (defaults are not repeated), sorted by key. */
    public static String render(Map<String, String> options) {
        StringBuilder b = new StringBuilder();
        new TreeMap<>(options).forEach((k, v) -> b.append(k).append('=').append(shown(k, v)).append('\n'));
        return b.toString();
    }

    static String shown(String key, String value) {
        if (value == null || value.isEmpty() || Secrets.isReference(value)) {
            return value;
        }
        if (KafkaClientProperties.isPassThrough(key)) {
            return SHOWN.contains(key.substring(KafkaClientProperties.PREFIX.length())) ? value : REDACTED;
        }
        return SECRET_OPTIONS.contains(key) ? REDACTED : value;
    }
}
