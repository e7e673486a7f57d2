package com.shopsense.tools.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.shopsense.config.JobConfig;
import com.shopsense.config.JobOptions;
import com.shopsense.sink.RedisSettings;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.UnifiedJedis;

/** The progress line's Redis monitor against a real redis-server that stalls (SIGSTOP) and comes back. */
class RedisKeyCountsIT {
    @TempDir
    Path dir;

    @Test
    void aStalledServerIsAnEmptyAnswerWithinTheTimeoutThenCountsAgain() throws Exception {
        try (RedisServerProcess redis = RedisServerProcess.start(dir)) {
            RedisSettings s = RedisSettings.fromConfig(JobConfig.of(Map.of(JobOptions.REDIS_NODES.key(), redis.address(),
                    JobOptions.REDIS_KEY_PREFIX.key(), "mon", JobOptions.REDIS_TIMEOUT.key(), "1 s")));
            try (UnifiedJedis w = s.createClient("seed"); RedisKeyCounts counts = new RedisKeyCounts(s)) {
                w.set("mon:{u1}:reco", "{}");
                w.set("mon:{u2}:reco", "{}");
                w.hset("mon:{u1}:scores", "intent", "0.1");
                w.set("other:{u3}:reco", "{}");
                assertThat(counts.read()).contains(new RedisKeyCounts.Counts(2, 1));

                LocalRunChild.signal(redis.pid(), "STOP");
                try {
                    long t0 = System.nanoTime();
                    Optional<RedisKeyCounts.Counts> stalled = counts.read();
                    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                    assertThat(stalled).isEmpty();
                    assertThat(ms).as("bounded by redis.timeout (1 s), ms").isLessThan(5_000);
                    assertThat(counts.read()).as("and again, on a fresh connection").isEmpty();
                } finally {
                    LocalRunChild.signal(redis.pid(), "CONT");
                }
                assertThat(counts.read()).contains(new RedisKeyCounts.Counts(2, 1));
            }
        }
    }
}
