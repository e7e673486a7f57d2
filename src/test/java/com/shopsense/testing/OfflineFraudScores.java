package com.shopsense.testing;

import com.shopsense.event.EventLimits;
import com.shopsense.event.EventType;
import com.shopsense.event.ShopEvent;
import com.shopsense.features.FeatureSpec;
import com.shopsense.features.FraudFeatureEncoder;
import com.shopsense.features.PaymentHistory;
import com.shopsense.inference.ModelInputs;
import com.shopsense.inference.RuntimeOptions;
import com.shopsense.inference.SharedModels;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fraud model's score of every monetary event of a replay, computed outside Flink with the same
 * encoder and model (each user's payments in arrival order, no labels): what the job's alerts must
 * agree with.
 */
public final class OfflineFraudScores {
    public final Map<String, Float> byEventId = new LinkedHashMap<>();
    public final double threshold;

    private OfflineFraudScores(double threshold) {
        this.threshold = threshold;
    }

    public static OfflineFraudScores of(List<ShopEvent> events) throws Exception {
        FraudFeatureEncoder enc = FraudFeatureEncoder.fromSpec(FeatureSpec.load(Path.of("onnx-models/feature_spec.json")));
        try (SharedModels.Handle model = SharedModels.acquire(RuntimeOptions.cpu("onnx-models"), "fraud")) {
            OfflineFraudScores out = new OfflineFraudScores(model.manifestEntry().threshold("alert"));
            Map<String, PaymentHistory> history = new HashMap<>();
            for (ShopEvent e : events) {
                boolean monetary = e.type() == EventType.PAYMENT || (e.type() == EventType.ORDER && e.monetaryValue() > 0);
                if (!monetary || e.timestampMs() < EventLimits.YEAR_2000_MS) {
                    continue;
                }
                PaymentHistory h = history.computeIfAbsent(e.userId(), u -> enc.newHistory());
                FraudFeatureEncoder.Encoded x = enc.encode(h, e);
                Object[] y = model.score(ModelInputs.ordered(model.manifestEntry(),
                        Map.of("history", x.history(), "current", x.current()))).get().outputs();
                out.byEventId.put(e.eventId(), ((float[]) y[0])[0]);
                h.add(e);
            }
            return out;
        }
    }
}
