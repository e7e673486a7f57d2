package com.shopsense.scoring;

import com.shopsense.features.FeatureSpec;
import com.shopsense.features.RecommendInputEncoder;
import com.shopsense.inference.ModelEntry;
import com.shopsense.inference.ModelInputs;
import com.shopsense.inference.ModelSource;
import com.shopsense.inference.RuntimeOptions;
import com.shopsense.inference.SharedModels;
import com.shopsense.session.RecommendRequest;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.async.ResultFuture;

/**
 * Next-item recommendations (SASRec + TopK in the graph) for item events picked for a refresh. With a
 * variant B configured ({@link RecoSplit}), its users are scored by the B models, each variant with the
 * vocabulary of its own directory; the result's version says which model made the list.
 *
 * <p>A request the model cannot serve (none of its last items is in the variant's vocabulary, or the model's
 * list decodes to no known item) is completed without a model run as a {@link RecoOutcome#fallback()}, to be
 * filled with trending items by the operator after this one (docs/insight.md "Trending items").
 */
public class RecommendFunction extends ModelAsyncFunction<RecommendRequest, RecoOutcome> {
    private static final long serialVersionUID = 1L;
    private final RuntimeOptions runtime;
    private final RecoSplit split;
    private transient Variant a;
    private transient Variant b;
    private transient Counter fallbacks;

    /** One recommender: its shared model, the encoder of its vocabulary and its output indices. */
    private record Variant(SharedModels.Handle model, RecommendInputEncoder encoder, int idsOut, int scoresOut) {
        static Variant of(SharedModels.Handle model, String modelsDir) throws Exception {
            ModelSource source = new ModelSource(modelsDir);
            FeatureSpec spec = FeatureSpec.parse(new ByteArrayInputStream(source.read("feature_spec.json")),
                    "feature_spec.json");
            String vocab = spec.section("recommend").get("vocabularyFile").asText();
            Path vocabFile = Files.createTempFile("shopsense-items-", ".txt");
            Files.write(vocabFile, source.read(vocab)); // the vocabulary may come from the job JAR
            RecommendInputEncoder encoder = RecommendInputEncoder.fromSection(spec.section("recommend"), vocabFile);
            Files.deleteIfExists(vocabFile);
            ModelEntry entry = model.manifestEntry();
            return new Variant(model, encoder, ModelInputs.outputIndex(entry, "topk_ids"),
                    ModelInputs.outputIndex(entry, "topk_scores"));
        }
    }

    public RecommendFunction(RuntimeOptions runtime) {
        this(runtime, RecoSplit.none());
    }

    public RecommendFunction(RuntimeOptions runtime, RecoSplit split) {
        super(runtime, "recommend");
        this.runtime = runtime;
        this.split = split;
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        super.open(openContext);
        fallbacks = getRuntimeContext().getMetricGroup().counter("recoUnservable");
        if (split.hasVariantB()) {
            SharedModels.Handle bModel = SharedModels.acquire(runtime.withModelsDir(split.variantBModelsDir()), "recommend");
            ModelMetrics.register(getRuntimeContext().getMetricGroup(), bModel, "recommend-b");
            b = Variant.of(bModel, split.variantBModelsDir());
        }
    }

    @Override
    protected void init(ModelEntry entry) throws Exception {
        a = Variant.of(model, runtime.modelsDir());
    }

    private Variant variant(RecommendRequest in) {
        return split.servesB(in.ref().userId()) ? b : a;
    }

    @Override
    protected SharedModels.Handle modelFor(RecommendRequest in) {
        return variant(in).model();
    }

    @Override
    public void asyncInvoke(RecommendRequest in, ResultFuture<RecoOutcome> resultFuture) {
        Variant v = variant(in);
        // Encoded once: the row also says whether the model knows any of the items, so the vocabulary is searched
        // once per item (on the sessionizer's thread), not twice.
        long[] row = v.encoder().encode(Arrays.asList(in.recentItems()));
        if (!v.encoder().knowsAny(row)) {
            fallbacks.inc();
            resultFuture.complete(List.of(fallback(in, v, v.model().manifestEntry())));
            return;
        }
        score(in, new Object[] {row}, resultFuture);
    }

    /** An empty list marked for the trending fallback, named after the recommender that could not serve it. */
    private static RecoOutcome fallback(RecommendRequest in, Variant v, ModelEntry entry) {
        return new RecoOutcome(new Recommendation(in.ref().userId(), new String[0], new float[0],
                Recommendation.TRENDING, entry.name(), entry.version(), in.ref().ts(), in.ref().eventId(),
                in.recentItems()), true, in.categoryId(), v.encoder().topK());
    }

    @Override
    protected Object[] inputs(RecommendRequest in) {
        return new Object[] {variant(in).encoder().encode(Arrays.asList(in.recentItems()))};
    }

    @Override
    protected RecoOutcome result(RecommendRequest in, Object[] outputs, ModelEntry entry) {
        Variant v = variant(in);
        List<String> items = v.encoder().decode((long[]) outputs[v.idsOut()]);
        if (items.isEmpty()) {
            fallbacks.inc();
            return fallback(in, v, entry);
        }
        return RecoOutcome.served(new Recommendation(in.ref().userId(), items.toArray(new String[0]), (float[]) outputs[v.scoresOut()],
                Recommendation.MODEL,
                entry.name(), entry.version(), in.ref().ts(), in.ref().eventId(), in.recentItems()));
    }

    @Override
    public void close() throws Exception {
        if (b != null) {
            b.model().close();
        }
        super.close();
    }
}
