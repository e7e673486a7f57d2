package com.shopsense.testing;

import com.shopsense.config.JobConfig;
import com.shopsense.config.JobOptions;
import com.shopsense.sink.RedisSettings;
import com.shopsense.tools.local.RedisServerProcess;
import java.nio.file.Files;
import java.util.UUID;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit extension: one real cache-only {@code redis-server} for the whole test run (like
 * {@link SharedKafka}). Tests share it by using a fresh key prefix each ({@link #settings(String)}).
 * Fault tests that kill Redis start their own {@link RedisServerProcess} instead.
 */
public final class SharedRedis implements BeforeAllCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(SharedRedis.class);
    private static RedisServerProcess server;

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot().getStore(NS).getOrComputeIfAbsent("redis", k -> {
            start();
            return (ExtensionContext.Store.CloseableResource) SharedRedis::stop;
        });
    }

    public static synchronized RedisServerProcess server() {
        start();
        return server;
    }

    /** Sink settings for the shared server with a fresh key prefix {@code name-xxxxxxxx}. */
    public static RedisSettings settings(String name) {
        return settings(server(), name);
    }

    public static RedisSettings settings(RedisServerProcess redis, String name) {
        return RedisSettings.fromConfig(JobConfig.of(java.util.Map.of(
                JobOptions.REDIS_NODES.key(), redis.address(),
                JobOptions.REDIS_KEY_PREFIX.key(), name + "-" + UUID.randomUUID().toString().substring(0, 8),
                JobOptions.REDIS_BATCH_SIZE.key(), "50",
                JobOptions.REDIS_MAX_DELAY.key(), "20 ms")));
    }

    private static synchronized void start() {
        if (server == null) {
            try {
                server = RedisServerProcess.start(Files.createTempDirectory("shopsense-redis-"));
            } catch (Exception e) {
                throw new IllegalStateException("could not start the test redis-server: " + e.getMessage(), e);
            }
        }
    }

    private static synchronized void stop() throws InterruptedException {
        if (server != null) {
            server.close();
            server = null;
        }
    }
}
