package com.shopsense.features;

import com.shopsense.event.ShopEvent;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The encoders the session stage needs, built from the feature spec's text (shipped with the
 * operator, so a task manager needs no spec file). Encoders are built on first use per task.
 */
public final class SessionFeatures implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String specJson;
    private transient IntentFeatureEncoder intent;
    private transient FraudFeatureEncoder fraud;
    private transient ChurnFeatureEncoder churn;

    public SessionFeatures(String specJson) {
        this.specJson = specJson;
        build(); // fail at graph construction, not on the cluster, when the spec is broken
    }

    private void build() {
        try {
            FeatureSpec spec = FeatureSpec.parse(
                    new ByteArrayInputStream(specJson.getBytes(StandardCharsets.UTF_8)), "feature_spec.json");
            intent = IntentFeatureEncoder.fromSpec(spec);
            fraud = FraudFeatureEncoder.fromSpec(spec);
            churn = ChurnFeatureEncoder.fromSpec(spec);
        } catch (IOException e) {
            throw new UncheckedIOException("feature spec unreadable", e);
        }
    }

    private void ensureBuilt() {
        if (intent == null) {
            build();
        }
    }

    /** @param context the session state before {@code e} */
    public IntentFeatureEncoder.Encoded intent(ShopEvent e, long previousTs, int position,
                                               IntentFeatureEncoder.SessionContext context) {
        ensureBuilt();
        return intent.encode(e, previousTs < 0 ? null : previousTs, position, context);
    }

    public PaymentHistory newPaymentHistory() {
        ensureBuilt();
        return fraud.newHistory();
    }

    public OrderHistory newOrderHistory() {
        ensureBuilt();
        return churn.newHistory();
    }

    public FraudFeatureEncoder.Encoded fraud(PaymentHistory history, ShopEvent payment) {
        ensureBuilt();
        return fraud.encode(history, payment);
    }

    public List<String> fraudReasons(PaymentHistory history, ShopEvent payment) {
        ensureBuilt();
        return fraud.reasons(history, payment);
    }

    /** The fraud model's current-feature names in model order (the merchant feedback slots among them). */
    public List<String> fraudCurrentFeatureNames() {
        ensureBuilt();
        return fraud.currentFeatureNames();
    }

    public float[] churn(OrderHistory orders, long asOfMs) {
        ensureBuilt();
        return churn.encode(orders, asOfMs);
    }
}
