package com.shopsense.scoring;

import com.shopsense.inference.ModelEntry;
import com.shopsense.inference.ModelInputs;
import com.shopsense.inference.RuntimeOptions;
import com.shopsense.session.FraudRequest;
import java.util.Map;

/** Fraud probability for payments and orders with an amount; the alert threshold comes from the manifest. */
public class FraudFunction extends ModelAsyncFunction<FraudRequest, FraudScore> {
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
    protected Object[] inputs(FraudRequest in) {
        return ModelInputs.ordered(model.manifestEntry(),
                Map.of("history", in.history(), "current", in.current()));
    }

    @Override
    protected FraudScore result(FraudRequest in, Object[] outputs, ModelEntry entry) {
        return new FraudScore(in.payment(), in.reasons(), ((float[]) outputs[pOut])[0], threshold(entry, "alert"),
                entry.version());
    }
}
