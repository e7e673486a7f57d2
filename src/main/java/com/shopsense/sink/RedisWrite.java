package com.shopsense.sink;

/**
 * One idempotent write of the sink: a {@link ScriptWrite} (a Lua script, for the writes that need a
 * server-side check) or a {@link PlainWrite} (plain commands, for the per-event streams that arrive in
 * order per user).
 */
public sealed interface RedisWrite permits ScriptWrite, PlainWrite {
}
