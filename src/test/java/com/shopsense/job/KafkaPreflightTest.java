package com.shopsense.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.shopsense.config.JobConfig;
import com.shopsense.tools.local.KafkaBrokerProcess;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Properties;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.junit.jupiter.api.Test;

/** The pre-flight messages; the real broker cases (wrong password, plaintext on TLS) are in SecuredKafkaIT. */
class KafkaPreflightTest {
    @Test
    void nobodyListeningFailsWithinTheTimeoutNamingAddressAndProtocol() throws Exception {
        String nowhere = "127.0.0.1:" + KafkaBrokerProcess.freePort();
        JobConfig cfg = JobConfig.of(Map.of("kafka.bootstrap-servers", nowhere, "kafka.preflight-timeout", "2 s",
                "kafka.properties.security.protocol", "SSL"));
        long start = System.nanoTime();
        assertThatThrownBy(() -> KafkaPreflight.check(cfg)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Kafka did not answer at kafka.bootstrap-servers=" + nowhere
                        + " (security.protocol=SSL) within 2 s");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
    }

    @Test
    void outputTopicsThatDoNotExistAreNamedTheSessionsTopicOnlyWhenPublished() {
        JobConfig defaults = JobConfig.of(Map.of());
        String dlq = defaults.get(com.shopsense.config.JobOptions.TOPIC_DLQ);
        String alerts = defaults.get(com.shopsense.config.JobOptions.TOPIC_ALERTS);
        String actions = defaults.get(com.shopsense.config.JobOptions.TOPIC_ACTIONS);
        String sessions = defaults.get(com.shopsense.config.JobOptions.TOPIC_SESSIONS);
        assertThat(KafkaPreflight.missingOutputTopics(defaults, Set.of(dlq, "other")))
                .containsExactly(alerts, actions);
        assertThat(KafkaPreflight.missingOutputTopics(defaults, Set.of(dlq, alerts, actions))).isEmpty();
        JobConfig published = JobConfig.of(Map.of("kafka.publish-sessions", "true", "kafka.topic.actions", dlq));
        assertThat(KafkaPreflight.missingOutputTopics(published, Set.of()))
                .as("a topic named twice is listed once").containsExactly(dlq, alerts, sessions);
        assertThat(KafkaPreflight.missingOutputsMessage(List.of(actions))).contains(actions, "before the first start",
                "docs/deploy.md");
    }

    @Test
    void zeroSkipsTheCheck() {
        KafkaPreflight.check(JobConfig.of(Map.of("kafka.bootstrap-servers", "127.0.0.1:1", "kafka.preflight-timeout", "0 s")));
    }

    @Test
    void authenticationAndTlsFailuresNameTheSettingToCheck() {
        String where = "kafka.bootstrap-servers=b:1 (security.protocol=SASL_SSL, SASL SCRAM-SHA-256)";
        assertThat(KafkaPreflight.failure(where, new SaslAuthenticationException("invalid credentials"), Duration.ofSeconds(1)))
                .hasMessage("Kafka authentication failed for " + where + ": invalid credentials; check "
                        + "kafka.properties.sasl.jaas.config (user name and password) and kafka.properties.sasl.mechanism");
        assertThat(KafkaPreflight.failure(where, new SslAuthenticationException("PKIX path building failed"),
                Duration.ofSeconds(1))).hasMessageContaining("TLS handshake failed").hasMessageContaining("PKIX")
                .hasMessageContaining("kafka.properties.ssl.truststore.*");
    }

    @Test
    void aMalformedJaasConfigIsReportedWithoutQuotingIt() {
        JobConfig cfg = JobConfig.of(Map.of("kafka.bootstrap-servers", "127.0.0.1:1",
                "kafka.properties.security.protocol", "SASL_PLAINTEXT", "kafka.properties.sasl.mechanism", "PLAIN",
                "kafka.properties.sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required password=s3cr3tValue"));
        assertThatThrownBy(() -> KafkaPreflight.check(cfg))
                .hasMessageContaining("sasl.jaas.config cannot be parsed")
                .satisfies(e -> {
                    for (Throwable c = e; c != null; c = c.getCause()) {
                        assertThat(String.valueOf(c.getMessage())).doesNotContain("s3cr3tValue");
                    }
                });
    }

    @Test
    void theDescriptionNamesProtocolAndMechanismOnly() {
        Properties p = new Properties();
        assertThat(KafkaPreflight.describe(p)).isEqualTo("security.protocol=PLAINTEXT");
        p.setProperty("security.protocol", "SSL");
        assertThat(KafkaPreflight.describe(p)).isEqualTo("security.protocol=SSL");
    }
}
