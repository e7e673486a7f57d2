package com.shopsense.insight;

import com.shopsense.scoring.ChurnScore;
import com.shopsense.scoring.JourneyAction;
import com.shopsense.scoring.JourneyActions;
import com.shopsense.session.PurchaseSummary;
import java.time.Duration;
import java.util.Objects;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Keeps each user's segment current (keyed by user id). A closed session's churn score brings the user's
 * purchases and churn score; between sessions only recency changes, so one event-time timer at the next
 * threshold crossing ({@link SegmentRules#nextChange}) re-evaluates. Emits a {@link SegmentChange} whenever
 * the segment changes, and at a prospect's close one with {@code from == to} (it re-states the segment for the score
 * hash; the counts ignore it); {@code retention} after the last session the user leaves the counts and the state.
 *
 * <p>A customer's move into at_risk (from another segment, or on entering the counts) is also a journey action,
 * {@code entered_at_risk}, on the side output {@link #ENTERED_AT_RISK}, with the churn score and model version the
 * segment was evaluated with: segments and churn agree by construction (one score, one threshold).
 *
 * <p>A bounded input ends with a watermark at +infinity: timers fired by it are ignored, so the segments
 * after a replay are those as of its last event rather than everyone aged into dormant.
 */
public class SegmentTracker extends KeyedProcessFunction<String, ChurnScore, SegmentChange> {
    private static final long serialVersionUID = 1L;
    public static final OutputTag<JourneyAction> ENTERED_AT_RISK = new OutputTag<>("entered-at-risk") {
    };

    private final SegmentRules rules;
    private final long retentionMs;
    private transient ValueState<SegmentState> state;

    public SegmentTracker(SegmentRules rules, Duration retention) {
        if (retention.toMillis() <= rules.dormantMs()) {
            throw new IllegalArgumentException("segments.retention must be longer than dormantDays of segments.json");
        }
        this.rules = rules;
        this.retentionMs = retention.toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        state = getRuntimeContext().getState(new ValueStateDescriptor<>("segment", SegmentState.class));
    }

    @Override
    public void processElement(ChurnScore c, Context ctx, Collector<SegmentChange> out) throws Exception {
        SegmentState st = state.value();
        if (st == null) {
            st = new SegmentState();
        } else if (c.sessionEndTs() < st.lastSessionEnd) {
            return; // an earlier session's score overtaken by a later one: the later one knows more
        }
        PurchaseSummary p = c.purchases() == null ? PurchaseSummary.NONE : c.purchases();
        st.lastSessionEnd = c.sessionEndTs();
        st.orderSessions = p.orderSessions();
        st.spend = p.spend();
        st.lastOrderTs = p.lastOrderTs();
        st.churnScore = c.probability(); // NaN for a prospect, never read by the rules
        st.churnModel = c.modelVersion();
        // Never older than the previous evaluation: the Redis field is versioned by this time.
        long t = Math.max(c.sessionEndTs(), st.evaluatedAt);
        if (!evaluate(st, t, ctx, out) && !c.scored()) {
            // A prospect's close writes no churn: re-state its segment (from == to: the counts ignore it) so its
            // score hash's updatedAt follows its closes as a customer's does, from the one writer of `segment`.
            out.collect(new SegmentChange(ctx.getCurrentKey(), st.segment, st.segment, t));
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<SegmentChange> out) throws Exception {
        SegmentState st = state.value();
        if (st == null || timestamp != st.timer || ctx.timerService().currentWatermark() == Long.MAX_VALUE) {
            return;
        }
        st.timer = Long.MAX_VALUE;
        if (timestamp >= st.lastSessionEnd + retentionMs) {
            out.collect(new SegmentChange(ctx.getCurrentKey(), st.segment, null, timestamp));
            state.clear();
            return;
        }
        evaluate(st, timestamp, ctx, out);
    }

    /** @return whether the segment changed (and a change was emitted) */
    private boolean evaluate(SegmentState st, long t, Context ctx, Collector<SegmentChange> out) throws Exception {
        String segment = rules.segment(st.purchases(), st.churnScore, t);
        boolean changed = !Objects.equals(segment, st.segment);
        if (changed) {
            out.collect(new SegmentChange(ctx.getCurrentKey(), st.segment, segment, t));
            if (SegmentRules.AT_RISK.equals(segment)) {
                ctx.output(ENTERED_AT_RISK, JourneyActions.enteredAtRisk(ctx.getCurrentKey(), t, st.segment,
                        st.churnScore, st.churnModel, rules.atRiskProbability(), rules.atRiskDays()));
            }
            st.segment = segment;
        }
        st.evaluatedAt = t;
        long next = Math.min(rules.nextChange(st.purchases(), t), st.lastSessionEnd + retentionMs);
        if (next != st.timer) {
            if (st.timer != Long.MAX_VALUE) {
                ctx.timerService().deleteEventTimeTimer(st.timer);
            }
            ctx.timerService().registerEventTimeTimer(next);
            st.timer = next;
        }
        state.update(st);
        return changed;
    }
}
