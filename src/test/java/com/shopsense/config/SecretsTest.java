package com.shopsense.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretsTest {
    @Test
    void envAndFileReferencesResolveOtherValuesAreLiteral(@TempDir Path dir) throws Exception {
        Map<String, String> env = Map.of("KAFKA_PW", "pw-from-env");
        assertThat(Secrets.resolve("o", "env:KAFKA_PW", env::get)).isEqualTo("pw-from-env");
        assertThat(Secrets.resolve("o", "literal", env::get)).isEqualTo("literal");
        assertThat(Secrets.resolve("o", "", env::get)).isEmpty();
        Path f = dir.resolve("pw");
        Files.writeString(f, "pw-from-file\r\n");
        assertThat(Secrets.resolve("o", "file:" + f)).isEqualTo("pw-from-file");
        Files.writeString(f, "two\nlines\n");
        assertThat(Secrets.resolve("o", "file:" + f)).as("only one trailing line break goes").isEqualTo("two\nlines");
        assertThatThrownBy(() -> Secrets.resolve("o", "env:NOPE", env::get)).hasMessage("o: environment variable NOPE is not set");
    }

    @Test
    void redisPasswordAndPseudonymizationKeyUseTheSameReferences(@TempDir Path dir) throws Exception {
        Path key = dir.resolve("key");
        Files.writeString(key, "k".repeat(40) + "\n");
        assertThat(JobConfig.of(Map.of(
                "privacy.pseudonymization-key", "file:" + key)).pseudonymizer().usesDevKey()).isFalse();
        assertThatThrownBy(() -> JobConfig.of(Map.of(
                "privacy.pseudonymization-key", "file:" + dir.resolve("none"))).pseudonymizer()).hasMessageContaining("cannot read secret file");
    }
}
