package com.shopsense.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.shopsense.config.JobConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedisSettingsTest {
    @Test
    void printingTheSettingsNeverShowsThePassword() {
        RedisSettings s = RedisSettings.fromConfig(JobConfig.of(Map.of(
                "redis.user", "shop", "redis.password", "s3cret-Passw0rd", "redis.nodes", "10.0.0.5:6380")));
        assertThat(s.password()).isEqualTo("s3cret-Passw0rd");
        assertThat(s.toString()).doesNotContain("s3cret-Passw0rd").contains("<redacted>", "10.0.0.5:6380", "shop");
    }
}
