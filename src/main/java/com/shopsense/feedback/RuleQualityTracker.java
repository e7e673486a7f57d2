package com.shopsense.feedback;

import com.shopsense.event.FraudLabel;
import com.shopsense.features.IdHash;
import com.shopsense.scoring.FraudDecision;
import com.shopsense.state.StateTtl;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by eventId: joins the payments some fraud rule held for (input 1) with the labels on them (input 2) and
 * emits the change to each of those rule versions' quality counts; the latest-decided label is the verdict, a
 * repeated labelId counts once (as in {@link AlertQualityTracker}, which dead-letters the labels it refuses;
 * this join just ignores them). A label that arrives before its payment waits until the watermark passes its
 * decision time: payments are decided in watermark order (RuleDecisionOperator), so by then a payment with a rule
 * hit has arrived, and a label still waiting is for a payment no rule held for and is dropped.
 */
public class RuleQualityTracker extends KeyedCoProcessFunction<String, FraudDecision, FraudLabel, RuleQualityDelta> {
    private static final long serialVersionUID = 1L;

    private final Duration outcomeTtl;
    private transient ValueState<RuleOutcome> outcome;
    private transient ListState<FraudLabel> pending;

    public RuleQualityTracker(Duration outcomeTtl) {
        this.outcomeTtl = outcomeTtl;
    }

    @Override
    public void open(OpenContext ctx) {
        StateTtlConfig ttl = StateTtl.afterWrite(outcomeTtl);
        ValueStateDescriptor<RuleOutcome> o = new ValueStateDescriptor<>("rule-outcome", RuleOutcome.class);
        o.enableTimeToLive(ttl);
        outcome = getRuntimeContext().getState(o);
        ListStateDescriptor<FraudLabel> p = new ListStateDescriptor<>("labels-before-rule-hit", FraudLabel.class);
        p.enableTimeToLive(ttl);
        pending = getRuntimeContext().getListState(p);
    }

    @Override
    public void processElement1(FraudDecision d, Context ctx, Collector<RuleQualityDelta> out) throws Exception {
        if (outcome.value() != null) {
            return; // the same payment decided again (a duplicate event id): counted once
        }
        RuleOutcome o = new RuleOutcome();
        o.rules = d.ruleHits();
        o.alerted = d.alert();
        o.paymentTs = d.eventTime();
        RuleQualityDelta[] deltas = new RuleQualityDelta[o.rules.length];
        for (int i = 0; i < deltas.length; i++) {
            deltas[i] = new RuleQualityDelta(o.rules[i], 1, o.alerted ? 1 : 0, 0, 0, 0, 0);
        }
        Iterable<FraudLabel> waiting = pending.get();
        if (waiting != null) {
            List<FraudLabel> sorted = new ArrayList<>();
            waiting.forEach(sorted::add);
            sorted.sort(Comparator.comparingLong(FraudLabel::decidedAt));
            for (FraudLabel l : sorted) {
                apply(o, l, deltas);
            }
            pending.clear();
        }
        outcome.update(o);
        for (RuleQualityDelta delta : deltas) {
            out.collect(delta);
        }
    }

    @Override
    public void processElement2(FraudLabel label, Context ctx, Collector<RuleQualityDelta> out) throws Exception {
        RuleOutcome o = outcome.value();
        if (o == null) {
            pending.add(label);
            ctx.timerService().registerEventTimeTimer(label.decidedAt());
            return;
        }
        RuleQualityDelta[] deltas = new RuleQualityDelta[o.rules.length];
        for (int i = 0; i < deltas.length; i++) {
            deltas[i] = new RuleQualityDelta(o.rules[i], 0, 0, 0, 0, 0, 0);
        }
        if (apply(o, label, deltas)) {
            outcome.update(o);
            for (RuleQualityDelta delta : deltas) {
                out.collect(delta);
            }
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<RuleQualityDelta> out) throws Exception {
        if (outcome.value() != null) {
            return;
        }
        List<FraudLabel> keep = new ArrayList<>();
        Iterable<FraudLabel> waiting = pending.get();
        if (waiting != null) {
            for (FraudLabel l : waiting) {
                if (l.decidedAt() > timestamp) {
                    keep.add(l);
                }
            }
        }
        if (keep.isEmpty()) {
            pending.clear();
        } else {
            pending.update(keep);
        }
    }

    /** Applies one label to the outcome (mutating it) and adds the change to {@code deltas}; false if ignored. */
    private static boolean apply(RuleOutcome o, FraudLabel l, RuleQualityDelta[] deltas) {
        if (l.decidedAt() < o.paymentTs) {
            return false;
        }
        long key = IdHash.fnv1a64(l.labelId());
        if (o.verdict != PaymentOutcome.NONE && (key == o.verdictLabelKey || l.decidedAt() < o.verdictDecidedAt)) {
            return false; // a repeated label, or an older decision than the one applied
        }
        int verdict = l.fraud() ? PaymentOutcome.FRAUD : PaymentOutcome.LEGIT;
        for (int i = 0; i < deltas.length; i++) {
            deltas[i] = deltas[i].plus(RuleQualityDelta.ofVerdict(o.rules[i], o.alerted, o.verdict, -1))
                    .plus(RuleQualityDelta.ofVerdict(o.rules[i], o.alerted, verdict, 1));
        }
        o.verdict = verdict;
        o.verdictDecidedAt = l.decidedAt();
        o.verdictLabelKey = key;
        return true;
    }
}
