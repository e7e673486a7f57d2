package com.shopsense.insight;

import static org.assertj.core.api.Assertions.assertThat;

import com.shopsense.scoring.JourneyAction;
import com.shopsense.scoring.JourneyActions;
import com.shopsense.scoring.ReviewScore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The surge task decides in event-time order whatever order the scores arrive in: the actions are those of the rule
 * over each product's reviews sorted by time, with deterministic ids, once; a restore from a snapshot mid-stream
 * gives the same actions; the buffer is empty once the watermark has passed every review.
 */
class ReviewSurgeDetectorTest {
    private static final ReviewSurgeSpec SPEC = new ReviewSurgeSpec(6, 0.25, 12);
    private static final long T0 = 1_700_000_000_000L;
    private static final long OUT_OF_ORDER = 60_000L;

    private static KeyedOneInputStreamOperatorTestHarness<String, ReviewScore, JourneyAction> harness(
            OperatorSubtaskState restored) throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(
                new ReviewSurgeDetector(SPEC, Duration.ofDays(365))), ReviewScore::itemId, Types.STRING);
        if (restored != null) {
            h.initializeState(restored);
        }
        h.open();
        return h;
    }

    /** Two products, calm then complaints then calm then complaints; one review in five has no text. */
    private static List<ReviewScore> reviews(Random r) {
        List<ReviewScore> out = new ArrayList<>();
        for (String item : List.of("p1", "p2")) {
            for (int i = 0; i < 120; i++) {
                long ts = T0 + i * 10_000L + r.nextInt(5_000);
                boolean complaints = (i / 30) % 2 == 1;
                float p = complaints ? (r.nextInt(10) < 7 ? 0.9f : 0.1f) : (r.nextInt(10) < 1 ? 0.9f : 0.1f);
                String id = item + "-r" + i;
                out.add(r.nextInt(5) == 0 ? ReviewScore.unscored(id, "u" + i, item, "c", ts, 2)
                        : new ReviewScore(id, "u" + i, item, "c", ts, 1 + r.nextInt(5), p, 3f, 0.5, "v7"));
            }
        }
        return out;
    }

    /** The rule over each product's scored reviews in (time, eventId) order: "item/eventId" of each surge. */
    private static List<String> expected(List<ReviewScore> all) {
        List<String> out = new ArrayList<>();
        for (String item : List.of("p1", "p2")) {
            List<ReviewScore> mine = all.stream().filter(s -> s.itemId().equals(item) && s.scored())
                    .sorted(Comparator.comparingLong(ReviewScore::ts).thenComparing(ReviewScore::eventId)).toList();
            for (int i : ReviewSurgeStateTest.expectedSurges(mine.stream().map(s -> s.pNegative() >= 0.5).toList(),
                    SPEC.lastN(), SPEC.margin(), SPEC.minReviews())) {
                out.add(item + "/" + mine.get(i).eventId());
            }
        }
        return out;
    }

    private static List<ReviewScore> arrival(List<ReviewScore> reviews, Random r) {
        List<ReviewScore> a = new ArrayList<>(reviews);
        Collections.shuffle(a, r);
        // Out of order only within the out-of-orderness: sorted by time plus a jitter below it.
        List<long[]> keys = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            keys.add(new long[] {a.get(i).ts() + r.nextInt((int) OUT_OF_ORDER), i});
        }
        keys.sort(Comparator.comparingLong(k -> k[0]));
        return keys.stream().map(k -> a.get((int) k[1])).toList();
    }

    private static void feed(KeyedOneInputStreamOperatorTestHarness<String, ReviewScore, JourneyAction> h,
            List<ReviewScore> arrival, long[] maxTs) throws Exception {
        for (ReviewScore s : arrival) {
            h.processElement(s, s.ts());
            maxTs[0] = Math.max(maxTs[0], s.ts());
            h.processWatermark(new Watermark(maxTs[0] - OUT_OF_ORDER));
        }
    }

    @Test
    void surgesAreTheRulesOverEventTimeOrderWithDeterministicIds() throws Exception {
        Random r = new Random(42);
        List<ReviewScore> reviews = reviews(r);
        List<String> want = expected(reviews);
        assertThat(want).as("the fixture has surges on both products").hasSizeGreaterThanOrEqualTo(2)
                .anyMatch(s -> s.startsWith("p1/")).anyMatch(s -> s.startsWith("p2/"));
        for (int run = 0; run < 3; run++) {
            try (var h = harness(null)) {
                feed(h, arrival(reviews, new Random(run)), new long[] {Long.MIN_VALUE});
                h.processWatermark(new Watermark(Long.MAX_VALUE));
                List<JourneyAction> actions = h.extractOutputValues();
                assertThat(actions.stream().map(a -> a.itemId() + "/" + a.eventId()).toList())
                        .containsExactlyInAnyOrderElementsOf(want);
                for (JourneyAction a : actions) {
                    assertThat(a.type()).isEqualTo(JourneyAction.NEGATIVE_REVIEW_SURGE);
                    assertThat(a.actionId()).isEqualTo(JourneyActions.id(JourneyAction.NEGATIVE_REVIEW_SURGE,
                            a.itemId(), a.eventId()));
                    assertThat(a.userId()).isNull();
                    assertThat(a.key()).isEqualTo(a.itemId());
                    assertThat(a.score()).isGreaterThan(a.threshold());
                    assertThat(a.recentReviews()).isEqualTo(SPEC.lastN());
                    assertThat(a.longRunReviews()).isGreaterThanOrEqualTo(SPEC.minReviews());
                }
                assertThat(h.numEventTimeTimers()).isZero();
                assertThat(h.numKeyedStateEntries()).as("one rule state per product, no buffered review").isEqualTo(2);
            }
        }
    }

    @Test
    void aRestoreFromASnapshotMidStreamDecidesTheSame() throws Exception {
        Random r = new Random(7);
        List<ReviewScore> reviews = reviews(r);
        List<ReviewScore> arrival = arrival(reviews, new Random(1));
        int cut = arrival.size() / 2 + 3;
        long[] max = {Long.MIN_VALUE};
        List<String> got = new ArrayList<>();
        OperatorSubtaskState snapshot;
        try (var h = harness(null)) {
            feed(h, arrival.subList(0, cut), max);
            snapshot = h.snapshot(1, 1);
            h.extractOutputValues().forEach(a -> got.add(a.itemId() + "/" + a.eventId()));
        }
        try (var h = harness(snapshot)) {
            feed(h, arrival.subList(cut, arrival.size()), max);
            h.processWatermark(new Watermark(Long.MAX_VALUE));
            h.extractOutputValues().forEach(a -> got.add(a.itemId() + "/" + a.eventId()));
        }
        assertThat(got).containsExactlyInAnyOrderElementsOf(expected(reviews));
    }
}
