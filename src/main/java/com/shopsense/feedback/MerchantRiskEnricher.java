package com.shopsense.feedback;

import com.shopsense.event.FraudLabel;
import com.shopsense.features.MerchantFeedbackFeatures;
import com.shopsense.features.MerchantLabelWindow;
import com.shopsense.session.FraudRequest;
import com.shopsense.state.StateTtl;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by merchantId: payments (input 1) and that merchant's fraud labels (input 2) meet in the same
 * task. Each label is kept once, by its decision time; each payment is scored with the count of labels
 * already decided at the payment's own event time (never later ones): no label leaks into a payment made
 * before its decision, whatever the order the two topics are read in. A label record that arrives after a payment
 * record is not applied to that payment (it is already scored), only to later ones (docs/known-issues.md).
 * Labels from the future of a payment (a replay where the label topic runs ahead) are kept, not used.
 */
public class MerchantRiskEnricher extends KeyedCoProcessFunction<String, FraudRequest, FraudLabel, FraudRequest> {
    private static final long serialVersionUID = 1L;

    private final MerchantFeedbackFeatures features;
    private final Duration stateTtl;
    private final Duration pruneSlack;
    private final int maxLabels;
    private transient ValueState<MerchantLabelWindow> labels;
    private transient Counter applied;
    private transient Counter duplicates;
    private transient Counter enriched;

    /**
     * @param pruneSlack how far behind the merchant's newest payment a payment may arrive and still see
     *     every label of its windows (labels older than newest - longest window - slack are dropped)
     */
    public MerchantRiskEnricher(MerchantFeedbackFeatures features, Duration stateTtl, Duration pruneSlack,
            int maxLabels) {
        if (features.isEmpty()) {
            throw new IllegalArgumentException("the fraud model has no merchant_fraud_<N>d features to fill");
        }
        this.features = features;
        this.stateTtl = stateTtl;
        this.pruneSlack = pruneSlack;
        this.maxLabels = maxLabels;
    }

    @Override
    public void open(OpenContext ctx) {
        ValueStateDescriptor<MerchantLabelWindow> d = new ValueStateDescriptor<>("merchant-fraud-labels",
                MerchantLabelWindow.class);
        d.enableTimeToLive(StateTtl.afterWrite(stateTtl));
        labels = getRuntimeContext().getState(d);
        var g = getRuntimeContext().getMetricGroup();
        applied = g.counter("fraudLabelsApplied");
        duplicates = g.counter("fraudLabelsDuplicate");
        enriched = g.counter("paymentsWithMerchantFraud");
    }

    @Override
    public void processElement1(FraudRequest payment, Context ctx, Collector<FraudRequest> out) throws Exception {
        MerchantLabelWindow w = labels.value();
        if (w == null || w.size() == 0) {
            out.collect(payment); // no confirmed fraud: the encoder's zeros are already right
            return;
        }
        long ts = payment.payment().ref().ts();
        int before = w.size();
        w.prune(ts - features.maxWindowMs() - pruneSlack.toMillis(), maxLabels);
        if (w.size() != before) {
            labels.update(w);
        }
        int[] counts = features.counts(w, ts);
        String reason = features.reason(counts);
        if (reason == null) {
            out.collect(payment);
            return;
        }
        enriched.inc();
        out.collect(payment.withMerchantFeedback(features.fill(payment.current(), counts), reason));
    }

    @Override
    public void processElement2(FraudLabel label, Context ctx, Collector<FraudRequest> out) throws Exception {
        if (!label.fraud()) {
            return; // only confirmed fraud enters the features (filtered upstream as well)
        }
        MerchantLabelWindow w = labels.value();
        if (w == null) {
            w = new MerchantLabelWindow();
        }
        if (w.add(label.labelId(), label.decidedAt())) {
            w.prune(Long.MIN_VALUE, maxLabels);
            labels.update(w);
            applied.inc();
        } else {
            duplicates.inc();
        }
    }
}
