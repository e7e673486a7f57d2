package com.shopsense.sink;

import java.util.List;

/** A script with the keys (all of one user, one slot) and arguments it runs on. */
public record ScriptWrite(RedisScript script, List<String> keys, List<String> args) implements RedisWrite {
}
