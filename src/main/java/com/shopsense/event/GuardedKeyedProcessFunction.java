package com.shopsense.event;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.function.SerializableFunction;

/**
 * Runs a keyed function so that a record it throws on (a bug, not bad input) goes to
 * {@link RouteInvalidRecords#DEAD_LETTERS} via {@link UnexpectedErrors} and the job keeps running, within the
 * budget. The wrapped function keeps its state, timers and side outputs: it gets this operator's runtime
 * context. What the failed call did before it threw stays done (outputs emitted, timers set; with the heap
 * state backend also in-place changes of a state object; RocksDB keeps only what was written with update()).
 * Failures of the runtime itself ({@link UnexpectedErrors#isInfrastructure}) still fail the task.
 *
 * @param <K> key
 * @param <I> input
 * @param <O> output
 */
public class GuardedKeyedProcessFunction<K, I, O> extends KeyedProcessFunction<K, I, O>
        implements ResultTypeQueryable<O> {
    private static final long serialVersionUID = 1L;

    private final KeyedProcessFunction<K, I, O> inner;
    private final UnexpectedErrors errors;
    private final SerializableFunction<I, byte[]> rawOf;
    private final String sourceTopic;
    private final TypeInformation<O> outputType;

    /**
     * @param rawOf the dead letter's value for an input (the input no longer has its original bytes)
     * @param sourceTopic the topic the input came from, for the dead letter (partition and offset are -1)
     */
    public GuardedKeyedProcessFunction(KeyedProcessFunction<K, I, O> inner, UnexpectedErrors errors,
            SerializableFunction<I, byte[]> rawOf, String sourceTopic, TypeInformation<O> outputType) {
        this.inner = inner;
        this.errors = errors;
        this.rawOf = rawOf;
        this.sourceTopic = sourceTopic;
        this.outputType = outputType;
    }

    @Override
    public void setRuntimeContext(RuntimeContext t) {
        super.setRuntimeContext(t);
        inner.setRuntimeContext(t);
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        inner.open(openContext);
        errors.open(getRuntimeContext().getMetricGroup());
    }

    @Override
    public void close() throws Exception {
        inner.close();
    }

    @Override
    public void processElement(I value, Context ctx, Collector<O> out) throws Exception {
        try {
            inner.processElement(value, ctx, out);
        } catch (RuntimeException | StackOverflowError e) {
            deadLetterOrRethrow(e, raw(value), ctx);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<O> out) throws Exception {
        try {
            inner.onTimer(timestamp, ctx, out);
        } catch (RuntimeException | StackOverflowError e) {
            // No record to keep: the dead letter has an empty value and says which timer (the key is not
            // written: it is a user id).
            deadLetterOrRethrow(e, new byte[0], ctx);
        }
    }

    /** @param e a RuntimeException or StackOverflowError (what the callers catch) */
    private void deadLetterOrRethrow(Throwable e, byte[] raw, Context ctx) {
        if (UnexpectedErrors.isInfrastructure(e)) {
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw (Error) e;
        }
        ctx.output(RouteInvalidRecords.DEAD_LETTERS, errors.deadLetter(e, raw, sourceTopic, -1, -1));
    }

    private byte[] raw(I value) {
        try {
            return rawOf.apply(value);
        } catch (RuntimeException e) {
            return new byte[0]; // the input may be what broke the function; its dead letter must still go out
        }
    }

    @Override
    public TypeInformation<O> getProducedType() {
        return outputType;
    }

    /** This instance's failure accounting (metric unexpectedErrors). */
    public UnexpectedErrors errors() {
        return errors;
    }
}
