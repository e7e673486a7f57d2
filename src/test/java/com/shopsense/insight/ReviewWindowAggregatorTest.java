package com.shopsense.insight;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The review window per product and category: every window it writes holds exactly the reviews with a time in
 * [end - window, end), summed independently here; it writes every slide end while reviews are in the window and one
 * empty window after the last has left, nothing else; and its state and timers are gone afterwards.
 */
class ReviewWindowAggregatorTest {
    private static final long DAY = 86_400_000L;
    private static final ReviewWindowSpec SPEC = new ReviewWindowSpec(5 * DAY, DAY);
    private static final long T0 = 1_700_006_400_000L - 1_700_006_400_000L % DAY;

    private static KeyedOneInputStreamOperatorTestHarness<String, ReviewFact, ReviewWindow> harness() throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(
                new ReviewWindowAggregator(SPEC)), ReviewFact::key, Types.STRING);
        h.open();
        return h;
    }

    private static List<ReviewFact> randomReviews(Random r, int n) {
        List<ReviewFact> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            boolean scored = r.nextInt(5) > 0;
            double sentiment = scored ? r.nextDouble() : Double.NaN;
            // Bursts with gaps longer than the window, so keys empty out and come back.
            long ts = T0 + (r.nextInt(3) * 12L * DAY) + (long) (r.nextDouble() * 4 * DAY);
            out.add(new ReviewFact(r.nextBoolean() ? "item" : "cat", "k" + r.nextInt(3), ts, r.nextInt(6), sentiment,
                    scored && sentiment < 0.4, scored ? "v1" : null));
        }
        return out;
    }

    /** Runs reviews arriving in time order, shuffled within {@code outOfOrder}, watermark = max time - outOfOrder. */
    private static List<ReviewWindow> run(List<ReviewFact> reviews, long outOfOrder, Random r,
            KeyedOneInputStreamOperatorTestHarness<String, ReviewFact, ReviewWindow> h) throws Exception {
        List<ReviewFact> arrival = new ArrayList<>(reviews);
        Map<ReviewFact, Long> jitter = new HashMap<>();
        arrival.forEach(f -> jitter.put(f, f.ts() + (long) (r.nextDouble() * outOfOrder)));
        arrival.sort(Comparator.comparingLong(jitter::get));
        long max = Long.MIN_VALUE;
        for (ReviewFact f : arrival) {
            h.processElement(f, f.ts());
            max = Math.max(max, f.ts());
            h.processWatermark(new Watermark(max - outOfOrder));
        }
        return h.extractOutputValues();
    }

    @Property(tries = 60)
    void everyWindowIsTheSumOfItsReviewsAndNoneIsMissingOrExtra(@ForAll @IntRange(min = 1, max = 120) int n,
            @ForAll @IntRange(min = 0, max = 1000) int seed) throws Exception {
        Random r = new Random(seed);
        List<ReviewFact> reviews = randomReviews(r, n);
        long end = T0 + 60 * DAY;
        List<ReviewWindow> out;
        try (var h = harness()) {
            out = new ArrayList<>(run(reviews, DAY / 2, r, h));
            h.processWatermark(new Watermark(end));
            out = h.extractOutputValues();
            assertThat(h.numKeyedStateEntries()).as("state after the last window").isZero();
            assertThat(h.numEventTimeTimers()).as("timers after the last window").isZero();
        }
        Map<String, List<ReviewFact>> byKey = new HashMap<>();
        reviews.forEach(f -> byKey.computeIfAbsent(f.key(), k -> new ArrayList<>()).add(f));
        List<String> expected = new ArrayList<>();
        byKey.forEach((key, list) -> {
            TreeSet<Long> nonEmpty = new TreeSet<>();
            for (ReviewFact f : list) {
                long pane = Math.floorDiv(f.ts(), DAY) * DAY;
                for (long e = pane + DAY; e <= pane + SPEC.windowMs(); e += DAY) {
                    nonEmpty.add(e);
                }
            }
            TreeSet<Long> written = new TreeSet<>(nonEmpty);
            nonEmpty.forEach(e -> {
                if (!nonEmpty.contains(e + DAY)) {
                    written.add(e + DAY); // the empty window after the last review left
                }
            });
            for (long e : written) {
                expected.add(describe(expectedWindow(key, list, e)));
            }
        });
        assertThat(out.stream().map(ReviewWindowAggregatorTest::describe).toList())
                .containsExactlyInAnyOrderElementsOf(expected);
    }

    /** The window computed from the reviews themselves. */
    private static ReviewWindow expectedWindow(String key, List<ReviewFact> reviews, long end) {
        long count = 0;
        long rated = 0;
        long ratingSum = 0;
        long scored = 0;
        long negative = 0;
        double sentiment = 0;
        for (ReviewFact f : reviews) {
            if (f.ts() >= end - SPEC.windowMs() && f.ts() < end) {
                count++;
                if (f.rating() > 0) {
                    rated++;
                    ratingSum += f.rating();
                }
                if (!Double.isNaN(f.sentiment())) {
                    scored++;
                    sentiment += f.sentiment();
                    negative += f.negative() ? 1 : 0;
                }
            }
        }
        String[] parts = key.split(":", 2);
        return new ReviewWindow(parts[0], parts[1], end, count, rated, scored,
                rated == 0 ? Double.NaN : (double) ratingSum / rated, scored == 0 ? Double.NaN : (double) negative / scored,
                scored == 0 ? Double.NaN : sentiment / scored, scored == 0 ? null : "v1");
    }

    /** Means to 9 decimals: the operator sums per pane, the test per review. */
    private static String describe(ReviewWindow w) {
        return String.format(java.util.Locale.ROOT, "%s:%s@%d n=%d rated=%d scored=%d rating=%.9f neg=%.9f sent=%.9f %s",
                w.scope(), w.id(), w.windowEnd(), w.reviews(), w.rated(), w.scored(), w.meanRating(),
                w.shareNegative(), w.meanSentiment(), w.modelVersion());
    }

    @Test
    void aReviewBehindEveryOneOfItsWindowsIsDroppedAndOneBehindSomeCountsInTheRest() throws Exception {
        try (var h = harness()) {
            h.processWatermark(new Watermark(T0 + 10 * DAY));
            h.processElement(new ReviewFact("item", "a", T0 + 2 * DAY, 5, 0.9, false, "v1"), T0 + 2 * DAY);
            assertThat(h.numKeyedStateEntries()).as("every window of the review is written already").isZero();
            h.processElement(new ReviewFact("item", "a", T0 + 8 * DAY, 1, 0.1, true, "v1"), T0 + 8 * DAY);
            h.processWatermark(new Watermark(T0 + 11 * DAY));
            List<ReviewWindow> out = h.extractOutputValues();
            assertThat(out).singleElement().satisfies(w -> {
                assertThat(w.windowEnd()).isEqualTo(T0 + 11 * DAY);
                assertThat(w.reviews()).isEqualTo(1);
                assertThat(w.shareNegative()).isEqualTo(1.0);
            });
        }
    }

    @Test
    void atTheEndOfABoundedInputAKeyEndsWithTheWindowRightAfterItsNewestReview() throws Exception {
        try (var h = harness()) {
            h.processElement(new ReviewFact("item", "a", T0 + 3_600_000L, 4, 0.8, false, "v1"), T0 + 3_600_000L);
            h.processElement(new ReviewFact("item", "a", T0 + 2 * DAY + 5, 2, 0.2, true, "v1"), T0 + 2 * DAY + 5);
            h.processElement(new ReviewFact("cat", "c", T0 + 9 * DAY, 0, Double.NaN, false, null), T0 + 9 * DAY);
            h.processWatermark(new Watermark(Long.MAX_VALUE));
            List<ReviewWindow> out = h.extractOutputValues();
            ReviewWindow lastA = out.stream().filter(w -> w.id().equals("a"))
                    .max(Comparator.comparingLong(ReviewWindow::windowEnd)).orElseThrow();
            assertThat(lastA.windowEnd()).isEqualTo(T0 + 3 * DAY);
            assertThat(lastA.reviews()).isEqualTo(2);
            assertThat(lastA.meanRating()).isEqualTo(3.0);
            assertThat(lastA.shareNegative()).isEqualTo(0.5);
            assertThat(out.stream().filter(w -> w.id().equals("a")).map(ReviewWindow::windowEnd).toList())
                    .containsExactly(T0 + DAY, T0 + 2 * DAY, T0 + 3 * DAY);
            assertThat(out.stream().filter(w -> w.id().equals("c")).toList()).singleElement()
                    .satisfies(w -> {
                        assertThat(w.windowEnd()).isEqualTo(T0 + 10 * DAY);
                        assertThat(w.scored()).isZero();
                        assertThat(w.meanSentiment()).isNaN();
                    });
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }
}
