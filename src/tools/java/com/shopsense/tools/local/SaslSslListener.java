package com.shopsense.tools.local;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * An extra client listener of {@link KafkaBrokerProcess} as managed brokers have it: TLS (server certificate
 * from {@code keyStore}, PKCS12) and SASL/SCRAM with one user, created when the storage is formatted
 * ({@code kafka-storage format --add-scram}), so it exists before the broker first starts. The controller
 * and inter-broker traffic stay on PLAINTEXT listeners: this is about clients, and it keeps KRaft simple.
 *
 * @param mechanism SCRAM-SHA-256 or SCRAM-SHA-512
 * @param password letters and digits only (it is passed inside the --add-scram argument)
 */
public record SaslSslListener(Path keyStore, String keyStorePassword, String mechanism, String user, String password) {
    static final String NAME = "SASL_SSL";

    public SaslSslListener {
        if (!mechanism.equals("SCRAM-SHA-256") && !mechanism.equals("SCRAM-SHA-512")) {
            throw new IllegalArgumentException("SCRAM-SHA-256 or SCRAM-SHA-512, not " + mechanism);
        }
        if (!user.matches("[A-Za-z0-9_-]+") || !password.matches("[A-Za-z0-9]+")) {
            throw new IllegalArgumentException("user and password must be plain letters and digits");
        }
    }

    /** The broker settings of this listener (listener.name.sasl_ssl.*). */
    void configure(Properties broker) {
        String prefix = "listener.name." + NAME.toLowerCase(Locale.ROOT) + ".";
        broker.setProperty(prefix + "ssl.keystore.location", keyStore.toString());
        broker.setProperty(prefix + "ssl.keystore.password", keyStorePassword);
        broker.setProperty(prefix + "ssl.key.password", keyStorePassword);
        broker.setProperty(prefix + "ssl.keystore.type", "PKCS12");
        broker.setProperty(prefix + "sasl.enabled.mechanisms", mechanism);
        // Credentials come from the cluster metadata (--add-scram); the login module needs no options.
        broker.setProperty(prefix + mechanism.toLowerCase(Locale.ROOT) + ".sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
    }

    /** The StorageTool arguments that create the user. */
    List<String> formatArgs() {
        return List.of("--add-scram", mechanism + "=[name=" + user + ",password=" + password + "]");
    }

    /** The client's sasl.jaas.config for this user and {@code password} (a wrong one in negative tests). */
    public String jaasConfig(String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                + "\" password=\"" + password + "\";";
    }
}
