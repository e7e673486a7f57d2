package com.shopsense.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.shopsense.event.EventRef;
import com.shopsense.event.EventType;
import com.shopsense.features.IntentFeatureEncoder;
import com.shopsense.inference.ModelEntry;
import com.shopsense.inference.ModelInputs;
import com.shopsense.inference.RuntimeOptions;
import com.shopsense.inference.ServingModel;
import com.shopsense.inference.SharedModels;
import com.shopsense.session.CartAtClose;
import com.shopsense.session.SessionEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The operator's batched step (flat buffers, one direct run per flush) gives every event the probability and
 * hidden state that scoring the user's events one by one gives: the offsets of users in a batch, the hidden
 * state carried in keyed state and reset at a new session, batches cut by size, by a repeated user and by
 * watermarks.
 */
class IntentScoringOperatorTest {
    private static final RuntimeOptions OPTIONS =
            new RuntimeOptions("onnx-models", "cpu", false, 0, 1, 8, Duration.ofMillis(5));

    private record Sent(SessionEvent event, boolean watermarkAfter) {
    }

    private static List<Sent> randomEvents(int count, ModelEntry e, Random r) {
        int dSize = e.input("dense").exampleSize();
        Map<String, Integer> sessionOf = new HashMap<>();
        List<Sent> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String user = "u" + r.nextInt(20);
            int session = sessionOf.merge(user, r.nextInt(6) == 0 ? 1 : 0, Integer::sum);
            float[] dense = new float[dSize];
            for (int j = 0; j < dSize; j++) {
                // Wide: the calibrated model scores near the base rate (its threshold 0.2 flags ~2% of real prefixes),
                // and the high-intent test needs sessions that cross it (about 1 in 10 at this spread).
                dense[j] = (float) (8 * r.nextGaussian());
            }
            var x = new IntentFeatureEncoder.Encoded(r.nextInt(500), r.nextInt(100), dense);
            long ts = 1_700_000_000_000L + i;
            // The user's newest event time comes from the sessionizer: here a value no event carries.
            SessionEvent ev = new SessionEvent(new EventRef(user, "e" + i, ts), user + "-s" + session,
                    EventType.VIEW, 0, -1, 0, x, ts + 7);
            out.add(new Sent(ev, r.nextInt(25) == 0));
        }
        return out;
    }

    private static final double MIN_DELTA = 0.02;
    private static final Duration TTL = Duration.ofDays(30);

    @Test
    void batchedStepsEqualScoringEachUsersEventsOneByOne() throws Exception {
        try (SharedModels.Handle reference = SharedModels.acquire(OPTIONS, "intent")) {
            ModelEntry e = reference.manifestEntry();
            List<Sent> events = randomEvents(400, e, new Random(7));
            Map<String, Float> scored = new HashMap<>();
            Map<String, String> versions = new HashMap<>();
            Map<String, Boolean> material = new HashMap<>();
            try (var h = new KeyedOneInputStreamOperatorTestHarness<String, SessionEvent, IntentScore>(
                    new IntentScoringOperator(OPTIONS, MIN_DELTA, TTL), SessionEvent::userId, Types.STRING)) {
                h.open();
                long wm = 0;
                for (Sent s : events) {
                    h.processElement(new StreamRecord<>(s.event(), s.event().ref().ts()));
                    if (s.watermarkAfter()) {
                        h.processWatermark(new Watermark(++wm));
                    }
                }
                h.processWatermark(new Watermark(Long.MAX_VALUE - 1));
                for (IntentScore out : h.extractOutputValues()) {
                    assertThat(scored.put(out.ref().eventId(), out.probability())).as("scored once").isNull();
                    assertThat(out.newestEventTime()).as("the sessionizer's newest event time of the user")
                            .isEqualTo(out.ref().ts() + 7);
                    versions.put(out.ref().eventId(), out.modelVersion());
                    material.put(out.ref().eventId(), out.material());
                }
            }
            assertThat(scored).hasSize(events.size());
            assertThat(versions.values()).containsOnly(e.version());

            int hSize = e.input("h").exampleSize();
            int pOut = ModelInputs.outputIndex(e, "p_purchase");
            int hOut = ModelInputs.outputIndex(e, "h_next");
            Map<String, float[]> hidden = new HashMap<>();
            Map<String, String> session = new HashMap<>();
            for (Sent s : events) {
                SessionEvent u = s.event();
                float[] hPrev = u.sessionId().equals(session.get(u.userId())) ? hidden.get(u.userId()) : new float[hSize];
                Object[] in = new Object[e.inputs().size()];
                in[ModelInputs.inputIndex(e, "item_bucket")] = new long[] {u.intent().itemBucket()};
                in[ModelInputs.inputIndex(e, "category_bucket")] = new long[] {u.intent().categoryBucket()};
                in[ModelInputs.inputIndex(e, "dense")] = u.intent().dense();
                in[ModelInputs.inputIndex(e, "h")] = hPrev;
                ServingModel.Result one = reference.score(in).get();
                hidden.put(u.userId(), (float[]) one.outputs()[hOut]);
                session.put(u.userId(), u.sessionId());
                assertThat((double) scored.get(u.ref().eventId())).as("event %s", u.ref().eventId())
                        .isCloseTo(((float[]) one.outputs()[pOut])[0], within(1e-5));
            }
            // The write decisions are the rule replayed over each user's scores in order (its own probabilities:
            // the decision must not depend on how events were batched).
            MaterialChange rule = MaterialChange.of(MIN_DELTA, e);
            Map<String, Float> written = new HashMap<>();
            Map<String, String> writtenSession = new HashMap<>();
            int skipped = 0;
            for (Sent s : events) {
                SessionEvent u = s.event();
                Float last = u.sessionId().equals(writtenSession.get(u.userId())) ? written.get(u.userId()) : null;
                float p = scored.get(u.ref().eventId());
                boolean expected = rule.isMaterial(last, e.version(), p, e.version());
                assertThat(material.get(u.ref().eventId())).as("written: event %s", u.ref().eventId()).isEqualTo(expected);
                if (expected) {
                    written.put(u.userId(), p);
                    writtenSession.put(u.userId(), u.sessionId());
                } else {
                    skipped++;
                }
            }
            assertThat(skipped).as("some scores moved less than the delta").isPositive();
            assertThat(reference.serving().stats().batches()).as("the operator's batches counted on the shared model")
                    .isLessThan(reference.serving().stats().requests());
        }
    }

    /** The input with a close marker after the last event of every session (every second one's cart: one item). */
    private static List<StreamRecord<SessionEvent>> withCloseMarkers(List<Sent> events) {
        Map<String, Integer> lastIndex = new HashMap<>();
        for (int i = 0; i < events.size(); i++) {
            lastIndex.put(events.get(i).event().sessionId(), i);
        }
        List<StreamRecord<SessionEvent>> in = new ArrayList<>();
        int sessions = 0;
        for (int i = 0; i < events.size(); i++) {
            SessionEvent u = events.get(i).event();
            in.add(new StreamRecord<>(u, u.ref().ts()));
            if (lastIndex.get(u.sessionId()) == i) {
                CartAtClose cart = sessions++ % 2 == 0 ? new CartAtClose(new String[] {"x" + i}, 3.5, 1, "gap")
                        : new CartAtClose(new String[0], 0.0, 0, "gap");
                in.add(new StreamRecord<>(new SessionEvent(new EventRef(u.userId(), null, u.ref().ts()), u.sessionId(),
                        null, 0, u.ref().ts(), 0, null, cart, u.userNewestTs()), u.ref().ts()));
            }
        }
        return in;
    }

    private record Run(List<IntentScore> scores, List<JourneyAction> actions, int stateEntriesLeft) {
    }

    private static Run run(List<StreamRecord<SessionEvent>> in) throws Exception {
        try (var h = new KeyedOneInputStreamOperatorTestHarness<String, SessionEvent, IntentScore>(
                new IntentScoringOperator(OPTIONS, MIN_DELTA, TTL), SessionEvent::userId, Types.STRING)) {
            h.open();
            for (StreamRecord<SessionEvent> r : in) {
                h.processElement(r);
            }
            h.processWatermark(new Watermark(Long.MAX_VALUE - 1));
            var actions = h.getSideOutput(IntentScoringOperator.ACTIONS);
            return new Run(h.extractOutputValues(), actions == null ? List.of()
                    : actions.stream().map(StreamRecord::getValue).toList(), h.numKeyedStateEntries());
        }
    }

    @Test
    void highIntentOncePerSessionAtItsFirstScoreOverTheThresholdAndAnAbandonedCartWithTheSessionsLastScore()
            throws Exception {
        ModelEntry e;
        try (SharedModels.Handle model = SharedModels.acquire(OPTIONS, "intent")) {
            e = model.manifestEntry();
        }
        double threshold = e.threshold(MaterialChange.THRESHOLD_KEY);
        List<Sent> events = randomEvents(600, e, new Random(11));
        List<StreamRecord<SessionEvent>> in = withCloseMarkers(events);
        Run run = run(in);
        assertThat(run.scores()).as("a close marker is not scored").hasSize(events.size());

        // Expected from the scores, in each session's order: its first score at or over the threshold, its last one.
        Map<String, Float> scoreOf = new HashMap<>();
        run.scores().forEach(sc -> scoreOf.put(sc.ref().eventId(), sc.probability()));
        Map<String, JourneyAction> expectedHigh = new LinkedHashMap<>();
        Map<String, Float> lastScore = new HashMap<>();
        List<JourneyAction> expectedCarts = new ArrayList<>();
        for (StreamRecord<SessionEvent> r : in) {
            SessionEvent u = r.getValue();
            if (u.closedWithCart()) {
                float p = lastScore.get(u.sessionId());
                expectedCarts.add(JourneyActions.cartAbandoned(u.userId(), u.sessionId(), u.ref().ts(), u.closedCart(),
                        p, e.version(), threshold));
                continue;
            }
            if (!u.isEvent()) {
                continue; // closed with an empty cart: no action
            }
            float p = scoreOf.get(u.ref().eventId());
            lastScore.put(u.sessionId(), p);
            if (p >= threshold && !expectedHigh.containsKey(u.sessionId())) {
                expectedHigh.put(u.sessionId(), JourneyActions.highIntent(u.ref(), u.sessionId(), p, e.version(),
                        threshold));
            }
        }
        assertThat(expectedHigh).as("the input has sessions that cross the threshold").hasSizeGreaterThan(3);
        assertThat(run.actions()).filteredOn(a -> a.type().equals(JourneyAction.HIGH_INTENT))
                .containsExactlyInAnyOrderElementsOf(expectedHigh.values());
        assertThat(run.actions()).filteredOn(a -> a.type().equals(JourneyAction.CART_ABANDONED))
                .containsExactlyInAnyOrderElementsOf(expectedCarts);
        assertThat(run.actions()).extracting(JourneyAction::actionId).doesNotHaveDuplicates()
                .allSatisfy(id -> assertThat(id).matches("[0-9a-f]{32}"));
        assertThat(run.actions()).allSatisfy(a -> assertThat(a.actionId())
                .isEqualTo(JourneyActions.id(a.type(), a.userId(), a.sessionId())));
        assertThat(run(in).actions()).as("a replay yields the same actions, ids included")
                .containsExactlyInAnyOrderElementsOf(run.actions());
        assertThat(run.stateEntriesLeft()).as("every session closed: no hidden state left").isZero();
        List<StreamRecord<SessionEvent>> noCloses = in.stream().filter(r -> r.getValue().isEvent()).toList();
        assertThat(run(noCloses).stateEntriesLeft()).as("without closes, one per user with an open session")
                .isEqualTo((int) events.stream().map(x -> x.event().userId()).distinct().count());
    }
}
