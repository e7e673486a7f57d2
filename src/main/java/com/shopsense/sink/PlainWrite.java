package com.shopsense.sink;

import java.util.List;

/**
 * Plain commands that together replace one value as a whole, for streams whose writes reach the sink in
 * order per key (the last one sent wins, with no server-side check). Writes with the same
 * {@code coalescingKey} replace each other entirely, so the batch keeps only the last one of each key.
 */
public record PlainWrite(String coalescingKey, List<RedisCommand> commands) implements RedisWrite {
    public PlainWrite {
        if (coalescingKey == null || coalescingKey.isEmpty() || commands.isEmpty()) {
            throw new IllegalArgumentException("a plain write needs a coalescing key and commands");
        }
        commands = List.copyOf(commands);
    }
}
