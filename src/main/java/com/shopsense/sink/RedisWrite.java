package com.shopsense.sink;

import java.util.List;

/** One idempotent write: a script with the keys (all of one user, one slot) and arguments it runs on. */
public record RedisWrite(RedisScript script, List<String> keys, List<String> args) {
}
