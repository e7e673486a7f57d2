package com.shopsense.sink;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.params.SetParams;

/**
 * One plain Redis command of a {@link PlainWrite}. Queued through Jedis's typed pipeline methods, so a
 * cluster pipeline routes it by its key.
 *
 * @param args HSET: field, value, field, value...; PEXPIRE: ttlMs; SET_PX: value, ttlMs
 */
public record RedisCommand(Kind kind, String key, List<String> args) {
    public enum Kind { HSET, PEXPIRE, SET_PX }

    public RedisCommand {
        int n = args.size();
        if (kind == Kind.HSET ? n == 0 || n % 2 != 0 : n != (kind == Kind.PEXPIRE ? 1 : 2)) {
            throw new IllegalArgumentException(kind + " with bad arguments " + args);
        }
        args = List.copyOf(args);
    }

    public static RedisCommand hset(String key, String... fieldsAndValues) {
        return new RedisCommand(Kind.HSET, key, List.of(fieldsAndValues));
    }

    public static RedisCommand pexpire(String key, long ttlMs) {
        return new RedisCommand(Kind.PEXPIRE, key, List.of(Long.toString(ttlMs)));
    }

    /** SET key value PX ttl: one atomic replace, so a reader gets the old or the new value, never a mix. */
    public static RedisCommand setPx(String key, String value, long ttlMs) {
        return new RedisCommand(Kind.SET_PX, key, List.of(value, Long.toString(ttlMs)));
    }

    Response<?> queue(AbstractPipeline p) {
        return switch (kind) {
            case HSET -> {
                Map<String, String> h = new LinkedHashMap<>();
                for (int i = 0; i < args.size(); i += 2) {
                    h.put(args.get(i), args.get(i + 1));
                }
                yield p.hset(key, h);
            }
            case PEXPIRE -> p.pexpire(key, Long.parseLong(args.get(0)));
            case SET_PX -> p.set(key, args.get(0), SetParams.setParams().px(Long.parseLong(args.get(1))));
        };
    }
}
