package com.shopsense.job;

import com.shopsense.config.JobConfig;
import com.shopsense.config.JobOptions;
import java.util.concurrent.TimeUnit;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.async.AsyncFunction;

/**
 * How the stateless models are called: Async I/O, so requests in flight are part of the checkpoint and are
 * re-sent after a failure. Unordered where the results' order does not matter; {@link #ordered} where the
 * results of one user must leave in the order their requests came (written to Redis plainly, last one wins).
 */
record AsyncCalls(int capacity) {
    /**
     * No Async I/O timeout: it is a processing-time timer scheduled and cancelled per request on the task's timer
     * queue (~7 % of the sessionizer's thread, which the recommend and churn calls are chained to). The models'
     * micro-batcher enforces {@code inference.async-timeout} instead, with one watchdog per model
     * ({@code ModelBatcher}), failing the request and so the task as the timeout did.
     */
    private static final long NO_TIMEOUT = 0;

    static AsyncCalls from(JobConfig cfg) {
        return new AsyncCalls(cfg.get(JobOptions.ASYNC_CAPACITY));
    }

    <I, O> SingleOutputStreamOperator<O> call(DataStream<I> in, AsyncFunction<I, O> model) {
        return AsyncDataStream.unorderedWait(in, model, NO_TIMEOUT, TimeUnit.MILLISECONDS, capacity);
    }

    /** Results in input order: a slow call holds back the ones after it (up to the capacity). */
    <I, O> SingleOutputStreamOperator<O> ordered(DataStream<I> in, AsyncFunction<I, O> model) {
        return AsyncDataStream.orderedWait(in, model, NO_TIMEOUT, TimeUnit.MILLISECONDS, capacity);
    }
}
