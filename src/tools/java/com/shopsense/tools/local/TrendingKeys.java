package com.shopsense.tools.local;

import com.shopsense.sink.RedisKeys;
import com.shopsense.sink.RedisSettings;
import java.util.Locale;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * The trending keys the job wrote, for the local run's summary: whether {@code prefix:popular} exists and how
 * many {@code prefix:popular:cat:<id>} do. An unreachable Redis counts none.
 */
final class TrendingKeys {
    private TrendingKeys() {
    }

    record Count(boolean shopWide, long categories) {
        long total() {
            return (shopWide ? 1 : 0) + categories;
        }

        String line() {
            return String.format(Locale.ROOT, "trending keys present      %,d (shop-wide %d + %,d categories)", total(),
                    shopWide ? 1 : 0, categories);
        }
    }

    static Count read(RedisSettings settings) {
        RedisKeys keys = settings.keys();
        try (UnifiedJedis jedis = settings.createClient("local-run-trending")) {
            long categories = 0;
            String cursor = ScanParams.SCAN_POINTER_START;
            do {
                ScanResult<String> page = jedis.scan(cursor,
                        new ScanParams().match(keys.popular() + ":cat:*").count(5000));
                categories += page.getResult().size();
                cursor = page.getCursor();
            } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
            return new Count(jedis.exists(keys.popular()), categories);
        } catch (JedisException unreachable) {
            return new Count(false, 0);
        }
    }
}
