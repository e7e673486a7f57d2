package com.shopsense.scoring;

import com.shopsense.inference.ModelEntry;
import com.shopsense.inference.ModelInputs;
import com.shopsense.inference.RuntimeOptions;
import java.util.Map;

/** Fraud probability for payments and orders with an amount; the alert threshold comes from the manifest. */
public class FraudFunction extends ModelAsyncFunction<ScoredEvent, FraudScore> {
    private static final long serialVersionUID = 1L;
    private transient int pOut;

    public FraudFunction(RuntimeOptions runtime) {
        super(runtime, "fraud");
    }

    @Override
    protected void init(ModelEntry entry) {
        pOut = ModelInputs.outputIndex(entry, "p_fraud");
    }

    @Override
    protected Object[] inputs(ScoredEvent in) {
        return ModelInputs.ordered(model.manifestEntry(),
                Map.of("history", in.update().fraudHistory(), "current", in.update().fraudCurrent()));
    }

    @Override
    protected FraudScore result(ScoredEvent in, Object[] outputs, ModelEntry entry) {
        return new FraudScore(in, ((float[]) outputs[pOut])[0], threshold(entry, "alert"), entry.version());
    }
}
