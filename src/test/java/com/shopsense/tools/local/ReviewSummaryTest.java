package com.shopsense.tools.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.shopsense.sink.DeadLetterSerializer;
import com.shopsense.tools.replay.MalformedRecords;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReviewSummaryTest {
    @TempDir
    Path tmp;

    private static ReviewSummary.Result result(boolean stageExpected, Optional<ReviewSummary.Aggregates> aggregates,
            List<String> badMismatches, boolean privacyChecked, List<String> leaks) {
        return new ReviewSummary.Result(500, 500, 120, stageExpected, aggregates, 0, 3, badMismatches, 200, 10_000,
                privacyChecked, leaks);
    }

    private static final Optional<ReviewSummary.Aggregates> NONE = Optional.of(new ReviewSummary.Aggregates(0, 0, 0, Double.NaN));
    private static final Optional<ReviewSummary.Aggregates> SOME = Optional.of(new ReviewSummary.Aggregates(13, 23, 480, 0.31));

    @Test
    void withoutTheReviewStageNoAggregatesIsSaidPlainlyAndDoesNotFailTheRun() {
        ReviewSummary.Result r = result(false, NONE, List.of(), true, List.of());
        assertThat(r.healthy()).isTrue();
        assertThat(r.lines()).anyMatch(l -> l.contains("0: the review stage is not in this build"));
    }

    @Test
    void withTheReviewModelInTheManifestAggregatesAreRequired() {
        assertThat(result(true, NONE, List.of(), true, List.of()).healthy()).isFalse();
        assertThat(result(true, Optional.empty(), List.of(), true, List.of()).healthy()).isFalse();
        assertThat(result(true, SOME, List.of(), true, List.of()).healthy()).isTrue();
        assertThat(result(true, SOME, List.of(), true, List.of()).lines())
                .anyMatch(l -> l.contains("products 13, categories 23; share negative (model) 0.310 over the 480"));
    }

    @Test
    void aLeakAnUncheckedScanOrAMisroutedBadReviewFailsTheRunWhateverTheStage() {
        for (boolean stage : new boolean[] {false, true}) {
            assertThat(result(stage, SOME, List.of(), true, List.of("rv-en-3 in Redis key k")).healthy()).isFalse();
            assertThat(result(stage, SOME, List.of(), false, List.of()).healthy()).isFalse();
            assertThat(result(stage, SOME, List.of("expected control_char, got nothing in the DLQ"), true, List.of())
                    .healthy()).isFalse();
        }
        assertThat(result(false, NONE, List.of(), true, List.of("rv-en-3 in Redis key k")).lines())
                .anyMatch(l -> l.contains("NOT OK: review text found: rv-en-3 in Redis key k"));
    }

    @Test
    void aReplayWithoutReviewsHasNothingToLookForAndOneWithReviewsNeedsSubstrings() {
        assertThat(new ReviewSummary.Result(0, 0, 0, false, NONE, 0, 3, List.of(), 0, 10_000, true, List.of()).healthy())
                .isTrue();
        assertThat(new ReviewSummary.Result(500, 500, 0, false, NONE, 0, 3, List.of(), 0, 10_000, true, List.of())
                .healthy()).isFalse();
    }

    @Test
    void theStageIsDetectedByAReviewModelInTheManifest() throws Exception {
        Files.writeString(tmp.resolve("manifest.json"), "{\"models\":{\"intent\":{},\"review\":{}}}");
        assertThat(ReviewSummary.stageInBuild(tmp.toString())).isTrue();
        Files.writeString(tmp.resolve("manifest.json"), "{\"models\":{\"intent\":{}}}");
        assertThat(ReviewSummary.stageInBuild(tmp.toString())).isFalse();
        assertThat(ReviewSummary.stageInBuild(tmp.resolve("missing").toString())).isFalse();
        assertThat(ReviewSummary.stageInBuild("classpath:onnx-models")).isFalse();
    }

    @Test
    void aggregateKeysAreRecognisedWithOrWithoutHashTags() {
        assertThat(ReviewSummary.kind("shopsense", "shopsense:review:item:42")).isEqualTo("item");
        assertThat(ReviewSummary.kind("shopsense", "shopsense:{review}:cat:7")).isEqualTo("cat");
        assertThat(ReviewSummary.kind("shopsense", "{shopsense:review:item:42}:end")).isEqualTo("item");
        assertThat(ReviewSummary.kind("shopsense", "shopsense:{u1}:scores")).isEmpty();
        assertThat(ReviewSummary.kind("shopsense", "other:review:item:42")).isEmpty();
    }

    @Test
    void eachInjectedBadReviewMustReachTheDlqWithItsOwnReason() {
        List<MalformedRecords.Expected> bad = MalformedRecords.badReviews();
        ReviewSummary s = new ReviewSummary(bad);
        assertThat(s.badReviewMismatches()).hasSize(bad.size());
        for (int i = 0; i < bad.size(); i++) {
            // the last one arrives with a wrong reason
            String reason = i == bad.size() - 1 ? "malformed_json_not" : bad.get(i).reason() + ": detail";
            ConsumerRecord<byte[], byte[]> r = new ConsumerRecord<>("dlq", 0, i, null, bad.get(i).bytes().clone());
            r.headers().add(DeadLetterSerializer.H_REASON, reason.getBytes(StandardCharsets.UTF_8));
            s.deadLetters().accept(r);
        }
        assertThat(s.badReviewMismatches()).containsExactly("expected " + bad.get(bad.size() - 1).reason()
                + ", got malformed_json_not");
    }
}
