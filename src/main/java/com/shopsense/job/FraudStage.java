package com.shopsense.job;

import com.shopsense.config.JobConfig;
import com.shopsense.config.JobOptions;
import com.shopsense.event.DeadLetter;
import com.shopsense.event.FraudLabel;
import com.shopsense.features.MerchantFeedbackFeatures;
import com.shopsense.features.SessionFeatures;
import com.shopsense.feedback.AlertQuality;
import com.shopsense.feedback.AlertQualityAggregator;
import com.shopsense.feedback.AlertQualityTracker;
import com.shopsense.feedback.MerchantRiskEnricher;
import com.shopsense.feedback.QualityDelta;
import com.shopsense.inference.RuntimeOptions;
import com.shopsense.privacy.Pseudonymizer;
import com.shopsense.scoring.Decisions;
import com.shopsense.scoring.FraudAlert;
import com.shopsense.scoring.FraudFunction;
import com.shopsense.scoring.FraudScore;
import com.shopsense.session.FraudRequest;
import java.time.Duration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * Fraud: payments get the merchant's confirmed-fraud features from the label feed, are scored, alerted on over
 * the manifest threshold, and joined with the labels again to measure the alerts' precision and recall.
 */
final class FraudStage {
    private FraudStage() {
    }

    record Settings(boolean merchantFeedback, Duration merchantStateTtl, Duration feedbackSlack,
            int maxLabelsPerMerchant, Duration outcomeTtl, Pseudonymizer pseudonyms) {
        static Settings from(JobConfig cfg) {
            return new Settings(cfg.get(JobOptions.FEEDBACK_FEATURES),
                    cfg.get(JobOptions.MERCHANT_STATE_TTL), cfg.get(JobOptions.FEEDBACK_SLACK),
                    cfg.get(JobOptions.MAX_LABELS_PER_MERCHANT), cfg.get(JobOptions.OUTCOME_TTL),
                    cfg.pseudonymizer()); // fails here, at submission, without a key
        }
    }

    /** {@code requests} are the model's inputs after enrichment (what was scored). */
    record Streams(DataStream<FraudRequest> requests, DataStream<FraudScore> scores, DataStream<FraudAlert> alerts,
            DataStream<AlertQuality> quality, DataStream<DeadLetter> rejectedLabels) {
    }

    static Streams build(DataStream<FraudRequest> payments, DataStream<FraudLabel> labels, SessionFeatures features,
            RuntimeOptions runtime, AsyncCalls async, Settings s) {
        MerchantFeedbackFeatures merchant = MerchantFeedbackFeatures.of(features.fraudCurrentFeatureNames());
        DataStream<FraudRequest> requests = s.merchantFeedback() && !merchant.isEmpty()
                ? withMerchantFeedback(payments, labels, merchant, s) : payments;
        SingleOutputStreamOperator<FraudScore> scores = async.call(requests, new FraudFunction(runtime))
                .uid("fraud-model").name("Fraud (GRU over payments)");
        Pseudonymizer pseudonyms = s.pseudonyms();
        DataStream<FraudAlert> alerts = scores.filter(FraudScore::isAlert).uid("fraud-threshold").name("Over threshold")
                .map(f -> Decisions.alert(f, System.currentTimeMillis(), pseudonyms)).uid("fraud-alerts")
                .name("Fraud alerts");
        SingleOutputStreamOperator<QualityDelta> deltas = scores.keyBy(FraudScore::eventId)
                .connect(labels.keyBy(FraudLabel::eventId))
                .process(new AlertQualityTracker(s.outcomeTtl()))
                .uid("alert-quality-join").name("Join labels with scored payments");
        DataStream<AlertQuality> quality = deltas.keyBy(QualityDelta::modelVersion)
                .process(new AlertQualityAggregator())
                .uid("alert-quality").name("Alert quality per model version");
        return new Streams(requests, scores, alerts, quality, deltas.getSideOutput(AlertQualityTracker.REJECTED_LABELS));
    }

    /**
     * Payments with a merchant are keyed by it and joined with that merchant's confirmed-fraud labels;
     * payments without one skip the join (their feedback features stay 0, as in training).
     */
    private static DataStream<FraudRequest> withMerchantFeedback(DataStream<FraudRequest> payments,
            DataStream<FraudLabel> labels, MerchantFeedbackFeatures merchant, Settings s) {
        DataStream<FraudRequest> withMerchant = payments.filter(r -> r.payment().hasMerchant())
                .uid("payments-with-merchant").name("Payments with a merchant");
        DataStream<FraudRequest> withoutMerchant = payments.filter(r -> !r.payment().hasMerchant())
                .uid("payments-without-merchant").name("Payments without a merchant");
        return withMerchant
                .keyBy(r -> r.payment().merchantId())
                .connect(labels.filter(l -> l.fraud() && l.hasMerchant()).uid("fraud-labels-with-merchant")
                        .name("Confirmed fraud with a merchant")
                        .keyBy(FraudLabel::merchantId))
                .process(new MerchantRiskEnricher(merchant, s.merchantStateTtl(), s.feedbackSlack(),
                        s.maxLabelsPerMerchant()))
                .uid("merchant-fraud-feedback").name("Merchant fraud feedback")
                .union(withoutMerchant);
    }
}
