package com.shopsense.scoring;

import com.shopsense.event.EventType;
import com.shopsense.event.ShopEvent;
import com.shopsense.features.FeatureSpec;
import com.shopsense.features.ReviewTokenizer;
import com.shopsense.inference.ModelEntry;
import com.shopsense.inference.ModelInputs;
import com.shopsense.inference.ModelSource;
import com.shopsense.inference.RuntimeOptions;
import com.shopsense.inference.TensorSpec;
import java.io.ByteArrayInputStream;
import java.util.List;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.async.ResultFuture;

/**
 * The review model (onnx-models/review) on a review event's text: byte tokens ({@link ReviewTokenizer}), batched
 * across users and tasks by the JVM-wide micro-batcher, p_negative and the expected rating back, compared with the
 * version's {@code negative} threshold. A review without text (a rating alone) is answered at once, unscored.
 * Only ids and numbers leave: the text stays in the event this function reads (and in the Async I/O operator's
 * checkpointed in-flight requests, inside the job). Metrics: {@code reviewsScored}, {@code reviewsNegative}.
 */
public class ReviewFunction extends ModelAsyncFunction<ShopEvent, ReviewScore> {
    private static final long serialVersionUID = 1L;
    private final RuntimeOptions runtime;
    private transient ReviewTokenizer tokenizer;
    private transient int width;
    private transient long padId;
    private transient int pOut;
    private transient int ratingOut;
    private transient Counter scoredReviews;
    private transient Counter negativeReviews;

    public ReviewFunction(RuntimeOptions runtime) {
        super(runtime, "review");
        this.runtime = runtime;
    }

    @Override
    protected void init(ModelEntry entry) throws Exception {
        FeatureSpec spec = FeatureSpec.parse(new ByteArrayInputStream(new ModelSource(runtime.modelsDir())
                .read("feature_spec.json")), "feature_spec.json");
        tokenizer = ReviewTokenizer.fromSpec(spec);
        TensorSpec ids = entry.input("input_ids");
        if (ids.window() < tokenizer.maxTokens()) {
            throw new IllegalStateException("review model input_ids window " + ids.window()
                    + " is shorter than feature_spec.json review.maxTokens " + tokenizer.maxTokens());
        }
        width = ids.window();
        padId = tokenizer.padId();
        pOut = ModelInputs.outputIndex(entry, "p_negative");
        ratingOut = ModelInputs.outputIndex(entry, "rating");
        scoredReviews = getRuntimeContext().getMetricGroup().counter("reviewsScored");
        negativeReviews = getRuntimeContext().getMetricGroup().counter("reviewsNegative");
    }

    @Override
    public void asyncInvoke(ShopEvent e, ResultFuture<ReviewScore> resultFuture) {
        if (e.type() != EventType.REVIEW || e.text() == null) {
            resultFuture.complete(List.of(ReviewScore.unscored(e.eventId(), e.userId(), e.itemId(), e.categoryId(),
                    e.timestampMs(), e.rating())));
            return;
        }
        super.asyncInvoke(e, resultFuture);
    }

    /** The whole window, right-padded: the batcher drops the columns every row of a batch pads. */
    @Override
    protected Object[] inputs(ShopEvent e) {
        long[] row = tokenizer.encode(e.text());
        long[] padded = new long[width];
        System.arraycopy(row, 0, padded, 0, row.length);
        if (padId != 0) {
            java.util.Arrays.fill(padded, row.length, width, padId);
        }
        return new Object[] {padded};
    }

    @Override
    protected ReviewScore result(ShopEvent e, Object[] outputs, ModelEntry entry) {
        float p = ((float[]) outputs[pOut])[0];
        double threshold = threshold(entry, "negative");
        scoredReviews.inc();
        if (p >= threshold) {
            negativeReviews.inc();
        }
        return new ReviewScore(e.eventId(), e.userId(), e.itemId(), e.categoryId(), e.timestampMs(), e.rating(), p,
                ((float[]) outputs[ratingOut])[0], threshold, entry.version());
    }
}
