package com.shopsense.aggregate;

import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;

/**
 * A stateless operator that sums its input in memory where it arises (chained) and emits the sums before every
 * watermark, before every checkpoint barrier and at end of input: downstream sees everything before the watermark
 * that follows it, and a checkpoint holds nothing in flight (there is no state to snapshot). Subclasses say how a
 * record is added ({@code processElement}) and how the sums go out ({@link #emitAll}).
 */
public abstract class CombinedUntilWatermark<I, O> extends AbstractStreamOperator<O>
        implements OneInputStreamOperator<I, O> {
    private static final long serialVersionUID = 1L;

    /** Emits every sum held and forgets it. */
    protected abstract void emitAll() throws Exception;

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        emitAll();
        super.processWatermark(mark);
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        emitAll();
        super.prepareSnapshotPreBarrier(checkpointId);
    }

    @Override
    public void finish() throws Exception {
        emitAll();
        super.finish();
    }
}
