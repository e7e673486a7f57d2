package com.shopsense.sink;

import com.shopsense.config.JobConfig;
import com.shopsense.config.JobOptions;
import com.shopsense.config.Secrets;
import java.io.Serializable;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.stream.Collectors;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.UnifiedJedis;

/**
 * Connection and write settings of the Redis sink and the storefront reader, from the redis.* job
 * options. Serializable (it travels with the sink to the TaskManagers); the password is resolved
 * there, so {@code env:NAME} and {@code file:PATH} read the TaskManager's environment and files.
 */
public record RedisSettings(
        boolean cluster,
        String nodes,
        int database,
        String user,
        String password,
        boolean tls,
        int timeoutMs,
        String keyPrefix,
        long recoTtlMs,
        long scoresTtlMs,
        long alertsTtlMs,
        int alertsPerUser,
        int alertsShopWide,
        int batchSize,
        long maxDelayMs,
        int maxRetries,
        long retryBackoffMs,
        long retryBackoffMaxMs) implements Serializable {

    public RedisSettings {
        if (batchSize < 1 || maxRetries < 0 || alertsPerUser < 1 || alertsShopWide < 1 || retryBackoffMs < 1) {
            throw new IllegalArgumentException("redis.batch-size, redis.alerts-per-user, redis.alerts-shop-wide must be >= 1, "
                    + "redis.max-retries >= 0, redis.retry-backoff > 0");
        }
        if (cluster && database != 0) {
            throw new IllegalArgumentException("redis.database must be 0 in cluster mode");
        }
        RedisKeys.validatePrefix(keyPrefix);
        hostsOf(nodes);
    }

    /** As the record's, but the password is never printed (settings end up in logs and exception messages). */
    @Override
    public String toString() {
        return "RedisSettings[cluster=" + cluster + ", nodes=" + nodes + ", database=" + database + ", user=" + user
                + ", password=" + (password == null || password.isEmpty() ? "" : "<redacted>") + ", tls=" + tls
                + ", timeoutMs=" + timeoutMs + ", keyPrefix=" + keyPrefix + ", batchSize=" + batchSize + "]";
    }

    /** The one place the redis.* options become settings. */
    public static RedisSettings fromConfig(JobConfig cfg) {
        return new RedisSettings(cfg.get(JobOptions.REDIS_MODE) == JobOptions.RedisMode.CLUSTER,
                cfg.get(JobOptions.REDIS_NODES).trim(), cfg.get(JobOptions.REDIS_DATABASE),
                cfg.getOptional(JobOptions.REDIS_USER).map(String::trim).orElse(""),
                cfg.getOptional(JobOptions.REDIS_PASSWORD).orElse(""), cfg.get(JobOptions.REDIS_TLS),
                (int) cfg.get(JobOptions.REDIS_TIMEOUT).toMillis(), cfg.get(JobOptions.REDIS_KEY_PREFIX).trim(),
                cfg.get(JobOptions.REDIS_RECO_TTL).toMillis(),
                cfg.get(JobOptions.REDIS_SCORES_TTL).toMillis(),
                cfg.get(JobOptions.REDIS_ALERTS_TTL).toMillis(), cfg.get(JobOptions.REDIS_ALERTS_PER_USER),
                cfg.get(JobOptions.REDIS_ALERTS_SHOP_WIDE),
                cfg.get(JobOptions.REDIS_BATCH_SIZE), cfg.get(JobOptions.REDIS_MAX_DELAY).toMillis(),
                cfg.get(JobOptions.REDIS_MAX_RETRIES), cfg.get(JobOptions.REDIS_RETRY_BACKOFF).toMillis(),
                cfg.get(JobOptions.REDIS_RETRY_BACKOFF_MAX).toMillis());
    }

    public RedisKeys keys() {
        return new RedisKeys(keyPrefix);
    }

    static Set<HostAndPort> hostsOf(String nodes) {
        Set<HostAndPort> hosts = Arrays.stream(nodes.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .map(HostAndPort::from).collect(Collectors.toCollection(LinkedHashSet::new));
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("redis.nodes is empty");
        }
        return hosts;
    }

    /** A new client: one per sink writer (or reader), closed by its owner. Never shared across threads. */
    public UnifiedJedis createClient(String clientName) {
        DefaultJedisClientConfig.Builder b = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(timeoutMs).socketTimeoutMillis(timeoutMs)
                .ssl(tls).clientName(clientName);
        if (!cluster) {
            b.database(database);
        }
        if (user != null && !user.isEmpty()) {
            b.user(user);
        }
        String pw = Secrets.resolve(JobOptions.REDIS_PASSWORD.key(), password);
        if (pw != null && !pw.isEmpty()) {
            b.password(pw);
        }
        if (cluster) {
            return RedisClusterClient.builder().nodes(hostsOf(nodes)).clientConfig(b.build()).maxAttempts(3).build();
        }
        return RedisClient.builder().hostAndPort(hostsOf(nodes).iterator().next()).clientConfig(b.build()).build();
    }

    /** Copy with another key prefix (tests run several jobs side by side on one server). */
    public RedisSettings withKeyPrefix(String prefix) {
        return new RedisSettings(cluster, nodes, database, user, password, tls, timeoutMs, prefix, recoTtlMs,
                scoresTtlMs, alertsTtlMs, alertsPerUser, alertsShopWide, batchSize, maxDelayMs, maxRetries, retryBackoffMs,
                retryBackoffMaxMs);
    }
}
