package com.shopsense.testing;

import java.util.Map;
import java.util.TreeMap;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/** Everything under a key prefix, as comparable text: key (without prefix) -> type + value (+ whether it has a TTL). */
public final class RedisState {
    private RedisState() {
    }

    public static Map<String, String> dump(UnifiedJedis redis, String prefix) {
        Map<String, String> out = new TreeMap<>();
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> page = redis.scan(cursor, new ScanParams().match(prefix + ":*").count(1000));
            for (String key : page.getResult()) {
                String type = redis.type(key);
                String value = switch (type) {
                    case "string" -> redis.get(key);
                    case "hash" -> new TreeMap<>(redis.hgetAll(key)).toString();
                    case "zset" -> redis.zrangeWithScores(key, 0, -1).toString();
                    default -> "?";
                };
                boolean ttl = redis.pttl(key) > 0;
                out.put(key.substring(prefix.length()), type + (ttl ? " ttl " : " NO-TTL ") + value);
            }
            cursor = page.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        return out;
    }
}
