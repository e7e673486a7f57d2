package com.shopsense.scoring;

import com.shopsense.inference.ModelEntry;
import com.shopsense.inference.ModelInputs;
import com.shopsense.inference.RuntimeOptions;
import com.shopsense.session.ChurnRequest;
import java.util.List;
import org.apache.flink.streaming.api.functions.async.ResultFuture;

/**
 * Churn probability when a session closes, from the user's order history as of its end. Customers only: a
 * prospect's request is answered at once without the model (no batch slot, no score).
 */
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
    public void asyncInvoke(ChurnRequest in, ResultFuture<ChurnScore> resultFuture) {
        if (!in.isCustomer()) {
            resultFuture.complete(List.of(ChurnScore.unscored(in.userId(), in.sessionEndTs(), in.purchases())));
            return;
        }
        super.asyncInvoke(in, resultFuture);
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
