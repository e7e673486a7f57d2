package com.shopsense.scoring;

import com.shopsense.inference.ModelEntry;
import com.shopsense.inference.ModelInputs;
import com.shopsense.inference.RuntimeOptions;
import com.shopsense.session.FraudRequest;
import java.util.Map;

/** Fraud probability for payments and orders with an amount; the alert threshold comes from the manifest. */
public class FraudFunction extends ModelAsyncFunction<FraudRequest, FraudScore> {
    private static final long serialVersionUID = 1L;
    private final RuleFacts facts;
    private transient int pOut;

    public FraudFunction(RuntimeOptions runtime) {
        this(runtime, null);
    }

    /** @param facts what the rules read of each payment, from the same inputs; null leaves them out */
    public FraudFunction(RuntimeOptions runtime, RuleFacts facts) {
        super(runtime, "fraud");
        this.facts = facts;
    }

    @Override
    protected void init(ModelEntry entry) {
        pOut = ModelInputs.outputIndex(entry, "p_fraud");
    }

    @Override
    protected Object[] inputs(FraudRequest in) {
        return ModelInputs.ordered(model.manifestEntry(),
                Map.of("history", in.history(), "current", in.current()));
    }

    @Override
    protected FraudScore result(FraudRequest in, Object[] outputs, ModelEntry entry) {
        float p = ((float[]) outputs[pOut])[0];
        return new FraudScore(in.payment(), in.reasons(), p, threshold(entry, "alert"), entry.version(),
                facts == null ? null : facts.of(in, p));
    }
}
