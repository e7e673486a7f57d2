package com.shopsense.insight;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The negative_review_surge rule: after each review, the share of negatives among the last N is compared with the
 * share among all reviews before those N; a surge is raised when it exceeds by more than the margin with at least
 * min-reviews before, once, until the condition stops holding.
 */
class ReviewSurgeStateTest {

    /** The rule written out over the whole history, as the issue states it. */
    static List<Integer> expectedSurges(List<Boolean> negatives, int n, double margin, int min) {
        List<Integer> at = new ArrayList<>();
        boolean armed = true;
        for (int i = 0; i < negatives.size(); i++) {
            int seen = i + 1;
            boolean exceeds = false;
            if (seen >= n && seen - n >= min) {
                long recent = negatives.subList(seen - n, seen).stream().filter(b -> b).count();
                long before = negatives.subList(0, seen - n).stream().filter(b -> b).count();
                exceeds = (double) recent / n > (double) before / (seen - n) + margin;
            }
            if (exceeds && armed) {
                at.add(i);
            }
            armed = !exceeds;
        }
        return at;
    }

    @Provide
    Arbitrary<List<Boolean>> histories() {
        // Stretches of calm and of complaints, so surges, their end and a second surge all occur.
        Arbitrary<List<Boolean>> stretch = Arbitraries.doubles().between(0, 1).flatMap(p ->
                Arbitraries.integers().between(0, 99).map(x -> x < p * 100).list().ofMinSize(1).ofMaxSize(80));
        return stretch.list().ofMinSize(1).ofMaxSize(6).map(l -> {
            List<Boolean> all = new ArrayList<>();
            l.forEach(all::addAll);
            return all;
        });
    }

    @Property(tries = 400)
    void surgesAreRaisedExactlyWhereTheRuleSays(@ForAll("histories") List<Boolean> negatives,
            @ForAll @IntRange(min = 1, max = 25) int n, @ForAll @DoubleRange(min = 0, max = 0.6) double margin,
            @ForAll @IntRange(min = 1, max = 40) int min) {
        ReviewSurgeSpec spec = new ReviewSurgeSpec(n, margin, min);
        ReviewSurgeState s = new ReviewSurgeState();
        List<Integer> raised = new ArrayList<>();
        for (int i = 0; i < negatives.size(); i++) {
            ReviewSurgeState.Decision d = s.offer(negatives.get(i), spec);
            if (d.surge()) {
                raised.add(i);
            }
            assertThat(d.recentReviews()).isEqualTo(Math.min(i + 1, n));
            assertThat(d.longRunReviews()).isEqualTo(Math.max(0, i + 1 - n));
        }
        assertThat(raised).isEqualTo(expectedSurges(negatives, n, margin, min));
    }

    @Test
    void aSurgeNeedsItsLongRunSupportAndIsRaisedOncePerEpisode() {
        ReviewSurgeSpec spec = new ReviewSurgeSpec(5, 0.2, 10);
        ReviewSurgeState s = new ReviewSurgeState();
        List<Boolean> reviews = new ArrayList<>();
        for (int i = 0; i < 14; i++) {
            reviews.add(false); // 14 good ones: 9 long-run after the 14th, below the support of 10
        }
        for (int i = 0; i < 5; i++) {
            reviews.add(true); // five complaints: surge once the long run has 10 (at the 15th review on)
        }
        for (int i = 0; i < 5; i++) {
            reviews.add(false); // calm again: re-armed
        }
        for (int i = 0; i < 5; i++) {
            reviews.add(true); // a second episode
        }
        List<Integer> raised = new ArrayList<>();
        for (int i = 0; i < reviews.size(); i++) {
            if (s.offer(reviews.get(i), spec).surge()) {
                raised.add(i);
            }
        }
        // Index 14: 1 of the last 5 negative (0.2) is not more than 0/10 + 0.2; index 15: 0.4 is. Calm again, the
        // condition ends at index 22 (0.2 vs 4/18 + 0.2); the second episode exceeds at 26 (0.6 vs 5/22 + 0.2).
        assertThat(raised).containsExactly(15, 26);
    }

    @Property(tries = 200)
    void aChangedLastNKeepsTheCountsOfTheSameReviews(@ForAll("histories") List<Boolean> negatives,
            @ForAll @IntRange(min = 1, max = 25) int before, @ForAll @IntRange(min = 1, max = 25) int after) {
        ReviewSurgeState s = new ReviewSurgeState();
        for (boolean b : negatives) {
            s.offer(b, new ReviewSurgeSpec(before, 0.1, 1));
        }
        ReviewSurgeState.Decision d = s.offer(true, new ReviewSurgeSpec(after, 0.1, 1));
        List<Boolean> all = new ArrayList<>(negatives);
        all.add(true);
        int recent = Math.min(after, Math.min(all.size(), before + 1));
        long recentNeg = all.subList(all.size() - recent, all.size()).stream().filter(b -> b).count();
        assertThat(d.recentReviews()).isEqualTo(recent);
        assertThat(d.recentShare()).isEqualTo((double) recentNeg / recent);
        assertThat(d.longRunReviews()).isEqualTo(all.size() - recent);
    }
}
