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

/**
 * Next-item recommendations (SASRec + TopK in the graph) for item events picked for a refresh. With a
 * variant B configured ({@link RecoSplit}), its users are scored by the B models, each variant with the
 * vocabulary of its own directory; the result's version says which model made the list.
 */
public class RecommendFunction extends ModelAsyncFunction<RecommendRequest, Recommendation> {
    private static final long serialVersionUID = 1L;
    private final RuntimeOptions runtime;
    private final RecoSplit split;
    private transient Variant a;
    private transient Variant b;

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
    protected Object[] inputs(RecommendRequest in) {
        return new Object[] {variant(in).encoder().encode(Arrays.asList(in.recentItems()))};
    }

    @Override
    protected Recommendation result(RecommendRequest in, Object[] outputs, ModelEntry entry) {
        Variant v = variant(in);
        List<String> items = v.encoder().decode((long[]) outputs[v.idsOut()]);
        return new Recommendation(in.ref().userId(), items.toArray(new String[0]), (float[]) outputs[v.scoresOut()],
                Recommendation.MODEL,
                entry.name(), entry.version(), in.ref().ts(), in.ref().eventId(), in.recentItems());
    }

    @Override
    public void close() throws Exception {
        if (b != null) {
            b.model().close();
        }
        super.close();
    }
}
