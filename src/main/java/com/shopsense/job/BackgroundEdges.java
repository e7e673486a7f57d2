package com.shopsense.job;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.dag.Transformation;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The network edges no reader waits on get a longer buffer timeout ({@code background.buffer-timeout}) than the
 * per-user path. Flink flushes every output buffer of an edge at its timeout whether it is full or not: at the
 * 5 ms the score and recommendation path needs, the job's ~20 edges cost the flusher threads a tenth of the
 * machine (load-tests/RESULTS.md). These edges carry aggregates on their way to a watermark or window end
 * (trending, KPI panes, segment deltas, A/B deltas), feedback that only updates counters, and the label joins:
 * records on them wait for a watermark anyway, so 100 ms more is invisible to any reader.
 */
final class BackgroundEdges {
    /** The operators (by uid) whose outgoing network edges are background. */
    static final List<String> UIDS = List.of(
            "trending-panes", "trending-items", "trending-lists",
            "kpi-event-panes", "kpi-session-panes", "kpi-payment-panes", "kpi-action-panes",
            "segment-deltas",
            "reco-shown", "reco-user-events", "reco-ab-deltas",
            "fraud-rules", "alert-quality-join", "rule-quality-join",
            "review-facts");

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
}
