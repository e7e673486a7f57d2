package com.shopsense.sink;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;

/**
 * Fields of one score hash set plainly (HSET + PEXPIRE), for streams that reach the sink in order per user and
 * field. Two pending writes of the same hash merge into one ({@link #mergedWith}: the later value of a field wins,
 * updatedAt is the newer), so a user's churn and segment of one close, or several intent changes within one
 * flush, cost one HSET.
 *
 * @param fields field -> value, in the order first written; never contains {@code updatedAt}
 */
public record HashFieldsWrite(String key, Map<String, String> fields, long updatedAt, long ttlMs)
        implements RedisWrite {
    public HashFieldsWrite {
        if (key == null || key.isEmpty() || fields.isEmpty() || fields.containsKey("updatedAt")) {
            throw new IllegalArgumentException("a hash write needs a key and fields other than updatedAt");
        }
        fields = new LinkedHashMap<>(fields);
    }

    /** This write followed by {@code later} (same key): one HSET with both. */
    HashFieldsWrite mergedWith(HashFieldsWrite later) {
        if (!later.key.equals(key)) {
            throw new IllegalArgumentException("merging writes of " + key + " and " + later.key);
        }
        Map<String, String> merged = new LinkedHashMap<>(fields);
        merged.putAll(later.fields);
        return new HashFieldsWrite(key, merged, Math.max(updatedAt, later.updatedAt), later.ttlMs);
    }

    /** Queues HSET (the fields and updatedAt) and PEXPIRE: the map goes to Jedis as it is, no argument lists. */
    List<Response<?>> queue(AbstractPipeline p) {
        Map<String, String> h = new LinkedHashMap<>(fields);
        h.put("updatedAt", Long.toString(updatedAt));
        return List.of(p.hset(key, h), p.pexpire(key, ttlMs));
    }
}
