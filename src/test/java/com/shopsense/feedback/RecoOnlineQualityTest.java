package com.shopsense.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import com.shopsense.event.EventType;
import com.shopsense.event.ShopEvent;
import com.shopsense.scoring.Recommendation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Online recommendation quality in {@link RecoFeedbackTracker}: each list live in the storefront when its user's
 * next item event happens is evaluated once against that item (HitRate@20, MRR@20), per version and source.
 * Window 24 h, storefront TTL 7 d; the expected ranks are read off the hand-written lists.
 */
class RecoOnlineQualityTest {
    /** On a minute: item events are evaluated when the watermark passes the end of their minute. */
    private static final long T = 1_700_000_040_000L;
    private static final long S = 1_000L;
    private static final long H = 3_600_000L;
    /** reco.quality-interval in these tests. */
    private static final long MINUTE = 60_000L;
    private static final Duration WINDOW = Duration.ofHours(24);
    private static final Duration TTL = Duration.ofDays(7);

    private KeyedTwoInputStreamOperatorTestHarness<String, RecoShown, RecoUserEvent, RecoDelta> h;

    @BeforeEach
    void setUp() throws Exception {
        h = harness(TTL);
        h.open();
    }

    @AfterEach
    void tearDown() throws Exception {
        h.close();
    }

    private static KeyedTwoInputStreamOperatorTestHarness<String, RecoShown, RecoUserEvent, RecoDelta> harness(
            Duration ttl) throws Exception {
        return new KeyedTwoInputStreamOperatorTestHarness<>(
                new KeyedCoProcessOperator<>(new RecoFeedbackTracker(WINDOW, 16, ttl, Duration.ofMillis(MINUTE))),
                RecoShown::userId, RecoUserEvent::userId, Types.STRING);
    }

    private static StreamRecord<RecoShown> list(String user, long ts, String version, String source,
            String... items) {
        return new StreamRecord<>(RecoShown.of(new Recommendation(user, items, new float[items.length], source,
                "recommend", version, ts, "e-" + user + "-" + ts, new String[0])), ts);
    }

    private void model(String user, long ts, String version, String... items) throws Exception {
        h.processElement1(list(user, ts, version, Recommendation.MODEL, items));
    }

    private static StreamRecord<RecoUserEvent> event(String user, long ts, EventType type, String item) {
        ShopEvent.Builder b = ShopEvent.builder(type.wireName() + "-" + user + "-" + ts, user, type, ts);
        if (item != null) {
            b.itemId(item);
        } else {
            b.amount(20.0);
        }
        return new StreamRecord<>(RecoUserEvent.of(b.build()), ts);
    }

    private void view(String user, long ts, String item) throws Exception {
        h.processElement2(event(user, ts, EventType.VIEW, item));
    }

    /** Advances the watermark to the end of the minute of {@code t}, where the item events up to t are evaluated. */
    private static void passMinuteOf(KeyedTwoInputStreamOperatorTestHarness<?, ?, ?, ?> harness, long t)
            throws Exception {
        long m = MINUTE;
        harness.processBothWatermarks(new Watermark(Math.floorDiv(t + m - 1, m) * m));
    }

    /** The evaluations emitted so far, as "version/source/rank" (rank 0: a miss). */
    private static List<String> evaluations(KeyedTwoInputStreamOperatorTestHarness<?, ?, ?, RecoDelta> harness) {
        List<String> out = new ArrayList<>();
        for (RecoDelta d : harness.extractOutputValues()) {
            for (var q : List.of(d.model(), d.trending())) {
                if (q.lists() > 0) {
                    assertThat(q.lists()).as("one list per delta from the tracker").isEqualTo(1);
                    long rank = q.hits() == 0 ? 0 : RecoQuality.RR_UNIT / q.rrUnits();
                    out.add(d.modelVersion() + "/" + (q == d.model() ? "model" : "trending") + "/" + rank);
                }
            }
        }
        return out;
    }

    @Test
    void theNextItemEventScoresTheLiveListByTheRankOfItsItem() throws Exception {
        model("hit", T, "A", "i1", "i2", "i3");
        view("hit", T + S, "i3");                       // third of the list: a hit, 1/3
        model("miss", T, "A", "i1", "i2");
        view("miss", T + S, "i9");                      // not in the list: a miss, 0
        passMinuteOf(h, T + S);

        assertThat(evaluations(h)).containsExactlyInAnyOrder("A/model/3", "A/model/0");
        RecoDelta hit = h.extractOutputValues().stream().filter(d -> d.model().hits() == 1).findFirst().orElseThrow();
        assertThat(hit.model().rrUnits()).isEqualTo(RecoQuality.RR_UNIT / 3);
    }

    @Test
    void onlyTheTop20Count() throws Exception {
        String[] items = IntStream.rangeClosed(1, 25).mapToObj(i -> "i" + i).toArray(String[]::new);
        model("u", T, "A", items);
        view("u", T + S, "i21");                        // rank 21: beyond the cut-off, a miss
        model("v", T, "A", items);
        view("v", T + S, "i20");                        // rank 20: the last that counts
        passMinuteOf(h, T + S);
        assertThat(evaluations(h)).containsExactlyInAnyOrder("A/model/0", "A/model/20");
    }

    @Test
    void aListIsEvaluatedOnceAgainstTheFirstItemEventAfterIt() throws Exception {
        model("u", T, "A", "i1", "i2");
        view("u", T + S, "i9");                         // first item event: a miss
        view("u", T + 2 * S, "i1");                     // same list again: not evaluated a second time
        passMinuteOf(h, T + 2 * S);
        assertThat(evaluations(h)).containsExactly("A/model/0");
    }

    @Test
    void aListReplacedBeforeTheNextItemEventIsNotEvaluated() throws Exception {
        model("u", T, "A", "i1");
        model("u", T + S, "B", "i2", "i1");             // replaces the first in the storefront
        view("u", T + 2 * S, "i1");                     // the live list is the second: rank 2 for B
        passMinuteOf(h, T + 2 * S);
        assertThat(evaluations(h)).containsExactly("B/model/2");
    }

    @Test
    void theListAnEventTriggersIsNotLiveForThatEvent() throws Exception {
        view("u", T, "i1");
        model("u", T, "A", "i1");                       // generated at the view, shown after it
        passMinuteOf(h, T);
        assertThat(evaluations(h)).isEmpty();
        view("u", T + S, "i1");                         // the next one evaluates it
        passMinuteOf(h, T + S);
        assertThat(evaluations(h)).containsExactly("A/model/1");
    }

    @Test
    void aListArrivingAfterTheEventInProcessingTimeIsStillTheOneLiveAtTheEvent() throws Exception {
        // The list comes out of the async model call after the user's next events reached the tracker.
        view("u", T + 5 * S, "i2");
        view("u", T + 6 * S, "i1");
        model("u", T + S, "A", "i1", "i2");
        model("u", T + 5 * S + 500, "B", "i1");         // generated between the two views
        passMinuteOf(h, T + 6 * S);
        // The view at T+5 s evaluates A (i2 at rank 2); the view at T+6 s evaluates B (i1 at rank 1).
        assertThat(evaluations(h)).containsExactly("A/model/2", "B/model/1");
    }

    @Test
    void itemEventsWaitForTheEndOfTheirMinuteAndShareOneTimer() throws Exception {
        model("u", T, "A", "i1", "i2");
        view("u", T + S, "i2");
        view("u", T + 2 * S, "i1");
        view("u", T + 3 * S, "i1");
        assertThat(h.numEventTimeTimers()).as("the lists' expiry timer and one for the minute").isEqualTo(2);
        h.processBothWatermarks(new Watermark(T + 30 * S));
        assertThat(evaluations(h)).as("the minute is not over").isEmpty();
        passMinuteOf(h, T + 30 * S);
        assertThat(evaluations(h)).containsExactly("A/model/2");
    }

    @Test
    void listsAreSplitBySource() throws Exception {
        model("u", T, "A", "i1", "i2");
        view("u", T + S, "i2");
        h.processElement1(list("w", T, "A", Recommendation.TRENDING, "i7", "i8"));
        view("w", T + S, "i7");
        h.processElement1(list("x", T, "A", Recommendation.TRENDING, "i7"));
        view("x", T + S, "i1");
        passMinuteOf(h, T + S);
        assertThat(evaluations(h)).containsExactlyInAnyOrder("A/model/2", "A/trending/1", "A/trending/0");
    }

    @Test
    void clicksAndCartChangesAreItemEventsAndOrdersAreNot() throws Exception {
        model("c", T, "A", "i1", "i2");
        h.processElement2(event("c", T + S, EventType.RECO_CLICK, "i2"));
        model("a", T, "A", "i1", "i2");
        h.processElement2(event("a", T + S, EventType.ADD_TO_CART, "i1"));
        model("o", T, "A", "i1");
        h.processElement2(event("o", T + S, EventType.ORDER, null));
        passMinuteOf(h, T + 2 * S);
        assertThat(evaluations(h)).containsExactlyInAnyOrder("A/model/2", "A/model/1");
        assertThat(RecoUserEvent.isFeedback(ShopEvent.builder("s", "o", EventType.SEARCH, T).build())).isFalse();
    }

    @Test
    void aListOlderThanTheStorefrontTtlIsNotEvaluated() throws Exception {
        try (var shortTtl = harness(Duration.ofHours(2))) {
            shortTtl.open();
            shortTtl.processElement1(list("u", T, "A", Recommendation.MODEL, "i1"));
            shortTtl.processElement2(event("u", T + 2 * H, EventType.VIEW, "i1")); // expired exactly then
            shortTtl.processElement1(list("v", T, "A", Recommendation.MODEL, "i1"));
            shortTtl.processElement2(event("v", T + 2 * H - 1, EventType.VIEW, "i1")); // still live
            passMinuteOf(shortTtl, T + 2 * H);
            assertThat(evaluations(shortTtl)).containsExactly("A/model/1");
        }
    }

    @Test
    void theLiveListOutlivesTheAttributionWindowUntilItsTtl() throws Exception {
        model("u", T, "A", "i1", "i2");
        model("u", T + S, "A", "i3");                   // replaced: dropped with the window
        passMinuteOf(h, T + 3 * 24 * H);
        assertThat(h.numKeyedStateEntries()).as("the newest list, still in the storefront, is kept").isEqualTo(1);
        view("u", T + 3 * 24 * H + S, "i3");            // back after three days: the storefront still showed it
        passMinuteOf(h, T + 3 * 24 * H + S);
        assertThat(evaluations(h)).containsExactly("A/model/1");

        model("v", T, "A", "i1");
        passMinuteOf(h, T + 8 * 24 * H);
        view("v", T + 8 * 24 * H + S, "i1");            // past the TTL: gone from the storefront and from state
        h.processBothWatermarks(new Watermark(Long.MAX_VALUE));
        assertThat(evaluations(h)).containsExactly("A/model/1");
        assertThat(h.numKeyedStateEntries()).as("state cleared").isZero();
        assertThat(h.numEventTimeTimers()).isZero();
    }

    @Test
    void stateAndTimersAreClearedOnceNothingCanCount() throws Exception {
        model("u", T, "A", "i1");
        view("u", T + S, "i1");
        view("u", T + 2 * S, "i2");
        passMinuteOf(h, T + 2 * S);
        passMinuteOf(h, T + 2 * 24 * H);
        assertThat(evaluations(h)).containsExactly("A/model/1");
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
    }

    @Test
    void aRestoreNeitherEvaluatesAListAgainNorLosesOneWaiting() throws Exception {
        model("u", T, "A", "i1");
        view("u", T + S, "i1");
        passMinuteOf(h, T + S);
        model("v", T + S, "B", "i4", "i5");
        view("v", T + 2 * S, "i5");                     // waits for the watermark across the restore
        OperatorSubtaskState snapshot = h.snapshot(1L, T + S);
        assertThat(evaluations(h)).containsExactly("A/model/1");

        try (var restored = harness(TTL)) {
            restored.initializeState(snapshot);
            restored.open();
            restored.processElement2(event("u", T + 2 * S, EventType.VIEW, "i1")); // u's list is already done
            passMinuteOf(restored, T + 2 * S);
            assertThat(evaluations(restored)).containsExactly("B/model/2");
        }
    }
}
