package com.shopsense.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PrintedConfigTest {
    @Test
    void literalSecretsAreRedactedReferencesAndAllowListedPropertiesShown() {
        JobConfig cfg = JobConfig.of(Map.of(
                "kafka.bootstrap-servers", "b:9093",
                "kafka.properties.security.protocol", "SASL_SSL",
                "kafka.properties.sasl.mechanism", "SCRAM-SHA-256",
                "kafka.properties.sasl.jaas.config", "ScramLoginModule required username=\"u\" password=\"hunter2\";",
                "kafka.properties.ssl.truststore.password", "tspw-literal",
                "kafka.properties.sasl.oauthbearer.client.credentials.client.secret", "oauth-literal",
                "kafka.properties.ssl.keystore.password", "env:KS_PW",
                "redis.password", "redis-literal",
                "privacy.pseudonymization-key", "file:/run/secrets/pseudo"));
        String printed = cfg.toString();
        assertThat(printed).doesNotContain("hunter2", "tspw-literal", "oauth-literal", "redis-literal");
        assertThat(printed).contains(
                "kafka.bootstrap-servers=b:9093\n",
                "kafka.properties.security.protocol=SASL_SSL\n",
                "kafka.properties.sasl.mechanism=SCRAM-SHA-256\n",
                "kafka.properties.sasl.jaas.config=<redacted>\n",
                "kafka.properties.ssl.truststore.password=<redacted>\n",
                "kafka.properties.sasl.oauthbearer.client.credentials.client.secret=<redacted>\n",
                "kafka.properties.ssl.keystore.password=env:KS_PW\n",
                "redis.password=<redacted>\n",
                "privacy.pseudonymization-key=file:/run/secrets/pseudo\n");
    }

    @Test
    void anUnknownKafkaPropertyIsRedactedOrdinaryOptionsAreNot() {
        assertThat(PrintedConfig.shown("kafka.properties.some.future.token", "abc")).isEqualTo(PrintedConfig.REDACTED);
        assertThat(PrintedConfig.shown("kafka.properties.linger.ms", "20")).isEqualTo("20");
        assertThat(PrintedConfig.shown("session.gap", "10 min")).isEqualTo("10 min");
        assertThat(PrintedConfig.shown("redis.password", "")).isEmpty();
    }
}
