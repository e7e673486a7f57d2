package com.shopsense.sink;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The Flink-free core of the Redis sink: buffers {@link RedisWrite}s and sends a batch as one
 * pipeline, in the order they were added: EVALSHA for the {@link ScriptWrite}s, the commands of the
 * {@link PlainWrite}s, {@link HashFieldsWrite}s and {@link SortedSetReplace}s as they are. A plain write replaces
 * the pending one with the same coalescing key (a sorted set: the same key) in place (it supersedes it whole; a
 * hash write merges; the other writes keep their order), so a batch holds at most one plain write per key. A failed pipeline is resent whole (every write is idempotent) after an
 * exponential backoff, at most {@code maxRetries} times; then {@link #flush()} throws and the caller
 * (the Flink task) fails and restarts from its last checkpoint: a write is never dropped. A server
 * that lost its script cache (restart, failover) answers NOSCRIPT: the batch is then resent with
 * EVAL, which loads the scripts again. The first batch on a server that never had them gets NOSCRIPT
 * too; that is a first load, not a loss, and is not reported as one. Not thread-safe: one per sink writer.
 */
public final class RedisBatchWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RedisBatchWriter.class);

    /** Callbacks for metrics. */
    public interface Listener {
        default void flushed(int writes, long nanos) {
        }

        default void retried(Exception cause) {
        }

        default void failed(Exception cause) {
        }

        /** Redis answered NOSCRIPT after it had run this writer's scripts: it restarted or failed over. */
        default void scriptCacheLost() {
        }

        /** A plain write replaced a pending one with the same coalescing key. */
        default void coalesced() {
        }
    }

    private final UnifiedJedis client;
    private final RedisSettings settings;
    private final Listener listener;
    private final List<RedisWrite> batch;
    /** Coalescing key -> index in {@link #batch} of the pending plain write. */
    private final Map<String, Integer> plainAt;
    private boolean useEval;
    /** True once Redis has run this writer's scripts: a NOSCRIPT after that means the cache was lost. */
    private boolean scriptsCached;

    public RedisBatchWriter(UnifiedJedis client, RedisSettings settings, Listener listener) {
        this.client = client;
        this.settings = settings;
        this.listener = listener;
        this.batch = new ArrayList<>(settings.batchSize());
        this.plainAt = new HashMap<>(2 * settings.batchSize());
    }

    /** Buffers a write; sends the batch when it is full (blocking: this is the sink's backpressure). */
    public void add(RedisWrite w) throws IOException, InterruptedException {
        if (w instanceof PlainWrite p) {
            Integer at = plainAt.putIfAbsent(p.coalescingKey(), batch.size());
            if (at != null) {
                batch.set(at, w);
                listener.coalesced();
                return;
            }
        } else if (w instanceof HashFieldsWrite h) {
            Integer at = plainAt.putIfAbsent("hash|" + h.key(), batch.size());
            if (at != null) {
                batch.set(at, ((HashFieldsWrite) batch.get(at)).mergedWith(h));
                listener.coalesced();
                return;
            }
        } else if (w instanceof SortedSetReplace z) {
            Integer at = plainAt.putIfAbsent("zset|" + z.key(), batch.size());
            if (at != null) {
                batch.set(at, w); // replaces the whole set: the pending one is superseded
                listener.coalesced();
                return;
            }
        }
        batch.add(w);
        if (batch.size() >= settings.batchSize()) {
            flush();
        }
    }

    public int pending() {
        return batch.size();
    }

    /** Sends everything buffered; returns when Redis has acknowledged all of it. */
    public void flush() throws IOException, InterruptedException {
        if (batch.isEmpty()) {
            return;
        }
        long backoff = settings.retryBackoffMs();
        for (int attempt = 0;; attempt++) {
            long start = System.nanoTime();
            try {
                send();
                listener.flushed(batch.size(), System.nanoTime() - start);
                batch.clear();
                plainAt.clear();
                return;
            } catch (JedisException e) {
                boolean noScript = isNoScript(e);
                if (noScript && !useEval) {
                    if (scriptsCached) {
                        LOG.info("Redis lost the sink's scripts (restart or failover): resending with EVAL");
                        listener.scriptCacheLost();
                    } else {
                        LOG.debug("Redis does not have the sink's scripts yet: loading them with EVAL");
                    }
                    useEval = true;
                    attempt--; // not a failure of Redis
                    continue;
                }
                listener.failed(e);
                if (attempt >= settings.maxRetries()) {
                    throw new IOException("Redis pipeline of " + batch.size() + " writes failed after "
                            + (attempt + 1) + " attempts; failing the task so that it restarts from the last "
                            + "checkpoint", e);
                }
                listener.retried(e);
                LOG.warn("Redis pipeline of {} writes failed (attempt {} of {}), retrying in {} ms: {}", batch.size(),
                        attempt + 1, settings.maxRetries() + 1, backoff, e.toString());
                Thread.sleep(backoff);
                backoff = Math.min(backoff * 2, settings.retryBackoffMaxMs());
            }
        }
    }

    private void send() {
        List<Response<?>> responses = new ArrayList<>(batch.size() + batch.size() / 2);
        boolean scripts = false;
        try (AbstractPipeline p = client.pipelined()) {
            for (RedisWrite w : batch) {
                if (w instanceof ScriptWrite s) {
                    scripts = true;
                    responses.add(useEval ? p.eval(s.script().lua(), s.keys(), s.args())
                            : p.evalsha(s.script().sha1(), s.keys(), s.args()));
                } else if (w instanceof HashFieldsWrite h) {
                    responses.addAll(h.queue(p));
                } else if (w instanceof SortedSetReplace z) {
                    responses.addAll(z.queue(p));
                } else {
                    for (RedisCommand c : ((PlainWrite) w).commands()) {
                        responses.add(c.queue(p));
                    }
                }
            }
            p.sync();
        }
        JedisException first = null;
        for (Response<?> r : responses) {
            try {
                r.get();
            } catch (JedisException e) {
                if (first == null || isNoScript(e)) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
        if (scripts) { // a batch of plain writes only says nothing about the script cache
            useEval = false; // the scripts are cached again: back to EVALSHA
            scriptsCached = true;
        }
    }

    private static boolean isNoScript(Exception e) {
        return e instanceof JedisDataException && e.getMessage() != null && e.getMessage().startsWith("NOSCRIPT");
    }

    @Override
    public void close() {
        client.close();
    }
}
