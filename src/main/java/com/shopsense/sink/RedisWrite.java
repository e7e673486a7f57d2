package com.shopsense.sink;

/**
 * One idempotent write of the sink: a {@link ScriptWrite} (a Lua script, for the writes that need a
 * server-side check), a {@link PlainWrite} (plain commands replacing a value, for streams that arrive in
 * order per user), a {@link HashFieldsWrite} (score-hash fields set plainly, merged per hash within a batch) or a
 * {@link SortedSetReplace} (a trending list swapped in whole, in order per scope).
 */
public sealed interface RedisWrite permits ScriptWrite, PlainWrite, HashFieldsWrite, SortedSetReplace {
}
