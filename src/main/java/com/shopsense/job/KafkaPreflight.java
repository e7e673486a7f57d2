package com.shopsense.job;

import com.shopsense.config.JobConfig;
import com.shopsense.config.JobOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One admin round trip with the job's own Kafka settings before the job is submitted (main, the local runs). Without it, a wrong
 * password or trust store fails the sources and sinks on the TaskManagers, and the restart strategy retries
 * that for ever; here it fails once, within kafka.preflight-timeout, with a message that says which setting
 * to check. It checks that the brokers can be reached and the client authenticated, and that the fraud rules topic
 * exists ({@link #requireRulesTopic}), not topic ACLs; output topics that do not exist yet are logged as a warning
 * ({@link #missingOutputTopics}).
 */
public final class KafkaPreflight {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaPreflight.class);
    private KafkaPreflight() {
    }

    /** Throws {@link IllegalStateException} with a clear message when the brokers cannot be used. */
    public static void check(JobConfig cfg) {
        Duration timeout = cfg.get(JobOptions.KAFKA_PREFLIGHT_TIMEOUT);
        if (timeout.isZero()) {
            return;
        }
        Properties client = cfg.kafkaClientProperties();
        String where = "kafka.bootstrap-servers=" + cfg.get(JobOptions.KAFKA_BOOTSTRAP) + " (" + describe(client) + ")";
        Properties p = new Properties();
        p.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cfg.get(JobOptions.KAFKA_BOOTSTRAP));
        p.setProperty(AdminClientConfig.CLIENT_ID_CONFIG, "shopsense-preflight");
        p.putAll(client);
        int ms = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        // Bounded by the timeout whatever the pass-through says: the check must answer, not retry.
        p.setProperty(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Integer.toString(ms));
        p.setProperty(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Integer.toString(ms));
        Admin admin;
        try {
            admin = Admin.create(p);
        } catch (KafkaException e) {
            // Not chained when it is about JAAS: the cause's message would be logged with the stack trace.
            throw new IllegalStateException("Kafka client settings rejected for " + where + ": " + rootMessage(e)
                    + "; check the kafka.properties.* options", mentionsJaas(e) ? null : e);
        }
        try {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs(ms)).nodes().get(ms + 5_000L, TimeUnit.MILLISECONDS);
            Set<String> topics = admin.listTopics().names().get(ms + 5_000L, TimeUnit.MILLISECONDS);
            requireRulesTopic(cfg, topics);
            List<String> missing = missingOutputTopics(cfg, topics);
            if (!missing.isEmpty()) {
                LOG.warn(missingOutputsMessage(missing));
            }
        } catch (ExecutionException e) {
            throw failure(where, e.getCause() == null ? e : e.getCause(), timeout);
        } catch (java.util.concurrent.TimeoutException e) {
            throw failure(where, new org.apache.kafka.common.errors.TimeoutException(e.getMessage()), timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking Kafka at " + where, e);
        } finally {
            admin.close(Duration.ofSeconds(2));
        }
    }

    /**
     * Payments are decided once the watermark of the fraud rules has passed them (docs/fraud.md "Fraud rules"); a
     * rules topic that does not exist gives its source no partition to go idle on, so nothing guarantees that the
     * payments are ever released. An empty topic is fine: its partitions go idle after fraud.rules-idleness.
     */
    static void requireRulesTopic(JobConfig cfg, java.util.Set<String> topics) {
        String rules = cfg.get(JobOptions.TOPIC_RULES);
        if (!topics.contains(rules)) {
            throw new IllegalStateException("the fraud rules topic '" + rules + "' (" + JobOptions.TOPIC_RULES.key()
                    + ") does not exist: create it (it may stay empty) before the job starts; without it payments "
                    + "wait for the rules' watermark and no fraud decision is made");
        }
    }

    /** The topics the job writes (DLQ, alerts, actions, sessions when published) that are not in {@code topics}. */
    static List<String> missingOutputTopics(JobConfig cfg, Set<String> topics) {
        List<String> out = new ArrayList<>();
        List<String> written = new ArrayList<>(List.of(cfg.get(JobOptions.TOPIC_DLQ), cfg.get(JobOptions.TOPIC_ALERTS),
                cfg.get(JobOptions.TOPIC_ACTIONS)));
        if (cfg.get(JobOptions.PUBLISH_SESSIONS)) {
            written.add(cfg.get(JobOptions.TOPIC_SESSIONS));
        }
        for (String t : written) {
            if (!topics.contains(t) && !out.contains(t)) {
                out.add(t);
            }
        }
        return out;
    }

    /**
     * A warning, not a refusal: a broker that creates topics on first use still takes the records, but an
     * exactly-once writer's first records to such a topic were seen to wait until delivery.timeout.ms (docs/deploy.md).
     */
    static String missingOutputsMessage(List<String> missing) {
        return "output topics " + missing + " do not exist yet: create them before the first start (docs/deploy.md, "
                + "'What the cluster needs'). A broker that creates topics on first use takes the records, but an "
                + "exactly-once writer whose first records went to a topic created that way was seen to wait in its "
                + "flush until delivery.timeout.ms, failing a stop-with-savepoint";
    }

    static IllegalStateException failure(String where, Throwable cause, Duration timeout) {
        String msg;
        if (cause instanceof SaslAuthenticationException) {
            msg = "Kafka authentication failed for " + where + ": " + cause.getMessage()
                    + "; check kafka.properties.sasl.jaas.config (user name and password) and kafka.properties.sasl.mechanism";
        } else if (cause instanceof SslAuthenticationException) {
            msg = "Kafka TLS handshake failed for " + where + ": " + rootMessage(cause)
                    + "; check kafka.properties.ssl.truststore.* (does it trust the brokers' certificate?) and "
                    + "kafka.properties.ssl.endpoint.identification.algorithm";
        } else if (cause instanceof AuthenticationException) {
            msg = "Kafka authentication failed for " + where + ": " + cause.getMessage()
                    + "; check kafka.properties.security.protocol, sasl.* and ssl.*";
        } else if (cause instanceof org.apache.kafka.common.errors.TimeoutException) {
            msg = "Kafka did not answer at " + where + " within " + timeout.toSeconds() + " s (kafka.preflight-timeout): "
                    + "check kafka.bootstrap-servers and that kafka.properties.security.protocol matches the listener "
                    + "(a plaintext client on a TLS listener, or the reverse, looks like this)";
        } else {
            msg = "Kafka check failed for " + where + ": " + rootMessage(cause);
        }
        return new IllegalStateException(msg, cause);
    }

    /** {@code security.protocol=SASL_SSL, sasl.mechanism=SCRAM-SHA-256}: names only, never credentials. */
    static String describe(Properties client) {
        String protocol = client.getProperty("security.protocol", "PLAINTEXT");
        String s = "security.protocol=" + protocol;
        if (protocol.toUpperCase(java.util.Locale.ROOT).startsWith("SASL")) {
            s += ", SASL " + client.getProperty("sasl.mechanism", "GSSAPI");
        }
        return s;
    }

    /** The top and root messages; a JAAS parse error is withheld, since it may quote the text around the password. */
    static String rootMessage(Throwable t) {
        Throwable r = t;
        while (r.getCause() != null && r.getCause() != r) {
            r = r.getCause();
        }
        if (mentionsJaas(t)) {
            return "sasl.jaas.config cannot be parsed (Kafka's message withheld: it may quote the secret)";
        }
        return r == t ? String.valueOf(t.getMessage()) : t.getMessage() + " (" + r.getMessage() + ")";
    }

    private static boolean mentionsJaas(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (String.valueOf(c.getMessage()).contains("JAAS")) {
                return true;
            }
        }
        return false;
    }
}
