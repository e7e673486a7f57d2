package com.shopsense.sink;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MeterView;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

/**
 * Writer of {@link RedisSink}: one Redis client per writer (per parallel subtask). write() and the
 * max-delay timer both run in the task's mailbox thread, so the batch needs no locking; a blocked
 * flush blocks the task, which is how Redis slowness backpressures the job.
 *
 * <p>Metrics under the sink's operator group, subgroup {@code redis}: {@code writes} (counter),
 * {@code writesPerSecond} (meter), {@code pipelineLatencyMs} (histogram), {@code lastPipelineLatencyMs}
 * (gauge), {@code pipelineSize} (histogram), {@code retries}, {@code failures} (failed attempts),
 * {@code coalesced} (plain writes replaced by a later one of the same key before they went out) and
 * {@code pending} (gauge); also Flink's standard numRecordsSend / numRecordsSendErrors.
 */
final class RedisSinkWriter<T> implements SinkWriter<T> {
    private final RedisSettings settings;
    private final RedisSink.Mapper<T> mapper;
    private final RedisSink.MultiMapper<T> multiMapper; // instead of mapper, for records of several writes
    private final RedisKeys keys;
    private final RedisBatchWriter writer;
    private final ProcessingTimeService time;
    private long timerDue = Long.MIN_VALUE;
    private long firstPendingAt;
    private boolean closed;

    RedisSinkWriter(RedisSettings settings, RedisSink.Mapper<T> mapper, RedisSink.MultiMapper<T> multiMapper,
            String name, WriterInitContext context) {
        this.settings = settings;
        this.mapper = mapper;
        this.multiMapper = multiMapper;
        this.keys = settings.keys();
        this.time = context.getProcessingTimeService();
        SinkWriterMetricGroup sinkGroup = context.metricGroup();
        MetricGroup g = sinkGroup.addGroup("redis");
        Counter writes = g.counter("writes");
        g.meter("writesPerSecond", new MeterView(writes));
        Histogram latency = g.histogram("pipelineLatencyMs", new DescriptiveStatisticsHistogram(1000));
        Histogram size = g.histogram("pipelineSize", new DescriptiveStatisticsHistogram(1000));
        Counter retries = g.counter("retries");
        Counter failures = g.counter("failures");
        Counter scriptCacheLosses = g.counter("scriptCacheLosses");
        Counter coalesced = g.counter("coalesced");
        AtomicLong lastLatency = new AtomicLong();
        g.gauge("lastPipelineLatencyMs", lastLatency::get);
        Counter send = sinkGroup.getNumRecordsSendCounter();
        Counter sendErrors = sinkGroup.getNumRecordsSendErrorsCounter();
        this.writer = new RedisBatchWriter(settings.createClient("shopsense-" + name + "-"
                + context.getTaskInfo().getIndexOfThisSubtask()), settings, new RedisBatchWriter.Listener() {
                    @Override
                    public void flushed(int n, long nanos) {
                        writes.inc(n);
                        send.inc(n);
                        long ms = nanos / 1_000_000;
                        latency.update(ms);
                        lastLatency.set(ms);
                        size.update(n);
                    }

                    @Override
                    public void retried(Exception cause) {
                        retries.inc();
                    }

                    @Override
                    public void failed(Exception cause) {
                        failures.inc();
                        sendErrors.inc();
                    }

                    @Override
                    public void scriptCacheLost() {
                        scriptCacheLosses.inc();
                    }

                    @Override
                    public void coalesced() {
                        coalesced.inc();
                    }
                });
        g.gauge("pending", writer::pending);
    }

    @Override
    public void write(T element, Context context) throws IOException, InterruptedException {
        if (writer.pending() == 0) {
            firstPendingAt = time.getCurrentProcessingTime();
        }
        if (multiMapper == null) {
            writer.add(mapper.map(element, keys, settings));
        } else {
            for (RedisWrite w : multiMapper.map(element, keys, settings)) {
                writer.add(w);
            }
        }
        if (writer.pending() > 0) {
            scheduleMaxDelayFlush();
        }
    }

    private void scheduleMaxDelayFlush() {
        long due = firstPendingAt + settings.maxDelayMs();
        if (timerDue >= firstPendingAt && timerDue <= due) {
            return; // a timer for this batch (or an earlier one) is already set
        }
        timerDue = due;
        time.registerTimer(due, now -> {
            if (closed) {
                return;
            }
            if (writer.pending() > 0 && now >= firstPendingAt + settings.maxDelayMs()) {
                writer.flush();
            } else if (writer.pending() > 0) {
                timerDue = Long.MIN_VALUE;
                scheduleMaxDelayFlush();
            }
        });
    }

    /** Called before every checkpoint barrier is passed on and at end of input: everything goes out. */
    @Override
    public void flush(boolean endOfInput) throws IOException, InterruptedException {
        writer.flush();
    }

    @Override
    public void close() {
        closed = true;
        writer.close();
    }
}
