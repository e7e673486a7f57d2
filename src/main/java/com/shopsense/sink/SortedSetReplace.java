package com.shopsense.sink;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;

/**
 * A sorted set replaced as a whole with plain commands, for a stream that reaches the sink in order per key (the
 * last one sent wins, no server-side check): {@code DEL staging}, {@code ZADD staging}, {@code PEXPIRE staging ttl},
 * {@code RENAME staging key}. The list is built beside the key and swapped in by one atomic RENAME, so a reader sees
 * the old or the new list, never a partial or mixed one; the DEL clears what an interrupted earlier write may have
 * left in the staging key. No member: {@code DEL key}. Both keys must be in one slot (Redis Cluster). Costs
 * redis-server ~1.8x less than the Lua script it replaced at 10 members, 1.1-1.5x at 50, where ZADD itself is most
 * of the cost (load-tests/RESULTS.md, "Redis write path"). Pending writes of one key replace each other whole.
 *
 * @param members best first: ZADD inserts each member cheapest when it is the new lowest score (Redis keeps a
 *     small sorted set in ascending order and scans from its head; sent worst first, the same list costs ~3x)
 */
public record SortedSetReplace(String key, String staging, String[] members, double[] scores, long ttlMs)
        implements RedisWrite {
    public SortedSetReplace {
        if (key == null || key.isEmpty() || staging == null || staging.equals(key)
                || members.length != scores.length) {
            throw new IllegalArgumentException("a sorted-set replace needs a key, another staging key and one score "
                    + "per member: " + key);
        }
    }

    /** Queues the write's commands; their responses, in order. */
    List<Response<?>> queue(AbstractPipeline p) {
        if (members.length == 0) {
            return List.of(p.del(key));
        }
        Map<String, Double> m = new LinkedHashMap<>(2 * members.length);
        for (int i = 0; i < members.length; i++) {
            m.put(members[i], scores[i]); // Jedis writes the score as Double.toString does: exact
        }
        return List.of(p.del(staging), p.zadd(staging, m), p.pexpire(staging, ttlMs), p.rename(staging, key));
    }
}
