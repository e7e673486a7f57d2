package com.shopsense.features;

import com.fasterxml.jackson.databind.JsonNode;
import com.shopsense.event.EventLimits;
import com.shopsense.event.FraudLabel;
import com.shopsense.event.LabelParser;
import com.shopsense.event.ShopEvent;
import java.nio.charset.StandardCharsets;

/**
 * Fills a golden case's merchant feedback features the way the job does: the case's label events
 * are parsed with the job's {@link LabelParser}, the payment's merchant keeps its fraud labels in a
 * {@link MerchantLabelWindow} (what MerchantRiskEnricher holds in state) and the slots are filled
 * by {@link MerchantFeedbackFeatures}.
 */
public final class GoldenLabels {
    private GoldenLabels() {
    }

    public static float[] withFeedback(FraudFeatureEncoder enc, JsonNode goldenCase, ShopEvent payment, float[] current)
            throws Exception {
        MerchantFeedbackFeatures feedback = MerchantFeedbackFeatures.of(enc.currentFeatureNames());
        MerchantLabelWindow w = new MerchantLabelWindow();
        LabelParser parser = new LabelParser(EventLimits.defaults(), () -> Long.MAX_VALUE / 4);
        JsonNode labels = goldenCase.path("labels");
        for (JsonNode l : labels) {
            FraudLabel label = parser.parse(l.toString().getBytes(StandardCharsets.UTF_8), "golden", 0, 0);
            if (label.fraud() && label.hasMerchant() && label.merchantId().equals(payment.merchantId())) {
                w.add(label.labelId(), label.decidedAt());
            }
        }
        if (payment.merchantId() == null || payment.merchantId().isEmpty()) {
            return current; // no merchant: the job skips the join and the slots stay 0
        }
        return feedback.fill(current, feedback.counts(w, payment.timestampMs()));
    }
}
