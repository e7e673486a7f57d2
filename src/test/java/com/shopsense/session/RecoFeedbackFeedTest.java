package com.shopsense.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.shopsense.event.EventType;
import com.shopsense.event.ShopEvent;
import com.shopsense.feedback.RecoDelta;
import com.shopsense.feedback.RecoFeedbackTracker;
import com.shopsense.feedback.RecoShown;
import com.shopsense.feedback.RecoUserEvent;
import com.shopsense.features.SessionFeatures;
import com.shopsense.scoring.Recommendation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.LongRange;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The attribution tracker is fed only the item events a live list can be evaluated on. Specified two ways: the rule
 * itself, and the tracker's output on the sessionizer's filtered feed against its output on every event, for any
 * users' events in time order.
 */
class RecoFeedbackFeedTest {
    private static final long T = 1_700_000_000_000L;
    private static final long MIN = 60_000L;
    private static final Duration LIVE = Duration.ofHours(2);
    private static final RecoFeedbackFeed FEED = RecoFeedbackFeed.of(LIVE, Duration.ofDays(90));
    private static final SessionFeatures FEATURES = features();

    private static SessionFeatures features() {
        try {
            return new SessionFeatures(Files.readString(Path.of("onnx-models/feature_spec.json")));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ShopEvent event(EventType type, long ts, String item) {
        return ShopEvent.builder("e-" + ts, "u", type, ts).itemId(item).build();
    }

    @Test
    void ordersAndRecoClicksAreAlwaysSent() {
        assertThat(FEED.sends(event(EventType.ORDER, T, null), -1)).isTrue();
        assertThat(FEED.sends(event(EventType.RECO_CLICK, T, "i"), -1)).isTrue();
        assertThat(FEED.sends(event(EventType.RECO_CLICK, T, "i"), T - 10 * LIVE.toMillis())).isTrue();
    }

    @Test
    void eventsWithoutAnItemAreNeverSent() {
        assertThat(FEED.sends(event(EventType.SEARCH, T, null), T - 1)).isFalse();
        assertThat(FEED.sends(event(EventType.PAYMENT, T, null), T - 1)).isFalse();
        assertThat(FEED.sends(event(EventType.VIEW, T, null), T - 1)).isFalse();
        assertThat(FEED.sends(event(EventType.REVIEW, T, "i"), T - 1)).isFalse(); // not an item event
    }

    @Property
    void anItemEventIsSentIffARefreshBeforeItIsYoungerThanTheListTtl(@ForAll("itemTypes") EventType type,
            @ForAll @LongRange(min = -1, max = 3 * 3_600_000L) long refreshAgo) {
        long last = refreshAgo < 0 ? -1 : T - refreshAgo;
        assertThat(FEED.sends(event(type, T, "i"), last)).isEqualTo(last >= 0 && refreshAgo < LIVE.toMillis());
    }

    @Test
    void aRefreshLaterThanTheEventSendsIt() { // an out-of-order event: an earlier list may exist
        assertThat(FEED.sends(event(EventType.VIEW, T, "i"), T + MIN)).isTrue();
    }

    @Test
    void everyItemEventIsSentWhenTheUserStateCanExpireBeforeTheLists() {
        RecoFeedbackFeed shortProfile = RecoFeedbackFeed.of(Duration.ofDays(7), Duration.ofDays(1));
        assertThat(shortProfile.sends(event(EventType.VIEW, T, "i"), -1)).isTrue();
        assertThat(RecoFeedbackFeed.everyItemEvent().sends(event(EventType.ADD_TO_CART, T, "i"), -1)).isTrue();
        assertThat(RecoFeedbackFeed.everyItemEvent().sends(event(EventType.SEARCH, T, null), -1)).isFalse();
    }

    @Provide
    Arbitrary<EventType> itemTypes() {
        return Arbitraries.of(EventType.VIEW, EventType.ADD_TO_CART, EventType.REMOVE_FROM_CART);
    }

    // --- the tracker's output: filtered feed = every event ---

    /** One user's step: a type, an item (i0..i5) and the time since the user's previous event. */
    record Step(EventType type, int item, long gapMs) {
    }

    @Property(tries = 200)
    void theTrackerCountsTheSameOnTheFilteredFeed(@ForAll("users") List<List<Step>> users) throws Exception {
        List<ShopEvent> arrivals = inTimeOrder(users);
        Sessionized every = sessionize(arrivals, RecoFeedbackFeed.everyItemEvent());
        Sessionized filtered = sessionize(arrivals, FEED);
        assertThat(filtered.requests).isEqualTo(every.requests); // the feed changes nothing else

        assertThat(attribute(filtered)).isEqualTo(attribute(every));
        assertThat(filtered.feedback).isSubsetOf(every.feedback);
    }

    @Test
    void mostItemEventsOfShortSessionsAreNotSent() throws Exception {
        // Three users with two views each a minute apart: the second view refreshes, nothing comes after it.
        List<ShopEvent> arrivals = new ArrayList<>();
        for (String u : List.of("a", "b", "c")) {
            arrivals.add(ShopEvent.builder(u + "1", u, EventType.VIEW, T).itemId("i1").build());
            arrivals.add(ShopEvent.builder(u + "2", u, EventType.VIEW, T + MIN).itemId("i2").build());
        }
        Sessionized filtered = sessionize(arrivals, FEED);
        assertThat(filtered.requests).hasSize(3);
        assertThat(filtered.feedback).isEmpty();
        assertThat(sessionize(arrivals, RecoFeedbackFeed.everyItemEvent()).feedback).hasSize(6);
    }

    private record Sessionized(List<String> requests, List<String> feedback, List<RecoShown> lists,
            List<RecoUserEvent> events) {
    }

    private static Sessionized sessionize(List<ShopEvent> arrivals, RecoFeedbackFeed feed) throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new SessionTracker(
                SessionConfig.defaults(), FEATURES, RecoRefreshPolicy.defaults(), feed)), ShopEvent::userId, Types.STRING);
        try {
            h.open();
            for (ShopEvent e : arrivals) {
                h.processElement(new StreamRecord<>(e, e.timestampMs()));
            }
            List<RecoShown> lists = new ArrayList<>();
            List<String> requests = new ArrayList<>();
            for (var r : nullSafe(h.getSideOutput(SessionTracker.RECOMMEND))) {
                RecommendRequest q = r.getValue();
                requests.add(q.ref().eventId());
                // The list a refresh makes: the session's recent items, so that later events can hit it.
                String[] items = q.recentItems();
                lists.add(RecoShown.of(new Recommendation(q.ref().userId(), items, new float[items.length],
                        q.ref().ts() % 2 == 0 ? Recommendation.MODEL : Recommendation.TRENDING, "recommend", "v1",
                        q.ref().ts(), q.ref().eventId(), new String[0])));
            }
            List<ShopEvent> sent = nullSafe(h.getSideOutput(SessionTracker.RECO_FEEDBACK)).stream()
                    .map(StreamRecord::getValue).toList();
            return new Sessionized(requests, sent.stream().map(ShopEvent::eventId).toList(), lists,
                    sent.stream().map(RecoUserEvent::of).toList());
        } finally {
            h.close();
        }
    }

    /** The A/B deltas summed per version and source: lists reach the tracker after the events, as in the job. */
    private static Map<String, List<Long>> attribute(Sessionized s) throws Exception {
        var h = new KeyedTwoInputStreamOperatorTestHarness<>(new KeyedCoProcessOperator<>(new RecoFeedbackTracker(
                Duration.ofHours(24), 16, LIVE, Duration.ofMinutes(10))), RecoShown::userId, RecoUserEvent::userId,
                Types.STRING);
        try {
            h.open();
            for (RecoUserEvent e : s.events) {
                h.processElement2(new StreamRecord<>(e, e.ts()));
            }
            for (RecoShown l : s.lists) {
                h.processElement1(new StreamRecord<>(l, l.generatedAt()));
            }
            h.processBothWatermarks(new Watermark(Long.MAX_VALUE));
            Map<String, List<Long>> sums = new TreeMap<>();
            for (RecoDelta d : h.extractOutputValues()) {
                List<Long> sum = sums.computeIfAbsent(d.modelVersion(), v -> new ArrayList<>(List.of(0L, 0L, 0L,
                        0L, 0L, 0L, 0L, 0L, 0L)));
                long[] add = {d.impressions(), d.clicks(), d.conversions(), d.model().lists(), d.model().hits(),
                    d.model().rrUnits(), d.trending().lists(), d.trending().hits(), d.trending().rrUnits()};
                for (int i = 0; i < add.length; i++) {
                    sum.set(i, sum.get(i) + add[i]);
                }
            }
            return sums;
        } finally {
            h.close();
        }
    }

    private static <T> List<T> nullSafe(Collection<T> c) {
        return c == null ? List.of() : new ArrayList<>(c);
    }

    /** Each user's steps from a common start; all users' events merged by time (a user's own stay in order). */
    private static List<ShopEvent> inTimeOrder(List<List<Step>> users) {
        List<ShopEvent> all = new ArrayList<>();
        for (int u = 0; u < users.size(); u++) {
            long ts = T;
            int n = 0;
            for (Step step : users.get(u)) {
                ts += step.gapMs;
                String user = "u" + u;
                ShopEvent.Builder b = ShopEvent.builder(user + "-" + n++, user, step.type, ts);
                if (step.type != EventType.ORDER && step.type != EventType.SEARCH) {
                    b.itemId("i" + step.item);
                } else if (step.type == EventType.ORDER) {
                    b.amount(10.0);
                }
                all.add(b.build());
            }
        }
        all.sort(Comparator.comparingLong(ShopEvent::timestampMs)); // stable: a user's equal times keep their order
        return all;
    }

    @Provide
    Arbitrary<List<List<Step>>> users() {
        Arbitrary<EventType> type = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.just(EventType.VIEW)),
                Tuple.of(2, Arbitraries.just(EventType.ADD_TO_CART)),
                Tuple.of(2, Arbitraries.just(EventType.RECO_CLICK)),
                Tuple.of(1, Arbitraries.just(EventType.REMOVE_FROM_CART)),
                Tuple.of(1, Arbitraries.just(EventType.ORDER)),
                Tuple.of(1, Arbitraries.just(EventType.SEARCH)));
        // Gaps around the refresh interval (10 s), the quality interval (10 min), the session gap (30 min) and the
        // lists' TTL (2 h here).
        Arbitrary<Long> gap = Arbitraries.of(0L, 1_000L, 11_000L, 5 * MIN, 31 * MIN, 119 * MIN, 121 * MIN, 5 * 60 * MIN);
        Arbitrary<Step> step = Combinators.combine(type, Arbitraries.integers().between(0, 5), gap).as(Step::new);
        return step.list().ofMinSize(1).ofMaxSize(12).list().ofMinSize(1).ofMaxSize(4);
    }
}
