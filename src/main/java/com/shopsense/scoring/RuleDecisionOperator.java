package com.shopsense.scoring;

import com.shopsense.event.DeadLetter;
import com.shopsense.event.EventLimits;
import com.shopsense.event.FraudRule;
import com.shopsense.event.InvalidEventException;
import com.shopsense.event.RuleParser;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Map;
import java.util.PriorityQueue;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;

/**
 * Applies the risk team's fraud rules to scored payments (input 1), with the rule documents arriving on a
 * broadcast input (input 2), so every scoring task holds the whole rule set. Chained behind the fraud model: no
 * shuffle per payment.
 *
 * <p><b>Deterministic in event time.</b> A payment is decided only when the watermark of both inputs has passed
 * its event time, so every rule version effective at or before it has arrived (rules carry their
 * {@code effectiveFrom} as event time) and the version that applies is the one {@link RuleBook} picks for the
 * payment's time, whatever the arrival order of the two streams: a restore or a replay decides each payment as an
 * undisturbed run did. Payments wait in memory, sorted by time, and in operator state across checkpoints; they
 * wait about the watermark's lag (watermark.out-of-orderness), and none waits when there are no rules. A payment
 * behind the watermark already (late) is decided at once.
 *
 * <p>Rules live in broadcast state as their documents (every subtask stores the same set and re-parses it on a
 * restore or rescale). A document with the id and version of a known one but other content is refused
 * ({@code version_conflict}, by subtask 0 only, so the DLQ gets it once); versions no later payment can use are
 * dropped as the watermark passes.
 */
public class RuleDecisionOperator extends AbstractStreamOperator<FraudDecision>
        implements TwoInputStreamOperator<FraudScore, byte[], FraudDecision> {
    private static final long serialVersionUID = 1L;
    public static final OutputTag<DeadLetter> REJECTED_RULES = new OutputTag<>("rejected-rules") {
    };
    public static final String VERSION_CONFLICT = "version_conflict";
    static final MapStateDescriptor<String, byte[]> RULES = new MapStateDescriptor<>("fraud-rules", Types.STRING,
            TypeInformation.of(byte[].class));

    private final EventLimits limits;
    private final String rulesTopic;

    private transient RuleBook book;
    private transient RuleParser parser;
    private transient BroadcastState<String, byte[]> rules;
    private transient ListState<FraudScore> heldState;
    private transient PriorityQueue<FraudScore> held;
    private transient long watermark;
    private transient Counter hits;
    private transient Counter suppressed;
    private transient Counter ruleAlerts;

    public RuleDecisionOperator(EventLimits limits, String rulesTopic) {
        this.limits = limits;
        this.rulesTopic = rulesTopic;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        parser = new RuleParser(limits, () -> Long.MAX_VALUE / 4); // stored rules were validated on arrival
        book = new RuleBook();
        watermark = Long.MIN_VALUE;
        rules = context.getOperatorStateStore().getBroadcastState(RULES);
        for (Map.Entry<String, byte[]> e : rules.entries()) {
            try {
                book.add(parser.parse(e.getValue()));
            } catch (InvalidEventException ex) {
                LOG.warn("Stored fraud rule {} no longer parses ({}); dropped", e.getKey(), ex.getMessage());
            }
        }
        held = new PriorityQueue<>(Comparator.comparingLong((FraudScore f) -> f.payment().ref().ts())
                .thenComparing(FraudScore::eventId));
        heldState = context.getOperatorStateStore().getListState(
                new ListStateDescriptor<>("payments-awaiting-rules", TypeInformation.of(FraudScore.class)));
        for (FraudScore f : heldState.get()) {
            held.add(f);
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        var g = getRuntimeContext().getMetricGroup();
        hits = g.counter("fraudRuleHits");
        suppressed = g.counter("fraudAlertsSuppressedByRule");
        ruleAlerts = g.counter("fraudAlertsByRule");
        g.gauge("fraudRulesActive", () -> book.size());
        g.gauge("fraudPaymentsAwaitingRules", () -> held.size());
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        heldState.update(new ArrayList<>(held));
    }

    @Override
    public void processElement1(StreamRecord<FraudScore> element) {
        FraudScore f = element.getValue();
        if (f.payment().ref().ts() <= watermark) {
            emit(f); // late: the rules effective at its time are all here
        } else {
            held.add(f);
        }
    }

    @Override
    public void processElement2(StreamRecord<byte[]> element) throws Exception {
        byte[] raw = element.getValue();
        FraudRule r;
        try {
            r = parser.parse(raw);
        } catch (InvalidEventException e) {
            return; // validated at the source; a document only a newer parser accepted is not for this job
        }
        RuleBook.Added added = book.add(r);
        if (added == RuleBook.Added.NEW) {
            rules.put(r.key(), raw);
        } else if (added == RuleBook.Added.CONFLICT && getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0) {
            output.collect(REJECTED_RULES, new StreamRecord<>(new DeadLetter(raw, VERSION_CONFLICT + ": " + r.key()
                    + " is already defined with other content; publish a new version", rulesTopic, -1, -1,
                    DeadLetter.STAGE_RULE)));
        }
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        watermark = mark.getTimestamp();
        while (!held.isEmpty() && held.peek().payment().ref().ts() <= watermark) {
            emit(held.poll());
        }
        for (String key : book.prune(watermark)) {
            rules.remove(key);
        }
        super.processWatermark(mark);
    }

    private void emit(FraudScore f) {
        RuleBook.Outcome o = book.decide(f.payment().ref().ts(), f.ruleFacts(), f.probability(), f.threshold(),
                f.reasons());
        if (o.hits().length > 0) {
            hits.inc(o.hits().length);
            if (o.suppressed()) {
                suppressed.inc();
            } else if (o.alert() && !f.isAlert()) {
                ruleAlerts.inc();
            }
        }
        output.collect(new StreamRecord<>(new FraudDecision(f, o.alert(), o.suppressed(), o.reasons(), o.hits()),
                f.payment().ref().ts()));
    }
}
