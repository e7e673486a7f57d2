package com.shopsense.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import com.shopsense.event.EventType;
import com.shopsense.event.ShopEvent;
import com.shopsense.scoring.Recommendation;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Attribution on a small hand-written fixture (window 24 h). The expected counts were worked out by hand
 * from the rules in {@link RecoFeedbackTracker}; the comment at each step says why it counts or not.
 */
class RecoFeedbackTrackerTest {
    private static final long T = 1_700_000_000_000L;
    private static final long S = 1_000L;
    private static final long H = 3_600_000L;
    private KeyedTwoInputStreamOperatorTestHarness<String, RecoShown, RecoUserEvent, RecoDelta> h;

    @BeforeEach
    void setUp() throws Exception {
        h = new KeyedTwoInputStreamOperatorTestHarness<>(
                new KeyedCoProcessOperator<>(new RecoFeedbackTracker(Duration.ofHours(24), 16, Duration.ofHours(24),
                        Duration.ofMinutes(1))),
                RecoShown::userId, RecoUserEvent::userId, Types.STRING);
        h.open();
    }

    @AfterEach
    void tearDown() throws Exception {
        h.close();
    }

    private void list(String user, long ts, String version, String... items) throws Exception {
        h.processElement1(new StreamRecord<>(RecoShown.of(new Recommendation(user, items, new float[items.length],
                Recommendation.MODEL, "recommend", version, ts, "e-" + user + "-" + ts, new String[0])), ts));
    }

    private void click(String user, long ts, String item) throws Exception {
        h.processElement2(new StreamRecord<>(RecoUserEvent.of(ShopEvent.builder("c-" + user + "-" + ts, user,
                EventType.RECO_CLICK, ts).itemId(item).build()), ts));
    }

    private void order(String user, long ts) throws Exception {
        h.processElement2(new StreamRecord<>(RecoUserEvent.of(ShopEvent.builder("o-" + user + "-" + ts, user,
                EventType.ORDER, ts).amount(20.0).build()), ts));
    }

    /** version -> [impressions, clicks, conversions] summed over the emitted deltas. */
    private Map<String, String> totals() {
        Map<String, long[]> sums = new TreeMap<>();
        for (Object o : h.getOutput()) {
            if (o instanceof StreamRecord<?> r && r.getValue() instanceof RecoDelta d) {
                long[] s = sums.computeIfAbsent(d.modelVersion(), v -> new long[3]);
                s[0] += d.impressions();
                s[1] += d.clicks();
                s[2] += d.conversions();
            }
        }
        Map<String, String> out = new TreeMap<>();
        sums.forEach((v, s) -> out.put(v, s[0] + "/" + s[1] + "/" + s[2]));
        return out;
    }

    @Test
    void clicksAndOrdersAreAttributedToTheListsShownAsCountedByHand() throws Exception {
        // u1 (version A): two lists, a click on an item of the older one, a click on no list, two orders.
        list("u1", T, "A", "i1", "i2", "i3");          // impression A
        list("u1", T + 10 * S, "A", "i4", "i5");       // impression A
        click("u1", T + 20 * S, "i2");                 // latest list with i2 is the first: click A
        click("u1", T + 25 * S, "i9");                 // in no list: unattributed
        order("u1", T + H);                            // 1 h after the click: conversion A
        order("u1", T + 2 * H);                        // that click already converted: nothing
        // u2 (version B): a click in the list's own millisecond, clicks on the newest and an older list.
        list("u2", T, "B", "i1", "i7");                // impression B
        click("u2", T, "i7");                          // list generated at the click, not before: unattributed
        list("u2", T + 5 * S, "B", "i7", "i8");        // impression B
        click("u2", T + 6 * S, "i7");                  // newest list has i7: click B
        click("u2", T + 7 * S, "i1");                  // only the older list has i1: click B
        order("u2", T + 6 * S + 24 * H + 500);         // 24 h 0.5 s after the first click (too late), 23 h 59 min
                                                       // 59.5 s after the second: one conversion B
        // u3 (version A): the click arrives before the list it came from (lists come through scoring).
        click("u3", T + 30 * S, "i5");
        list("u3", T + 20 * S, "A", "i5");             // impression A; then the click is attributed: click A
        // u4 (version A): a click on a list older than the window.
        list("u4", T, "A", "i1");                      // impression A
        click("u4", T + 25 * H, "i1");                 // list 25 h old: unattributed
        // u5: orders without any click are not even kept.
        order("u5", T + H);

        h.processBothWatermarks(new Watermark(T + 3 * H));
        assertThat(totals()).as("before the late order of u2").containsEntry("A", "4/2/1").containsEntry("B", "2/2/0");

        h.processBothWatermarks(new Watermark(Long.MAX_VALUE));
        assertThat(totals()).isEqualTo(Map.of("A", "4/2/1", "B", "2/2/1"));
        assertThat(h.numKeyedStateEntries()).as("state cleared once nothing can count any more").isZero();
        assertThat(h.numEventTimeTimers()).isZero();
    }

    @Test
    void ordersOfUsersWhoNeverClickedLeaveNoState() throws Exception {
        order("u5", T);
        order("u5", T + S);
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
    }

    @Test
    void aUsersListsShareOneExpiryTimerThatMovesToTheNextOldest() throws Exception {
        for (int i = 0; i < 10; i++) {
            list("u", T + i * 10 * S, "A", "i" + i);
        }
        list("u", T + 2 * H, "B", "j");
        assertThat(h.numEventTimeTimers()).as("one timer for eleven lists").isEqualTo(1);
        assertThat(h.numKeyedStateEntries()).isEqualTo(1);

        h.processBothWatermarks(new Watermark(T + 25 * H)); // the first ten lists are past the window (+1 h grid)
        assertThat(h.numEventTimeTimers()).as("set again for the list left").isEqualTo(1);
        click("u", T + 25 * H + S, "j");  // the list left (23 h old): click B
        click("u", T + 25 * H + S, "i9"); // its list is gone (and too old anyway): unattributed
        h.processBothWatermarks(new Watermark(T + 25 * H + S));
        assertThat(totals()).isEqualTo(Map.of("A", "10/0/0", "B", "1/1/0"));

        h.processBothWatermarks(new Watermark(Long.MAX_VALUE));
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
    }

    @Test
    void onlyTheNewestListsAreKept() throws Exception {
        RecoFeedbackTracker twoLists = new RecoFeedbackTracker(Duration.ofHours(24), 2, Duration.ofHours(24),
                Duration.ofMinutes(1));
        try (var small = new KeyedTwoInputStreamOperatorTestHarness<>(new KeyedCoProcessOperator<>(twoLists),
                RecoShown::userId, RecoUserEvent::userId, Types.STRING)) {
            small.open();
            for (int i = 0; i < 3; i++) {
                small.processElement1(new StreamRecord<>(RecoShown.of(new Recommendation("u", new String[] {"i" + i},
                        new float[1], Recommendation.MODEL, "recommend", "A", T + i * S, "e" + i, new String[0])), T + i * S));
            }
            for (int i = 0; i < 3; i++) {
                small.processElement2(new StreamRecord<>(RecoUserEvent.of(ShopEvent.builder("c" + i, "u",
                        EventType.RECO_CLICK, T + 10 * S).itemId("i" + i).build()), T + 10 * S));
            }
            small.processBothWatermarks(new Watermark(T + 10 * S));
            long clicks = small.getOutput().stream().filter(o -> o instanceof StreamRecord<?> r
                    && r.getValue() instanceof RecoDelta d && d.clicks() == 1).count();
            assertThat(clicks).as("the oldest of three lists was dropped").isEqualTo(2);
        }
    }
}
