package com.shopsense.tools.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.shopsense.testing.Datasets;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command, unattended and shortened: it starts its own broker, redis-server and
 * MiniCluster, replays real sessions with planted fraud, and its summary (read back from Kafka and
 * Redis, not from log lines) shows every part worked. Without --datasets it replays the demo slice
 * bundled in the repository (what a bare clone runs); with it, the full public slice.
 */
class LocalRunIT {
    @TempDir
    Path work;

    @Test
    void aShortUnattendedRunOfTheBundledDemoSliceReplaysScoresRecommendsAndAlerts() throws Exception {
        // An empty --datasets is the bundled slice even where SHOPSENSE_DATASETS is set.
        assertHealthy(LocalRun.run(args("35", "20000", "")));
    }

    /** The whole public slice (96,169 rows, its 1970 row a dead letter of the data) through --datasets. */
    @Test
    @Tag(Datasets.TAG)
    void aRunOfTheWholePublicSliceFromTheDatasetsFolder() throws Exception {
        Path datasets = Datasets.file("taobao-userbehavior/UserBehavior_slice.csv").getParent().getParent();
        LocalRun.Summary s = LocalRun.run(args("60", "100000", datasets.toString()));
        assertHealthy(s);
        assertThat(s.invalidInData()).as("the slice's 1970 row").isEqualTo(1);
    }

    private String[] args(String durationS, String rows, String datasets) {
        return new String[] {"--duration", durationS, "--rows", rows, "--rate", "4000", "--fraud-every", "10",
                "--workdir", work.toString(), "--web-ui-port", "0", "--demo-port", "0", "--session.gap", "5 min",
                "--datasets", datasets};
    }

    private static void assertHealthy(LocalRun.Summary s) {
        assertThat(s.eventsReplayed()).isGreaterThan(20_000);
        assertThat(s.sessionsClosed()).isPositive();
        assertThat(s.usersWithScores()).isPositive();
        assertThat(s.usersWithRecommendations()).isPositive();
        assertThat(s.plantedFraudUsers()).isNotEmpty();
        assertThat(s.plantedFraudUsersAlerted()).isPositive();
        assertThat(s.alerts()).isPositive();
        assertThat(s.deadLetters()).isEqualTo(s.malformedInjected() + s.invalidInData());
        // one shop: every recommended item is an item of the replayed Taobao shop (the demo recommender knows
        // only its first 50,000 rows; the shipped YooChoose ids would all be missing here)
        assertThat(s.recoCatalogue()).hasValueSatisfying(r -> {
            assertThat(r.users()).isEqualTo(s.usersWithRecommendations());
            assertThat(r.recommendedItems()).isPositive();
            assertThat(r.notInCatalogue()).isZero();
        });
        assertThat(s.trending().shopWide()).as("prefix:popular written").isTrue();
        // real review texts went in; the bad review records reached the DLQ with their reasons; no text came out
        ReviewSummary.Result reviews = s.reviews();
        assertThat(reviews.reviewsSent()).isPositive().isEqualTo(reviews.reviewsInReplay());
        assertThat(reviews.badInjected()).isEqualTo(3);
        assertThat(reviews.badMismatches()).isEmpty();
        assertThat(reviews.needles()).isGreaterThan(100);
        assertThat(reviews.privacyChecked()).isTrue();
        assertThat(reviews.leaks()).isEmpty();
        if (reviews.stageExpected()) {
            assertThat(reviews.aggregates()).hasValueSatisfying(a -> {
                assertThat(a.items()).isPositive();
                assertThat(a.categories()).isPositive();
            });
        }
        assertThat(s.healthy()).isTrue();
    }
}
