package com.shopsense.sink;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The sink's Lua scripts, for the writes whose stream may reach the sink out of order (fraud, churn and
 * segment scores arrive on different paths; alerts, totals, KPIs). Each runs atomically on the server,
 * touches only keys of one slot and is idempotent with last-event-time (or sequence) wins ordering, so a
 * replay after recovery, a retried pipeline or records arriving out of order converge to the same final
 * state. The per-event writes (intent, recommendations) and the trending lists are plain commands instead
 * ({@link PlainWrite}, {@link HashFieldsWrite}, {@link SortedSetReplace}).
 */
public enum RedisScript {
    /**
     * KEYS[1] scores, KEYS[2] scores:ts; ARGV updatedAt, ttlMs, field, value, field, value... Each
     * field keeps the value with the latest event time (per field, so a late churn score is not lost
     * behind a newer fraud score); updatedAt only moves forward. The intent fields are not versioned here:
     * they are written plainly, in order.
     */
    SCORES("local t = tonumber(ARGV[1])\n"
            + "local n = 0\n"
            + "for i = 3, #ARGV, 2 do\n"
            + "  local old = tonumber(redis.call('HGET', KEYS[2], ARGV[i]))\n"
            + "  if (not old) or old <= t then\n"
            + "    redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])\n"
            + "    redis.call('HSET', KEYS[2], ARGV[i], ARGV[1])\n"
            + "    n = n + 1\n"
            + "  end\n"
            + "end\n"
            + "local u = tonumber(redis.call('HGET', KEYS[1], 'updatedAt'))\n"
            + "if (not u) or u < t then redis.call('HSET', KEYS[1], 'updatedAt', ARGV[1]) end\n"
            + "redis.call('PEXPIRE', KEYS[1], ARGV[2])\n"
            + "redis.call('PEXPIRE', KEYS[2], ARGV[2])\n"
            + "return n\n"),
    /**
     * KEYS[1] alerts (zset), KEYS[2] alerts:body (hash); ARGV eventTime, alertId, json, ttlMs, keep.
     * Keyed by the deterministic alertId, so a replay adds nothing; the first body written is kept.
     * Keeps the {@code keep} latest by event time (ties by id).
     */
    ALERT("redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])\n"
            + "redis.call('HSETNX', KEYS[2], ARGV[2], ARGV[3])\n"
            + "local keep = tonumber(ARGV[5])\n"
            + "local n = redis.call('ZCARD', KEYS[1])\n"
            + "if n > keep then\n"
            + "  local old = redis.call('ZRANGE', KEYS[1], 0, n - keep - 1)\n"
            + "  redis.call('ZREMRANGEBYRANK', KEYS[1], 0, n - keep - 1)\n"
            + "  for _, id in ipairs(old) do redis.call('HDEL', KEYS[2], id) end\n"
            + "end\n"
            + "redis.call('PEXPIRE', KEYS[1], ARGV[4])\n"
            + "redis.call('PEXPIRE', KEYS[2], ARGV[4])\n"
            + "return 1\n"),
    /**
     * KEYS[1] a counters hash; ARGV sequence, ttlMs, field, value, field, value... Replaces the fields
     * unless the stored {@code sequence} is larger: totals from a checkpointed aggregate are re-emitted
     * in the same order after a restart, so the last write wins and a replay rewrites the same values.
     */
    TOTALS("local cur = tonumber(redis.call('HGET', KEYS[1], 'sequence'))\n"
            + "if cur and cur > tonumber(ARGV[1]) then return 0 end\n"
            + "redis.call('HSET', KEYS[1], 'sequence', ARGV[1])\n"
            + "for i = 3, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end\n"
            + "redis.call('PEXPIRE', KEYS[1], ARGV[2])\n"
            + "return 1\n"),
    /**
     * KEYS[1] counts hash, KEYS[2] their sequences; ARGV field, value, sequence. Sets one count unless its
     * stored sequence is larger: each field comes from its own keyed aggregate, re-emitted in the same
     * order after a restart, so per-field last-sequence-wins converges like {@link #TOTALS}.
     */
    COUNT("local cur = tonumber(redis.call('HGET', KEYS[2], ARGV[1]))\n"
            + "if cur and cur > tonumber(ARGV[3]) then return 0 end\n"
            + "redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])\n"
            + "redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])\n"
            + "return 1\n"),
    /**
     * KEYS[1] a KPI time series (zset scored by window end); ARGV windowEnd, json, retentionMs. Replaces
     * the entry of that window (a re-emitted window overwrites, never duplicates), drops entries older
     * than the retention before the newest one and sets the key's TTL to the retention.
     */
    KPI("redis.call('ZREMRANGEBYSCORE', KEYS[1], ARGV[1], ARGV[1])\n"
            + "redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])\n"
            + "local newest = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')\n"
            + "redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. (tonumber(newest[2]) - tonumber(ARGV[3])))\n"
            + "redis.call('PEXPIRE', KEYS[1], ARGV[3])\n"
            + "return 1\n");

    private final String lua;
    private final String sha1;

    RedisScript(String lua) {
        this.lua = lua;
        this.sha1 = sha1(lua);
    }

    public String lua() {
        return lua;
    }

    /** The SHA1 that EVALSHA uses (what SCRIPT LOAD returns). */
    public String sha1() {
        return sha1;
    }

    private static String sha1(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
