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
import com.shopsense.feedback.RuleQuality;
import com.shopsense.feedback.RuleQualityAggregator;
import com.shopsense.feedback.RuleQualityDelta;
import com.shopsense.feedback.RuleQualityTracker;
import com.shopsense.event.EventLimits;
import com.shopsense.inference.RuntimeOptions;
import com.shopsense.privacy.Pseudonymizer;
import com.shopsense.scoring.Decisions;
import com.shopsense.scoring.FraudDecision;
import com.shopsense.scoring.RuleDecisionOperator;
import com.shopsense.scoring.RuleFacts;
import com.shopsense.scoring.FraudAlert;
import com.shopsense.scoring.FraudFunction;
import com.shopsense.scoring.FraudScore;
import com.shopsense.session.FraudRequest;
import java.time.Duration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * Fraud: payments get the merchant's confirmed-fraud features from the label feed, are scored, judged by the model's
 * threshold and the risk team's rules (broadcast to every scoring task), alerted on, and joined with the labels
 * again to measure the alerts' and each rule version's precision.
 */
final class FraudStage {
    private FraudStage() {
    }

    record Settings(boolean merchantFeedback, Duration merchantStateTtl, Duration feedbackSlack,
            int maxLabelsPerMerchant, Duration outcomeTtl, Pseudonymizer pseudonyms, EventLimits limits,
            String rulesTopic) {
        static Settings from(JobConfig cfg) {
            return new Settings(cfg.get(JobOptions.FEEDBACK_FEATURES),
                    cfg.get(JobOptions.MERCHANT_STATE_TTL), cfg.get(JobOptions.FEEDBACK_SLACK),
                    cfg.get(JobOptions.MAX_LABELS_PER_MERCHANT), cfg.get(JobOptions.OUTCOME_TTL),
                    cfg.pseudonymizer(), // fails here, at submission, without a key
                    cfg.eventLimits(), cfg.get(JobOptions.TOPIC_RULES));
        }
    }

    /** {@code requests} are the model's inputs after enrichment (what was scored). */
    record Streams(DataStream<FraudRequest> requests, DataStream<FraudScore> scores,
            DataStream<FraudDecision> decisions, DataStream<FraudAlert> alerts, DataStream<AlertQuality> quality,
            DataStream<RuleQuality> ruleQuality, DataStream<DeadLetter> rejectedLabels,
            DataStream<DeadLetter> rejectedRules) {
    }

    /** @param rules valid rule documents (validated at the source; broadcast here) */
    static Streams build(DataStream<FraudRequest> payments, DataStream<FraudLabel> labels, DataStream<byte[]> rules,
            SessionFeatures features, RuntimeOptions runtime, AsyncCalls async, Settings s) {
        MerchantFeedbackFeatures merchant = MerchantFeedbackFeatures.of(features.fraudCurrentFeatureNames());
        DataStream<FraudRequest> requests = s.merchantFeedback() && !merchant.isEmpty()
                ? withMerchantFeedback(payments, labels, merchant, s) : payments;
        SingleOutputStreamOperator<FraudScore> scores = async.call(requests,
                        new FraudFunction(runtime, RuleFacts.of(features.fraudCurrentFeatureNames())))
                .uid("fraud-model").name("Fraud (GRU over payments)");
        // Forward from the model call (chained, no shuffle per payment); the rules reach every subtask.
        SingleOutputStreamOperator<FraudDecision> decisions = scores.connect(rules.broadcast())
                .transform("Fraud rules", TypeInformation.of(FraudDecision.class),
                        new RuleDecisionOperator(s.limits(), s.rulesTopic()))
                .uid("fraud-rules").name("Fraud rules");
        Pseudonymizer pseudonyms = s.pseudonyms();
        DataStream<FraudAlert> alerts = decisions.filter(FraudDecision::alert).uid("fraud-threshold")
                .name("Alerted by model or rule")
                .map(d -> Decisions.alert(d, System.currentTimeMillis(), pseudonyms)).uid("fraud-alerts")
                .name("Fraud alerts");
        SingleOutputStreamOperator<QualityDelta> deltas = decisions.keyBy(FraudDecision::eventId)
                .connect(labels.keyBy(FraudLabel::eventId))
                .process(new AlertQualityTracker(s.outcomeTtl()))
                .uid("alert-quality-join").name("Join labels with scored payments");
        DataStream<AlertQuality> quality = deltas.keyBy(QualityDelta::modelVersion)
                .process(new AlertQualityAggregator())
                .uid("alert-quality").name("Alert quality per model version");
        DataStream<RuleQuality> ruleQuality = decisions.filter(FraudDecision::hasRuleHits).uid("fraud-rule-hits")
                .name("Payments a rule held for")
                .keyBy(FraudDecision::eventId)
                .connect(labels.keyBy(FraudLabel::eventId))
                .process(new RuleQualityTracker(s.outcomeTtl()))
                .uid("rule-quality-join").name("Join labels with rule hits")
                .keyBy(RuleQualityDelta::ruleKey)
                .process(new RuleQualityAggregator())
                .uid("rule-quality").name("Rule quality per rule version");
        return new Streams(requests, scores, decisions, alerts, quality, ruleQuality,
                deltas.getSideOutput(AlertQualityTracker.REJECTED_LABELS),
                decisions.getSideOutput(RuleDecisionOperator.REJECTED_RULES));
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
