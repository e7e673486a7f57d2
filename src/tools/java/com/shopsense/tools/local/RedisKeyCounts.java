package com.shopsense.tools.local;

import com.shopsense.sink.RedisSettings;
import java.util.Optional;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Counts the users with recommendations and with scores (keys under the prefix) for the progress
 * line. Each command is bounded by redis.timeout; an unreachable or stalled server is an empty
 * answer (the line says "Redis unreachable"), never an exception that would end the run.
 */
final class RedisKeyCounts implements AutoCloseable {
    record Counts(long reco, long scores) {
    }

    private final UnifiedJedis jedis;
    private final String prefix;

    RedisKeyCounts(RedisSettings settings) {
        this.jedis = settings.createClient("local-run");
        this.prefix = settings.keyPrefix();
    }

    Optional<Counts> read() {
        try {
            long reco = 0;
            long scores = 0;
            String cursor = ScanParams.SCAN_POINTER_START;
            do {
                ScanResult<String> page = jedis.scan(cursor, new ScanParams().match(prefix + ":*").count(5000));
                for (String k : page.getResult()) {
                    if (k.endsWith("}:reco")) {
                        reco++;
                    } else if (k.endsWith("}:scores")) {
                        scores++;
                    }
                }
                cursor = page.getCursor();
            } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
            return Optional.of(new Counts(reco, scores));
        } catch (JedisException unreachable) {
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        jedis.close();
    }
}
