package com.shopsense.feedback;

import com.shopsense.event.DeadLetter;
import com.shopsense.event.FraudLabel;
import com.shopsense.features.IdHash;
import com.shopsense.scoring.AlertIds;
import com.shopsense.scoring.FraudDecision;
import com.shopsense.scoring.FraudScore;
import com.shopsense.state.StateTtl;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Keyed by the payment's eventId: joins each decided payment (input 1: scored, then judged by the fraud rules;
 * alerted means an alert was raised, by the model or a rule) with the labels that name it (input 2) and emits the change to its model version's alert-quality counts. A label may arrive
 * before its payment has been scored; it waits until the watermark passes its decision time, and if no
 * scored payment has turned up by then it goes to the DLQ as {@code unknown_event}. A label naming an
 * alertId that is not this payment's alert goes to the DLQ as {@code unknown_alert}; one decided before
 * the payment happened as {@code decided_before_payment}. The latest-decided label is the verdict.
 */
public class AlertQualityTracker extends KeyedCoProcessFunction<String, FraudDecision, FraudLabel, QualityDelta> {
    private static final long serialVersionUID = 1L;
    public static final OutputTag<DeadLetter> REJECTED_LABELS = new OutputTag<>("rejected-labels") {
    };

    private final Duration outcomeTtl;
    private transient ValueState<PaymentOutcome> outcome;
    private transient ListState<FraudLabel> pending;
    private transient Counter duplicates;
    private transient Counter superseded;
    private transient Counter rejected;

    /** @param outcomeTtl how long a payment stays joinable with late labels (chargebacks take months) */
    public AlertQualityTracker(Duration outcomeTtl) {
        this.outcomeTtl = outcomeTtl;
    }

    @Override
    public void open(OpenContext ctx) {
        StateTtlConfig ttl = StateTtl.afterWrite(outcomeTtl);
        ValueStateDescriptor<PaymentOutcome> o = new ValueStateDescriptor<>("payment-outcome", PaymentOutcome.class);
        o.enableTimeToLive(ttl);
        outcome = getRuntimeContext().getState(o);
        ListStateDescriptor<FraudLabel> p = new ListStateDescriptor<>("labels-before-payment", FraudLabel.class);
        p.enableTimeToLive(ttl);
        pending = getRuntimeContext().getListState(p);
        var g = getRuntimeContext().getMetricGroup();
        duplicates = g.counter("fraudLabelsDuplicate");
        superseded = g.counter("fraudLabelsSuperseded");
        rejected = g.counter("fraudLabelsRejected");
    }

    @Override
    public void processElement1(FraudDecision decided, Context ctx, Collector<QualityDelta> out) throws Exception {
        FraudScore f = decided.score();
        if (outcome.value() != null) {
            return; // the same payment scored again (a duplicate event id): counted once
        }
        PaymentOutcome o = new PaymentOutcome();
        o.modelVersion = f.modelVersion();
        o.alerted = decided.alert();
        o.alertId = o.alerted ? AlertIds.of(f.eventId(), f.modelVersion()) : null;
        o.paymentTs = f.payment().ref().ts();
        QualityDelta d = new QualityDelta(o.modelVersion, o.alerted ? 1 : 0, 0, 0, 0, 0);
        Iterable<FraudLabel> waiting = pending.get();
        if (waiting != null) {
            List<FraudLabel> sorted = new ArrayList<>();
            waiting.forEach(sorted::add);
            sorted.sort(java.util.Comparator.comparingLong(FraudLabel::decidedAt));
            for (FraudLabel l : sorted) {
                d = d.plus(apply(o, l, ctx));
            }
            pending.clear();
        }
        outcome.update(o);
        if (!d.isZero()) {
            out.collect(d);
        }
    }

    @Override
    public void processElement2(FraudLabel label, Context ctx, Collector<QualityDelta> out) throws Exception {
        PaymentOutcome o = outcome.value();
        if (o == null) {
            pending.add(label);
            ctx.timerService().registerEventTimeTimer(label.decidedAt());
            return;
        }
        QualityDelta d = apply(o, label, ctx);
        outcome.update(o);
        if (!d.isZero()) {
            out.collect(d);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<QualityDelta> out) throws Exception {
        if (outcome.value() != null) {
            return;
        }
        Iterable<FraudLabel> waiting = pending.get();
        List<FraudLabel> keep = new ArrayList<>();
        if (waiting != null) {
            for (FraudLabel l : waiting) {
                if (l.decidedAt() <= timestamp) {
                    reject(ctx, l, "unknown_event: no payment " + l.eventId() + " was scored by the label's decision time");
                } else {
                    keep.add(l);
                }
            }
        }
        pending.update(keep);
    }

    /** Applies one label to the payment's outcome (mutating it) and returns the change of the counts. */
    private QualityDelta apply(PaymentOutcome o, FraudLabel l, Context ctx) {
        QualityDelta none = new QualityDelta(o.modelVersion, 0, 0, 0, 0, 0);
        if (l.decidedAt() < o.paymentTs) {
            reject(ctx, l, "decided_before_payment: decidedAt " + l.decidedAt() + " < payment time " + o.paymentTs);
            return none;
        }
        if (l.alertId() != null && !l.alertId().equals(o.alertId)) {
            reject(ctx, l, "unknown_alert: " + l.alertId() + " is not an alert of payment " + l.eventId());
            return none;
        }
        long key = IdHash.fnv1a64(l.labelId());
        if (key == o.verdictLabelKey && o.verdict != PaymentOutcome.NONE) {
            duplicates.inc();
            return none;
        }
        if (o.verdict != PaymentOutcome.NONE && l.decidedAt() < o.verdictDecidedAt) {
            superseded.inc(); // an older decision than the one already applied
            return none;
        }
        int verdict = l.fraud() ? PaymentOutcome.FRAUD : PaymentOutcome.LEGIT;
        QualityDelta d = QualityDelta.ofVerdict(o.modelVersion, o.alerted, o.verdict, -1)
                .plus(QualityDelta.ofVerdict(o.modelVersion, o.alerted, verdict, 1));
        o.verdict = verdict;
        o.verdictDecidedAt = l.decidedAt();
        o.verdictLabelKey = key;
        return d;
    }

    private void reject(Context ctx, FraudLabel l, String reason) {
        rejected.inc();
        ctx.output(REJECTED_LABELS, l.toDeadLetter(reason));
    }
}
