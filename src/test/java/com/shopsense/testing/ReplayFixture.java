package com.shopsense.testing;

import com.shopsense.event.EventJson;
import com.shopsense.event.EventLimits;
import com.shopsense.event.ShopEvent;
import com.shopsense.tools.replay.DemoData;
import com.shopsense.tools.replay.MalformedRecords;
import com.shopsense.tools.replay.TaobaoConverter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A real Taobao slice (by default the demo slice bundled in deploy/demo-data) in event JSON, in time order, with hand-written malformed records mixed in,
 * plus what a correct pipeline must make of it, computed here independently of the job's code.
 */
public final class ReplayFixture {
    public final List<ShopEvent> events;
    public final List<byte[]> malformed;
    /** Users and events with planted fraud (empty without the synthetic payment layer). */
    public java.util.Set<String> fraudUsers = java.util.Set.of();
    public java.util.Set<String> fraudEventIds = java.util.Set.of();
    /** The review events mixed in and the real review of each (none without the review replay). */
    public com.shopsense.tools.replay.ReviewReplay.Result reviews = com.shopsense.tools.replay.ReviewReplay.none();
    public final List<Map.Entry<String, byte[]>> records = new ArrayList<>();

    private ReplayFixture(List<ShopEvent> events, List<byte[]> malformed) {
        this.events = events;
        this.malformed = malformed;
        int every = Math.max(1, events.size() / (malformed.size() + 1));
        int m = 0;
        for (int i = 0; i < events.size(); i++) {
            if (i > 0 && i % every == 0 && m < malformed.size()) {
                records.add(new AbstractMap.SimpleEntry<>("junk-" + m, malformed.get(m++)));
            }
            ShopEvent e = events.get(i);
            records.add(new AbstractMap.SimpleEntry<>(e.userId(), EventJson.toBytes(e)));
        }
        while (m < malformed.size()) {
            records.add(new AbstractMap.SimpleEntry<>("junk-" + m, malformed.get(m++)));
        }
    }

    /** The first {@code rows} rows of the bundled demo slice (the same rows as the full slice's first ones). */
    public static ReplayFixture taobao(int rows) throws Exception {
        return taobao(demoRows(rows), rows);
    }

    /** The first {@code rows} rows of a Taobao UserBehavior CSV (plain or .gz). */
    public static ReplayFixture taobao(java.nio.file.Path csv, int rows) throws Exception {
        List<ShopEvent> events = new ArrayList<>(TaobaoConverter.read(csv, rows));
        events.sort(Comparator.comparingLong(ShopEvent::timestampMs)); // a replay sends in time order
        return new ReplayFixture(events, MalformedRecords.handWritten());
    }

    /** The Taobao slice with the synthetic payment layer (README "Replay data") on top. */
    public static ReplayFixture taobaoWithPayments(int rows, int fraudEvery) throws Exception {
        com.shopsense.tools.replay.SyntheticPayments.Result r = com.shopsense.tools.replay.SyntheticPayments.addTo(
                TaobaoConverter.read(demoRows(rows), rows), fraudEvery);
        ReplayFixture f = new ReplayFixture(r.events(), MalformedRecords.handWritten());
        f.fraudUsers = r.fraudUsers();
        f.fraudEventIds = r.fraudEventIds();
        return f;
    }

    /**
     * The Taobao slice with the synthetic payment layer and, posted on it, real reviews of the bundled review slices
     * (tools.replay.ReviewReplay, docs/replay-data.md): what the local run replays, for tests of the review stage.
     * {@link #reviews} says which review each event carries, so a test can compute the expected aggregates itself.
     */
    public static ReplayFixture taobaoWithPaymentsAndReviews(int rows, int fraudEvery) throws Exception {
        List<ShopEvent> real = TaobaoConverter.read(demoRows(rows), rows);
        com.shopsense.tools.replay.SyntheticPayments.Result r = com.shopsense.tools.replay.SyntheticPayments.addTo(real,
                fraudEvery);
        com.shopsense.tools.replay.ReviewReplay.Result reviews = com.shopsense.tools.replay.ReviewReplay.build(real,
                com.shopsense.tools.replay.ReviewTexts.englishSlice(), com.shopsense.tools.replay.ReviewTexts.chinese(
                        DemoData.REVIEWS_ZH, DemoData.REVIEWS_ZH_EVERY));
        ReplayFixture f = new ReplayFixture(com.shopsense.tools.replay.ReviewReplay.mix(r.events(), reviews),
                MalformedRecords.handWritten());
        f.fraudUsers = r.fraudUsers();
        f.fraudEventIds = r.fraudEventIds();
        f.reviews = reviews;
        return f;
    }

    /** The demo slice, if it has that many rows: a larger fixture belongs to the datasets tier, not a silent cut. */
    private static java.nio.file.Path demoRows(int rows) throws java.nio.file.NoSuchFileException {
        if (rows > DemoData.TAOBAO_ROWS) {
            throw new IllegalArgumentException(rows + " rows: the bundled demo slice has " + DemoData.TAOBAO_ROWS
                    + "; read the full slice (Datasets.file, tag " + Datasets.TAG + ")");
        }
        return DemoData.require(DemoData.TAOBAO, "the demo slice bundled in the repository");
    }

    /** Events the contract rejects by their time (the slice has a 1970 row). */
    public long invalidTimestampCount() {
        return events.stream().filter(e -> e.timestampMs() < EventLimits.YEAR_2000_MS).count();
    }

    public long validEventCount() {
        return events.size() - invalidTimestampCount();
    }

    /** Sessions by the definition (gap of inactivity), counted straight from the sorted timestamps. */
    public long expectedSessions(Duration gap) {
        Map<String, List<Long>> byUser = new HashMap<>();
        for (ShopEvent e : events) {
            if (e.timestampMs() >= EventLimits.YEAR_2000_MS) {
                byUser.computeIfAbsent(e.userId(), k -> new ArrayList<>()).add(e.timestampMs());
            }
        }
        long sessions = 0;
        for (List<Long> ts : byUser.values()) {
            ts.sort(null);
            sessions++;
            for (int i = 1; i < ts.size(); i++) {
                if (ts.get(i) - ts.get(i - 1) >= gap.toMillis()) {
                    sessions++;
                }
            }
        }
        return sessions;
    }

    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
