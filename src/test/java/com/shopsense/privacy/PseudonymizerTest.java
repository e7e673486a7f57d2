package com.shopsense.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.shopsense.config.JobConfig;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PseudonymizerTest {
    private static final String KEY = "0123456789abcdef0123456789abcdef-test";

    @Test
    void stableKeyedAndSeparatedByKind() {
        Pseudonymizer p = JobConfig.of(Map.of("privacy.pseudonymization-key", KEY)).pseudonymizer();
        String ip = p.ip("192.168.1.20");
        assertThat(ip).startsWith("ip_").hasSize(3 + 22).doesNotContain("192");
        assertThat(p.ip(" 192.168.1.20 ")).isEqualTo(ip);
        assertThat(p.ip("2001:DB8::1")).isEqualTo(p.ip("2001:db8::1"));
        assertThat(p.device("192.168.1.20")).startsWith("dev_").isNotEqualTo(ip);
        assertThat(p.card("fp_ABC")).startsWith("card_").isNotEqualTo(p.card("fp_abc"));
        Pseudonymizer other = new Pseudonymizer((KEY + "x").getBytes(StandardCharsets.UTF_8));
        assertThat(other.ip("192.168.1.20")).isNotEqualTo(ip);
        assertThat(p.ip(null)).isNull();
        assertThat(p.ip("  ")).isNull();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 65536; i++) {
            seen.add(p.ip("10.0." + (i >> 8) + "." + (i & 255)));
        }
        assertThat(seen).hasSize(65536);
    }

    @Test
    void missingOrShortKeyFailsAtStartUnlessTheDevKeyIsExplicitlyAllowed() {
        assertThatThrownBy(() -> JobConfig.defaults().pseudonymizer())
                .hasMessageContaining("privacy.pseudonymization-key is not set");
        assertThatThrownBy(() -> JobConfig.of(Map.of("privacy.pseudonymization-key", "short")).pseudonymizer())
                .hasMessageContaining("too short");
        assertThatThrownBy(() -> JobConfig.of(Map.of("privacy.pseudonymization-key",
                "env:SHOPSENSE_SURELY_UNSET_VAR")).pseudonymizer()).hasMessageContaining("SHOPSENSE_SURELY_UNSET_VAR");
        Pseudonymizer dev = JobConfig.of(Map.of("privacy.allow-dev-key", "true")).pseudonymizer();
        assertThat(dev.usesDevKey()).isTrue();
        assertThat(dev.toString()).contains("DEV KEY");
    }
}
