package com.shopsense.loadtest;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * In-process counters for load-test jobs that run in a MiniCluster in the harness JVM: a terminal
 * sink that counts records and remembers the wall time of the first and the last one. Not for
 * production (static state); lives in src/test so it is not in the job JAR.
 */
public final class Counters {
    private static final Map<String, Counter> COUNTERS = new ConcurrentHashMap<>();

    private Counters() {
    }

    /** Count, first and last arrival (System.nanoTime) of one named stream. */
    public static final class Counter {
        final AtomicLong count = new AtomicLong();
        volatile long firstNanos;
        volatile long lastNanos;

        void hit() {
            long now = System.nanoTime();
            if (count.getAndIncrement() == 0) {
                firstNanos = now;
            }
            lastNanos = now;
        }

        public long count() {
            return count.get();
        }

        public long firstNanos() {
            return firstNanos;
        }

        public long lastNanos() {
            return lastNanos;
        }

        /** Records per second between the first and the last record. */
        public double ratePerSecond() {
            long n = count.get();
            long span = lastNanos - firstNanos;
            return n < 2 || span <= 0 ? 0 : (n - 1) * 1e9 / span;
        }
    }

    public static Counter get(String name) {
        return COUNTERS.computeIfAbsent(name, k -> new Counter());
    }

    public static void reset() {
        COUNTERS.clear();
    }

    /** A sink that only counts (a discarding sink with a stopwatch). */
    public static <T> Sink<T> sink(String name) {
        return new CountingSink<>(name);
    }

    private static final class CountingSink<T> implements Sink<T> {
        private static final long serialVersionUID = 1L;
        private final String name;

        CountingSink(String name) {
            this.name = name;
        }

        @Override
        public SinkWriter<T> createWriter(WriterInitContext context) {
            Counter c = get(name);
            return new SinkWriter<>() {
                @Override
                public void write(T element, Context ctx) {
                    c.hit();
                }

                @Override
                public void flush(boolean endOfInput) {
                }

                @Override
                public void close() {
                }
            };
        }
    }
}
