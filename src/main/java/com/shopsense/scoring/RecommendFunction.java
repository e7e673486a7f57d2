package com.shopsense.scoring;

import com.shopsense.features.FeatureSpec;
import com.shopsense.features.RecommendInputEncoder;
import com.shopsense.inference.ModelEntry;
import com.shopsense.inference.ModelInputs;
import com.shopsense.inference.ModelSource;
import com.shopsense.inference.RuntimeOptions;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** Next-item recommendations (SASRec + TopK in the graph) for item events picked for a refresh. */
public class RecommendFunction extends ModelAsyncFunction<ScoredEvent, Recommendation> {
    private static final long serialVersionUID = 1L;
    private final String modelsDir;
    private transient RecommendInputEncoder encoder;
    private transient int idsOut;
    private transient int scoresOut;

    public RecommendFunction(RuntimeOptions runtime) {
        super(runtime, "recommend");
        this.modelsDir = runtime.modelsDir();
    }

    @Override
    protected void init(ModelEntry entry) throws Exception {
        ModelSource source = new ModelSource(modelsDir);
        FeatureSpec spec = FeatureSpec.parse(new ByteArrayInputStream(source.read("feature_spec.json")), "feature_spec.json");
        String vocab = spec.section("recommend").get("vocabularyFile").asText();
        Path vocabFile = Files.createTempFile("shopsense-items-", ".txt");
        Files.write(vocabFile, source.read(vocab)); // the vocabulary may come from the job JAR
        encoder = RecommendInputEncoder.fromSection(spec.section("recommend"), vocabFile);
        Files.deleteIfExists(vocabFile);
        idsOut = ModelInputs.outputIndex(entry, "topk_ids");
        scoresOut = ModelInputs.outputIndex(entry, "topk_scores");
    }

    @Override
    protected Object[] inputs(ScoredEvent in) {
        return new Object[] {encoder.encode(Arrays.asList(in.update().recentItems()))};
    }

    @Override
    protected Recommendation result(ScoredEvent in, Object[] outputs, ModelEntry entry) {
        List<String> items = encoder.decode((long[]) outputs[idsOut]);
        return new Recommendation(in.update().userId(), items.toArray(new String[0]), (float[]) outputs[scoresOut],
                entry.name(), entry.version(), in.update().event().timestampMs(), in.update().event().eventId());
    }
}
