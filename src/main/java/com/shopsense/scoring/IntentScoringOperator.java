package com.shopsense.scoring;

import com.shopsense.inference.ModelEntry;
import com.shopsense.inference.ModelInputs;
import com.shopsense.inference.RuntimeOptions;
import com.shopsense.inference.ServingModel;
import com.shopsense.inference.SharedModels;
import com.shopsense.session.SessionEvent;
import com.shopsense.state.StateTtl;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.operators.ProcessingTimeService.ProcessingTimeCallback;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;

/**
 * Purchase intent on every event with the GRU step model, micro-batched across keys.
 *
 * <p>The step model needs {@code h_{t-1}} before it can score event t, so this cannot be a plain
 * async call: the operator buffers updates of different users (each with its state, read when the record
 * arrives, under the key context the record brings), runs one batched step on its own task thread (the buffer's
 * inputs copied into flat arrays, one {@code OrtSession.run}, no queue or futures), and writes each user's new
 * hidden state back to keyed state (RocksDB): one key switch per event. A second event of a user already in the
 * buffer flushes first.
 * The buffer is flushed before every checkpoint barrier and watermark, so snapshots never hold
 * unscored events and nothing downstream becomes late.
 *
 * <p>Every score is emitted; those that are no {@link MaterialChange} since the session's last written one
 * are flagged as not material and not written to the score hash (metric {@code intentWritesSkipped}).
 * The decision is made here, in keyed state, so it is checkpointed with the hidden state and a replay
 * after a restore decides the same.
 *
 * <p>Journey actions ({@link #ACTIONS}, side output): {@code high_intent} for the first score of a session at or
 * above the model's high-intent threshold (a flag in the same state: at most once per session), and
 * {@code cart_abandoned} for the sessionizer's close marker of a session with items left in its cart, with the
 * session's latest probability. Both come from the state this operator reads anyway: no extra shuffle, one state
 * read per abandoned cart.
 *
 * <p>The state lives as long as its session: every close marker deletes it (no read unless the cart was left), so
 * the state holds the open sessions only, not one hidden state per user ever seen. The TTL (the profile's) only
 * expires what an earlier version kept after a close.
 */
public class IntentScoringOperator extends AbstractStreamOperator<IntentScore>
        implements OneInputStreamOperator<SessionEvent, IntentScore>, ProcessingTimeCallback {
    private static final long serialVersionUID = 1L;
    public static final OutputTag<JourneyAction> ACTIONS = new OutputTag<>("intent-actions") {
    };

    private final RuntimeOptions runtime;
    private final double minDelta;
    private final Duration stateTtl;
    private transient int maxBatch;
    private transient ValueState<IntentState> state;
    private transient SharedModels.Handle model;
    private transient List<StreamRecord<SessionEvent>> buffer;
    private transient Set<String> bufferedKeys;
    private transient boolean timerPending;
    private transient int hiddenSize;
    private transient int denseSize;
    private transient int hOut;
    private transient int pOut;
    // The batch's inputs, flat (example k at k * size), reused by every flush; this subtask's own, never shared.
    private transient long[] itemBuckets;
    private transient long[] categoryBuckets;
    private transient float[] dense;
    private transient float[] hidden;
    private transient Object[] inputs;
    private transient IntentState[] states;
    private transient Counter writesSkipped;
    /** The rule for the serving model version (its threshold comes from its manifest entry). */
    private transient MaterialChange change;
    /** The entry {@code change} was made for: compared by identity (a hot swap brings a new entry). */
    private transient ModelEntry changeEntry;

    /**
     * @param minDelta redis.intent-min-delta: the smallest change of the probability that is written
     * @param stateTtl expiry of a state no close marker deleted (profile.ttl)
     */
    public IntentScoringOperator(RuntimeOptions runtime, double minDelta, Duration stateTtl) {
        this.runtime = runtime;
        this.minDelta = new MaterialChange(minDelta, Double.NaN).minDelta(); // validated before the job starts
        this.stateTtl = stateTtl;
    }

    @Override
    public void open() throws Exception {
        super.open();
        ValueStateDescriptor<IntentState> desc = new ValueStateDescriptor<>("intent-state", IntentState.class);
        desc.enableTimeToLive(StateTtl.afterWrite(stateTtl));
        state = getKeyedStateStore().getState(desc);
        model = SharedModels.acquire(runtime, "intent");
        ModelEntry entry = model.manifestEntry();
        hiddenSize = entry.input("h").exampleSize();
        denseSize = entry.input("dense").exampleSize();
        hOut = ModelInputs.outputIndex(entry, "h_next");
        pOut = ModelInputs.outputIndex(entry, "p_purchase");
        maxBatch = runtime.maxBatch("intent");
        // A hot swap keeps the inputs and outputs (HotSwap checks), so these orders hold for every version.
        itemBuckets = new long[maxBatch];
        categoryBuckets = new long[maxBatch];
        dense = new float[maxBatch * denseSize];
        hidden = new float[maxBatch * hiddenSize];
        inputs = new Object[entry.inputs().size()];
        inputs[ModelInputs.inputIndex(entry, "item_bucket")] = itemBuckets;
        inputs[ModelInputs.inputIndex(entry, "category_bucket")] = categoryBuckets;
        inputs[ModelInputs.inputIndex(entry, "dense")] = dense;
        inputs[ModelInputs.inputIndex(entry, "h")] = hidden;
        states = new IntentState[maxBatch];
        buffer = new ArrayList<>(maxBatch);
        bufferedKeys = new HashSet<>();
        ModelMetrics.register(getMetricGroup(), model);
        writesSkipped = getMetricGroup().counter("intentWritesSkipped");
    }

    private MaterialChange change(ModelEntry entry) {
        // Per event: version() makes a new string each call, so the entry's identity says whether it is the same.
        if (entry != changeEntry) { // a hot swap may bring another threshold
            change = MaterialChange.of(minDelta, entry);
            changeEntry = entry;
        }
        return change;
    }

    /**
     * Chained behind the sessionizer, which switched the key context to this very key object for the record a
     * moment ago: switching again would serialize and hash the key once more for nothing.
     */
    @Override
    public void setKeyContextElement(StreamRecord<SessionEvent> record) throws Exception {
        if (record.getValue().userId() != getCurrentKey()) {
            OneInputStreamOperator.super.setKeyContextElement(record);
        }
    }

    @Override
    public void processElement(StreamRecord<SessionEvent> element) throws Exception {
        String user = element.getValue().userId();
        if (bufferedKeys.contains(user)) {
            flush();
            setCurrentKey(user); // the flush left the key context at the buffer's last user
        }
        if (!element.getValue().isEvent()) {
            sessionClosed(element);
            return;
        }
        // Read here, where the key context is this record's already: the flush then needs no key switch to read.
        // A buffered user's state cannot change before the flush (a second event of the user flushes first).
        states[buffer.size()] = state.value();
        // With object reuse the chained upstream hands over the same StreamRecord wrapper for every record:
        // keep a wrapper of our own (the value, an immutable record, needs no copy).
        buffer.add(element.copy(element.getValue()));
        bufferedKeys.add(user);
        if (buffer.size() >= maxBatch) {
            flush();
        } else if (!timerPending) {
            timerPending = true;
            long now = getProcessingTimeService().getCurrentProcessingTime();
            getProcessingTimeService().registerTimer(now + Math.max(1, runtime.maxWait().toMillis()), this);
        }
    }

    /**
     * A session closed: its user's events are scored (flushed above) by now, and the next event starts a new
     * session from h0, so its state goes. The key context is the record's (processElement restored it after a flush).
     */
    private void sessionClosed(StreamRecord<SessionEvent> element) throws Exception {
        if (element.getValue().closedWithCart()) {
            cartLeft(element);
        }
        state.clear();
    }

    /** A cart_abandoned action with the closed session's latest intent. */
    private void cartLeft(StreamRecord<SessionEvent> element) throws Exception {
        SessionEvent close = element.getValue();
        IntentState s = state.value();
        boolean sameSession = s != null && close.sessionId().equals(s.sessionId);
        Float latest = sameSession && !Float.isNaN(s.latestProbability) ? s.latestProbability : null;
        String version = sameSession ? s.writtenModel : null;
        // The threshold of the version that scored the session (the serving one when it is that one).
        ModelEntry serving = model.manifestEntry();
        double threshold = version == null || version.equals(serving.version()) ? change(serving).threshold()
                : Double.NaN;
        output.collect(ACTIONS, new StreamRecord<>(JourneyActions.cartAbandoned(close.userId(), close.sessionId(),
                close.ref().ts(), close.closedCart(), latest, version, threshold), element.getTimestamp()));
    }

    @Override
    public void onProcessingTime(long time) throws Exception {
        timerPending = false;
        flush();
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        flush();
        super.processWatermark(mark);
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        flush();
        super.prepareSnapshotPreBarrier(checkpointId);
    }

    @Override
    public void finish() throws Exception {
        flush();
        super.finish();
    }

    private void flush() throws Exception {
        if (buffer.isEmpty()) {
            return;
        }
        int n = buffer.size();
        for (int k = 0; k < n; k++) {
            SessionEvent u = buffer.get(k).getValue();
            IntentState s = states[k]; // read by processElement
            if (s == null) {
                s = new IntentState();
            }
            if (!u.sessionId().equals(s.sessionId) || s.hidden == null) {
                s.sessionId = u.sessionId();
                s.hidden = new float[hiddenSize]; // a new session starts from h0 = 0, as in training
                s.writtenProbability = null; // its first score is always written
                s.writtenModel = null;
                s.latestProbability = Float.NaN;
                s.highIntentSent = false;
            }
            states[k] = s;
            itemBuckets[k] = u.intent().itemBucket();
            categoryBuckets[k] = u.intent().categoryBucket();
            System.arraycopy(u.intent().dense(), 0, dense, k * denseSize, denseSize);
            System.arraycopy(s.hidden, 0, hidden, k * hiddenSize, hiddenSize);
        }
        // One step for the whole buffer on this thread; a hot swap in between batches is picked up here.
        ServingModel.BatchResult scored = model.runBatch(n, inputs);
        float[] p = scored.floats(pOut);
        float[] hNext = scored.floats(hOut);
        String version = scored.entry().version();
        for (int k = 0; k < n; k++) {
            StreamRecord<SessionEvent> r = buffer.get(k);
            SessionEvent u = r.getValue();
            IntentState s = states[k];
            states[k] = null;
            s.hidden = Arrays.copyOfRange(hNext, k * hiddenSize, (k + 1) * hiddenSize);
            MaterialChange rule = change(scored.entry());
            boolean material = rule.isMaterial(s.writtenProbability, s.writtenModel, p[k], version);
            s.latestProbability = p[k];
            if (!s.highIntentSent && p[k] >= rule.threshold()) { // false for a NaN threshold
                s.highIntentSent = true;
                output.collect(ACTIONS, new StreamRecord<>(JourneyActions.highIntent(u.ref(), u.sessionId(), p[k],
                        version, rule.threshold()), r.getTimestamp()));
            }
            if (material) {
                s.writtenProbability = p[k];
                s.writtenModel = version;
            } else {
                writesSkipped.inc();
            }
            setCurrentKey(u.userId());
            state.update(s);
            output.collect(r.replace(new IntentScore(u.ref(), p[k], version, material, u.userNewestTs())));
        }
        buffer.clear();
        bufferedKeys.clear();
    }

    @Override
    public void close() throws Exception {
        if (model != null) {
            model.close();
        }
        super.close();
    }
}
