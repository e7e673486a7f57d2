package com.shopsense.job;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.dag.Transformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The network edges no reader waits on get a longer buffer timeout ({@code background.buffer-timeout}) than the
 * per-user path. Flink flushes every output buffer of an edge at its timeout whether it is full or not, from one
 * flusher thread per edge and subtask: at the 5 ms the score and recommendation path needs, the job's ~40 edges
 * per subtask cost the flusher threads a tenth of the machine (load-tests/RESULTS.md). Background: aggregates on
 * their way to a watermark or window end (trending, KPI panes, segment deltas, A/B deltas), feedback that only
 * updates counters, the label and rule feeds and their joins, dead letters, journey actions, and the score hash's
 * slow scores (churn, segments, fraud, review sentiment: written when a session closes or a payment or review is
 * scored). None of them is read within 100 ms of its event. Intent, recommendations and fraud alerts keep the job's
 * timeout.
 */
final class BackgroundEdges {
    /** The operators (by uid) whose outgoing network edges are background. */
    static final List<String> UIDS = List.of(
            "trending-panes", "trending-items", "trending-lists",
            "kpi-event-panes", "kpi-session-panes", "kpi-payment-panes", "kpi-action-panes",
            "segment-deltas", "segment-tracker",
            "reco-shown", "reco-user-events", "reco-ab-deltas",
            "route-invalid-labels", "route-invalid-rules", "fraud-labels-with-merchant",
            "fraud-rules", "fraud-rule-hits", "alert-quality-join", "rule-quality-join",
            "review-model", "review-facts", "review-surge",
            "route-invalid-dead-letters", "session-dead-letters", "late-to-dlq",
            "intent-actions",
            "churn-to-hash", "segment-to-hash", "fraud-to-hash", "review-to-hash");

    private BackgroundEdges() {
    }

    /** Sets the timeout on every background operator of the graph built so far (those that are in it). */
    static void apply(StreamExecutionEnvironment env, Duration timeout) {
        if (timeout.isZero()) {
            return;
        }
        Set<String> uids = Set.copyOf(UIDS);
        Deque<Transformation<?>> todo = new ArrayDeque<>(env.getTransformations());
        Set<Integer> seen = new HashSet<>();
        while (!todo.isEmpty()) {
            Transformation<?> t = todo.pop();
            if (!seen.add(t.getId())) {
                continue;
            }
            if (t.getUid() != null && uids.contains(t.getUid())) {
                t.setBufferTimeout(timeout.toMillis());
            }
            todo.addAll(t.getInputs());
        }
    }

    /**
     * A stream through a chained pass-through operator of its own: the buffer timeout belongs to an operator, so
     * a side output whose operator's other edges are on the per-user path gets one to carry the background timeout.
     */
    static <T> DataStream<T> handOff(DataStream<T> stream, String uid, String name) {
        return stream.map(new PassThrough<T>()).returns(stream.getType()).uid(uid).name(name);
    }

    private static final class PassThrough<T> implements MapFunction<T, T> {
        private static final long serialVersionUID = 1L;

        @Override
        public T map(T value) {
            return value;
        }
    }
}
