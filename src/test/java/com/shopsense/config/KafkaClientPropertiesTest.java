package com.shopsense.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.shopsense.sink.KafkaSinkSettings;
import com.shopsense.tools.kafka.KafkaClientProps;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaClientPropertiesTest {
    private static final Map<String, String> SECURED = Map.of(
            "kafka.bootstrap-servers", "broker:9093",
            "kafka.properties.security.protocol", "SASL_SSL",
            "kafka.properties.sasl.mechanism", "SCRAM-SHA-512",
            "kafka.properties.linger.ms", "50");

    @Test
    void prefixedOptionsReachEveryClientWithThePrefixRemoved() {
        JobConfig cfg = JobConfig.of(SECURED);
        Properties expected = new Properties();
        expected.putAll(Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", "SCRAM-SHA-512", "linger.ms", "50"));
        assertThat(cfg.kafkaClientProperties()).isEqualTo(expected);

        Properties sink = KafkaSinkSettings.from(cfg).producerConfig();
        assertThat(sink).containsAllEntriesOf(expected)
                .containsEntry("enable.idempotence", "true").containsEntry("transaction.timeout.ms", "600000");
        assertThat(KafkaClientProps.admin(cfg)).containsAllEntriesOf(expected).containsEntry("bootstrap.servers", "broker:9093");
        assertThat(KafkaClientProps.committedBytesConsumer(cfg)).containsAllEntriesOf(expected)
                .containsEntry("bootstrap.servers", "broker:9093").containsEntry("isolation.level", "read_committed");
        // A tool default the job does not own (linger.ms=5) gives way to the pass-through.
        assertThat(KafkaClientProps.bytesProducer(cfg)).containsAllEntriesOf(expected).containsEntry("acks", "all");
    }

    @Test
    void withoutPrefixedOptionsClientsGetNothingExtra() {
        assertThat(JobConfig.defaults().kafkaClientProperties()).isEmpty();
        assertThat(KafkaClientProps.admin(JobConfig.defaults())).containsOnlyKeys("bootstrap.servers");
    }

    @Test
    void propertiesTheJobOwnsAreRejectedWithTheOptionToUseInstead() {
        assertThatThrownBy(() -> JobConfig.of(Map.of("kafka.properties.bootstrap.servers", "x:1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("kafka.properties.bootstrap.servers").hasMessageContaining("kafka.bootstrap-servers");
        assertThatThrownBy(() -> JobConfig.of(Map.of("kafka.properties.transactional.id", "t")))
                .hasMessageContaining("kafka.transactional-id-prefix");
        for (String owned : KafkaClientProperties.RESERVED.keySet()) {
            assertThatThrownBy(() -> JobConfig.of(Map.of("kafka.properties." + owned, "v")))
                    .as(owned).hasMessageContaining("the job sets Kafka property " + owned + " itself");
        }
        assertThat(KafkaClientProperties.RESERVED).containsKeys("bootstrap.servers", "transactional.id",
                "isolation.level", "enable.idempotence", "key.serializer", "value.serializer", "key.deserializer",
                "value.deserializer", "group.id");
    }

    @Test
    void theExceptionIsOnlyThePrefixAndAFileReferenceIsNoLocation() {
        assertThatThrownBy(() -> JobConfig.of(Map.of("kafka.security.protocol", "SASL_SSL")))
                .hasMessageContaining("Unknown job option 'kafka.security.protocol'");
        assertThatThrownBy(() -> JobConfig.of(Map.of("kafka.properties.", "x"))).hasMessageContaining("names no Kafka");
        assertThatThrownBy(() -> JobConfig.of(Map.of("kafka.properties.ssl.truststore.location", "file:/etc/ts.p12")))
                .hasMessageContaining("takes a plain path");
        assertThat(JobConfig.of(Map.of("kafka.properties.ssl.truststore.location", "/etc/ts.p12")).kafkaClientProperties())
                .containsEntry("ssl.truststore.location", "/etc/ts.p12");
    }

    @Test
    void secretsAreReadFromFilesAndTheEnvironmentWhenClientPropertiesAreBuilt(@TempDir Path dir) throws Exception {
        Path jaas = dir.resolve("jaas.conf");
        Files.writeString(jaas, "ScramLoginModule required username=\"a\" password=\"from-file\";\n");
        Map.Entry<String, String> someVar = System.getenv().entrySet().stream()
                .filter(e -> !e.getValue().isEmpty() && e.getKey().matches("[A-Za-z_][A-Za-z0-9_]*")).findFirst()
                .orElseThrow();
        JobConfig cfg = JobConfig.of(Map.of(
                "kafka.properties.sasl.jaas.config", "file:" + jaas,
                "kafka.properties.ssl.truststore.password", "env:" + someVar.getKey()));
        Properties p = cfg.kafkaClientProperties();
        assertThat(p.getProperty("sasl.jaas.config")).isEqualTo("ScramLoginModule required username=\"a\" password=\"from-file\";");
        assertThat(p.getProperty("ssl.truststore.password")).isEqualTo(someVar.getValue());
        // The configuration itself keeps the reference: the secret exists only in the built properties.
        assertThat(cfg.asMap()).containsEntry("kafka.properties.sasl.jaas.config", "file:" + jaas);
    }

    @Test
    void aMissingSecretFailsNamingTheOptionAndReferenceNotAValue(@TempDir Path dir) {
        JobConfig env = JobConfig.of(Map.of("kafka.properties.sasl.jaas.config", "env:SHOPSENSE_SURELY_UNSET_VAR"));
        assertThatThrownBy(env::kafkaClientProperties).isInstanceOf(IllegalStateException.class)
                .hasMessage("kafka.properties.sasl.jaas.config: environment variable SHOPSENSE_SURELY_UNSET_VAR is not set");
        JobConfig file = JobConfig.of(Map.of("kafka.properties.ssl.key.password", "file:" + dir.resolve("missing")));
        assertThatThrownBy(file::kafkaClientProperties)
                .hasMessageContaining("kafka.properties.ssl.key.password: cannot read secret file " + dir.resolve("missing"));
    }
}
