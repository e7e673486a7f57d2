package com.shopsense.scoring;

import com.shopsense.inference.ModelEntry;
import com.shopsense.inference.ModelInputs;
import com.shopsense.inference.RuntimeOptions;
import com.shopsense.session.ChurnRequest;

/** Churn probability when a session closes, from the user's order history as of its end. */
public class ChurnFunction extends ModelAsyncFunction<ChurnRequest, ChurnScore> {
    private static final long serialVersionUID = 1L;
    private transient int pOut;

    public ChurnFunction(RuntimeOptions runtime) {
        super(runtime, "churn");
    }

    @Override
    protected void init(ModelEntry entry) {
        pOut = ModelInputs.outputIndex(entry, "p_churn");
    }

    @Override
    protected Object[] inputs(ChurnRequest in) {
        return new Object[] {in.periods()};
    }

    @Override
    protected ChurnScore result(ChurnRequest in, Object[] outputs, ModelEntry entry) {
        return new ChurnScore(in.userId(), in.sessionEndTs(), in.purchases(), ((float[]) outputs[pOut])[0],
                threshold(entry, "atRisk"), entry.version());
    }
}
