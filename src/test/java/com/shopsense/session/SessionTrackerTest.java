package com.shopsense.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.shopsense.event.EventType;
import com.shopsense.event.ShopEvent;
import com.shopsense.features.SessionFeatures;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SessionTrackerTest {
    private static final long T0 = 1_700_000_000_000L;
    private static final long GAP = Duration.ofMinutes(30).toMillis();
    private static final SessionConfig CONFIG = new SessionConfig(Duration.ofMinutes(30), Duration.ofHours(2),
            Duration.ZERO, 3, 2, Duration.ofDays(30));

    private static final SessionFeatures FEATURES = readFeatures();

    private static SessionFeatures readFeatures() {
        try {
            return new SessionFeatures(java.nio.file.Files.readString(java.nio.file.Path.of("onnx-models/feature_spec.json")));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every item event is due for a recommendation refresh: the requests show the kept items. */
    private static final RecoRefreshPolicy EVERY_ITEM_EVENT = new RecoRefreshPolicy(Duration.ZERO, 1, 0);

    private KeyedOneInputStreamOperatorTestHarness<String, ShopEvent, SessionEvent> harness;
    private int seq;

    @BeforeEach
    void setUp() throws Exception {
        harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new SessionTracker(CONFIG, FEATURES, EVERY_ITEM_EVENT)), ShopEvent::userId, Types.STRING);
        harness.open();
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    private ShopEvent view(String user, long ts, String item) {
        return ShopEvent.builder("e" + (seq++), user, EventType.VIEW, ts).itemId(item).deviceId("d-" + item).build();
    }

    private void send(ShopEvent e) throws Exception {
        harness.processElement(new StreamRecord<>(e, e.timestampMs()));
    }

    private List<SessionClosed> closed() {
        ConcurrentLinkedQueue<StreamRecord<SessionClosed>> q = harness.getSideOutput(SessionTracker.CLOSED);
        return q == null ? List.of() : q.stream().map(StreamRecord::getValue).collect(Collectors.toList());
    }

    private List<ShopEvent> late() {
        ConcurrentLinkedQueue<StreamRecord<ShopEvent>> q = harness.getSideOutput(SessionTracker.LATE);
        return q == null ? List.of() : q.stream().map(StreamRecord::getValue).collect(Collectors.toList());
    }

    /** The accepted events' outputs (not the close markers). */
    private List<SessionEvent> updates() {
        return harness.extractOutputValues().stream().filter(SessionEvent::isEvent).toList();
    }

    private <T> List<T> side(org.apache.flink.util.OutputTag<T> tag) {
        ConcurrentLinkedQueue<StreamRecord<T>> q = harness.getSideOutput(tag);
        return q == null ? List.of() : q.stream().map(StreamRecord::getValue).collect(Collectors.toList());
    }

    /** The user's state as the tracker left it (same descriptor: name and class). */
    private UserState stateOf(String user) throws Exception {
        var operator = (KeyedProcessOperator<?, ?, ?>) harness.getOperator();
        operator.setCurrentKey(user);
        ValueState<UserState> state = operator.getKeyedStateBackend().getPartitionedState(
                VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE,
                new ValueStateDescriptor<>("user-state", UserState.class));
        return state.value();
    }

    private ShopEvent ofType(String user, long ts, EventType type, String item, double price) {
        return ShopEvent.builder("e" + (seq++), user, type, ts).itemId(item).price(price).quantity(1).build();
    }

    private List<SessionEvent> closeMarkers() {
        return harness.extractOutputValues().stream().filter(u -> !u.isEvent()).toList();
    }

    @Test
    void aSessionClosingWithItemsInItsCartSendsOneCloseMarkerWithWhatIsLeftInIt() throws Exception {
        send(ofType("u", T0, EventType.ADD_TO_CART, "a", 10.0));
        send(ofType("u", T0 + 1, EventType.ADD_TO_CART, "b", 5.5));
        send(ofType("u", T0 + 2, EventType.ADD_TO_CART, "c", 2.0));
        send(ofType("u", T0 + 3, EventType.REMOVE_FROM_CART, "b", 5.5));
        assertThat(closeMarkers()).as("nothing before the session closes").isEmpty();
        harness.processWatermark(T0 + 3 + GAP);

        assertThat(closeMarkers()).singleElement().satisfies(m -> {
            assertThat(m.sessionId()).isEqualTo(closed().get(0).sessionId());
            assertThat(m.ref().ts()).as("the session's last event").isEqualTo(T0 + 3);
            assertThat(m.closedCart().items()).containsExactly("a", "c");
            assertThat(m.closedCart().size()).isEqualTo(2);
            assertThat(m.closedCart().value()).isEqualTo(10.0 + 2.0);
            assertThat(m.closedCart().closeReason()).isEqualTo(SessionClosed.BY_GAP);
        });
        assertThat(updates()).filteredOn(SessionEvent::isEvent).hasSize(4);
    }

    @Test
    void anOrderedOrEmptiedCartOrNoCartClosesWithAnEmptyCartInItsMarker() throws Exception {
        send(ofType("ordered", T0, EventType.ADD_TO_CART, "a", 10.0));
        send(ofType("ordered", T0 + 1, EventType.ORDER, "a", 10.0));
        send(ofType("emptied", T0, EventType.ADD_TO_CART, "a", 10.0));
        send(ofType("emptied", T0 + 1, EventType.REMOVE_FROM_CART, "a", 10.0));
        send(view("browsed", T0, "a"));
        harness.processWatermark(T0 + 1 + GAP);
        assertThat(closed()).hasSize(3);
        assertThat(closeMarkers()).as("one per closed session, for the intent stage to drop its state")
                .extracting(SessionEvent::userId).containsExactlyInAnyOrder("ordered", "emptied", "browsed");
        assertThat(closeMarkers()).allSatisfy(m -> {
            assertThat(m.closedWithCart()).isFalse();
            assertThat(m.closedCart().items()).isEmpty();
            assertThat(m.closedCart().value()).isZero();
        });
    }

    @Test
    void everyOutputCarriesTheUsersNewestEventTimeWhichNeverGoesBack() throws Exception {
        send(view("u", T0 + 10, "a"));
        send(view("u", T0 + 5, "b")); // out of order, same session
        send(view("u", T0 + 10 + GAP, "c")); // a new session
        assertThat(updates()).extracting(SessionEvent::userNewestTs)
                .containsExactly(T0 + 10, T0 + 10, T0 + 10 + GAP);
        assertThat(closeMarkers()).singleElement().satisfies(m -> {
            assertThat(m.userNewestTs()).isEqualTo(T0 + 10);
            assertThat(m.ref().ts()).as("the closed session's last event").isEqualTo(T0 + 10);
        });
    }

    @Test
    void theCartKeepsAtMostTwentyItemIdsTheNewestOnce() throws Exception {
        for (int i = 0; i < 25; i++) {
            send(ofType("bot", T0 + i, EventType.ADD_TO_CART, "i" + i, 1.0));
        }
        send(ofType("bot", T0 + 25, EventType.ADD_TO_CART, "i24", 1.0)); // the same item again: one id
        assertThat(stateOf("bot").session.cartItems).hasSize(OpenSession.CART_ITEMS_KEPT)
                .startsWith("i5").endsWith("i24").doesNotHaveDuplicates();
        assertThat(stateOf("bot").session.cartSize).isEqualTo(26);
    }

    @Test
    void onlyACustomersClosedSessionAsksTheChurnModelAProspectsCarriesNoInput() throws Exception {
        send(view("prospect", T0, "a"));
        send(ofType("customer", T0, EventType.ORDER, "a", 10.0));
        harness.processWatermark(T0 + GAP);
        List<ChurnRequest> churn = side(SessionTracker.CHURN);
        assertThat(churn).hasSize(2);
        assertThat(churn).filteredOn(c -> c.userId().equals("prospect")).singleElement().satisfies(c -> {
            assertThat(c.isCustomer()).isFalse();
            assertThat(c.purchases().hasOrders()).isFalse();
        });
        assertThat(churn).filteredOn(c -> c.userId().equals("customer")).singleElement().satisfies(c -> {
            assertThat(c.isCustomer()).isTrue();
            assertThat(c.periods()).isNotEmpty();
        });
    }

    @Test
    void anEventExactlyOneGapAfterTheLastStartsANewSession() throws Exception {
        send(view("u", T0, "a"));
        send(view("u", T0 + GAP - 1, "b"));
        send(view("u", T0 + GAP - 1 + GAP, "c"));

        assertThat(updates()).extracting(SessionEvent::position).containsExactly(0, 1, 0);
        assertThat(closed()).singleElement().satisfies(s -> {
            assertThat(s.eventCount()).isEqualTo(2);
            assertThat(s.startTs()).isEqualTo(T0);
            assertThat(s.endTs()).isEqualTo(T0 + GAP - 1);
            assertThat(s.closeReason()).isEqualTo(SessionClosed.BY_GAP);
        });
    }

    @Test
    void theGapTimerClosesTheSessionWhenTheWatermarkReachesIt() throws Exception {
        send(view("u", T0, "a"));
        harness.processWatermark(T0 + GAP - 1);
        assertThat(closed()).isEmpty();
        harness.processWatermark(T0 + GAP);
        assertThat(closed()).singleElement().extracting(SessionClosed::eventCount).isEqualTo(1);
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(harness.numKeyedStateEntries()).as("only the user's state, with the profile").isEqualTo(1);
    }

    @Test
    void laterEventsPushTheDeadlineWithoutAddingTimers() throws Exception {
        long tenMinutes = Duration.ofMinutes(10).toMillis();
        for (int i = 0; i < 5; i++) {
            send(view("u", T0 + i * tenMinutes, "i" + i));
        }
        assertThat(harness.numEventTimeTimers()).as("one timer per open session, however many events").isEqualTo(1);
        harness.processWatermark(T0 + GAP); // the first deadline: the session is still active
        assertThat(closed()).isEmpty();
        assertThat(harness.numEventTimeTimers()).as("set again, to the new deadline").isEqualTo(1);
        harness.processWatermark(T0 + 4 * tenMinutes + GAP - 1);
        assertThat(closed()).isEmpty();
        harness.processWatermark(T0 + 4 * tenMinutes + GAP);
        assertThat(closed()).singleElement().satisfies(s -> {
            assertThat(s.eventCount()).isEqualTo(5);
            assertThat(s.closeReason()).isEqualTo(SessionClosed.BY_GAP);
        });
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void aWatermarkJumpPastTheDeadlineClosesTheSessionInTheSameAdvance() throws Exception {
        send(view("u", T0, "a"));
        send(view("u", T0 + GAP / 2, "b"));
        harness.processWatermark(T0 + 10 * GAP);
        assertThat(closed()).singleElement().satisfies(s -> {
            assertThat(s.endTs()).isEqualTo(T0 + GAP / 2);
            assertThat(s.closeReason()).isEqualTo(SessionClosed.BY_GAP);
        });
    }

    @Test
    void outOfOrderEventsWithinTheBoundJoinTheirSession() throws Exception {
        send(view("u", T0 + 10_000, "b"));
        send(view("u", T0, "a")); // earlier, but not behind the watermark
        send(view("u", T0 + 20_000, "c"));
        harness.processWatermark(T0 + 20_000 + GAP);

        assertThat(closed()).singleElement().satisfies(s -> {
            assertThat(s.eventCount()).isEqualTo(3);
            assertThat(s.startTs()).isEqualTo(T0);
            assertThat(s.endTs()).isEqualTo(T0 + 20_000);
        });
        assertThat(late()).isEmpty();
    }

    @Test
    void eventsBehindTheWatermarkGoToTheLateOutput() throws Exception {
        send(view("u", T0, "a"));
        harness.processWatermark(T0 + 5_000);
        ShopEvent tooLate = view("u", T0 + 4_999, "x");
        send(tooLate);
        send(view("u", T0 + 5_000, "y"));

        assertThat(late()).containsExactly(tooLate);
        assertThat(updates()).hasSize(2);
    }

    @Test
    void theMaximumDurationSplitsEndlessSessions() throws Exception {
        long step = GAP / 2;
        for (long t = T0; t < T0 + Duration.ofHours(3).toMillis(); t += step) {
            send(view("bot", t, "i" + t));
        }
        harness.processWatermark(T0 + Duration.ofHours(2).toMillis());
        assertThat(closed()).first().satisfies(s -> {
            assertThat(s.closeReason()).isEqualTo(SessionClosed.BY_MAX_DURATION);
            assertThat(s.endTs() - s.startTs()).isLessThan(Duration.ofHours(2).toMillis());
        });
    }

    @Test
    void keptItemsAndKnownDevicesStayWithinTheirCaps() throws Exception {
        for (int i = 0; i < 10; i++) {
            send(view("u", T0 + i * 1000L, "item" + i));
            // events without an item do not take one of the kept items' places
            send(ShopEvent.builder("s" + i, "u", EventType.SEARCH, T0 + i * 1000L + 500).query("q").build());
        }
        send(view("u", T0 + 20_000L, "item10"));
        SessionEvent last = updates().get(updates().size() - 1);
        List<RecommendRequest> requests = side(SessionTracker.RECOMMEND);
        assertThat(requests).as("one per item event").hasSize(11);
        assertThat(requests.get(requests.size() - 1).recentItems()).containsExactly("item8", "item9", "item10");
        assertThat(last.position()).isEqualTo(20);
        UserProfile profile = stateOf("u").profile;
        assertThat(profile.knownDevices).as("the newest devices, within the cap").containsExactly("d-item10", "d-item9");
        assertThat(profile.knowsDevice("d-item10")).isTrue();
        assertThat(harness.numKeyedStateEntries()).as("one state per user, however many events").isEqualTo(1);
    }

    @Test
    void sessionsOfDifferentUsersAreIndependentAndCountedInTheProfile() throws Exception {
        send(view("a", T0, "x"));
        send(view("b", T0 + 1, "x"));
        send(view("a", T0 + 2 * GAP, "y"));
        harness.processWatermark(T0 + 10 * GAP);

        assertThat(closed()).extracting(SessionClosed::userId).containsExactlyInAnyOrder("a", "b", "a");
        SessionEvent secondOfA = updates().get(2);
        assertThat(stateOf("a").profile.sessions).isEqualTo(2);
        assertThat(secondOfA.previousEventTs()).isEqualTo(-1);
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void paymentsCarryFraudFeaturesOfTheHistoryBeforeThemAndReasons() throws Exception {
        send(ShopEvent.builder("p1", "u", EventType.PAYMENT, T0).amount(20.0).merchantId("m1").build());
        send(view("u", T0 + 1_000, "a"));
        send(ShopEvent.builder("p2", "u", EventType.PAYMENT, T0 + 2_000).amount(900.0).merchantId("m2").build());

        List<FraudRequest> fraud = side(SessionTracker.FRAUD);
        assertThat(fraud).as("views are not fraud-scored").extracting(r -> r.payment().ref().eventId())
                .containsExactly("p1", "p2");
        FraudRequest first = fraud.get(0);
        FraudRequest second = fraud.get(1);
        assertThat(second.current()).isNotEqualTo(first.current());
        assertThat(second.history()).as("the second payment sees the first in its history")
                .isNotEqualTo(first.history());
        assertThat(second.reasons()).isNotEmpty();
        assertThat(second.payment().merchantId()).isEqualTo("m2");
        assertThat(second.payment().amount()).isEqualTo(900.0);
        assertThat(updates()).hasSize(3);
        assertThat(updates().get(0).intent().dense()).isNotEmpty();
    }

    @Test
    void aClosedSessionCarriesChurnFeaturesOfTheUsersOrders() throws Exception {
        send(ShopEvent.builder("o1", "u", EventType.ORDER, T0).itemId("i").amount(50.0).build());
        harness.processWatermark(T0 + GAP);
        assertThat(closed()).singleElement().satisfies(c -> assertThat(c.orders()).isEqualTo(1));
        assertThat(side(SessionTracker.CHURN)).singleElement().satisfies(c -> {
            assertThat(c.periods()).isNotEmpty();
            assertThat(c.sessionEndTs()).isEqualTo(T0);
            assertThat(c.purchases().orderSessions()).isEqualTo(1);
        });
    }

    @Test
    void aRefreshIsDueOncePerIntervalFromTheSessionsNthEventAndItsTimeOutlivesTheSession() throws Exception {
        harness.close();
        harness = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new SessionTracker(CONFIG,
                FEATURES, new RecoRefreshPolicy(Duration.ofSeconds(10), 2, 0))), ShopEvent::userId, Types.STRING);
        harness.open();
        send(view("u", T0, "a"));            // first event of its session: keeps the previous list
        send(view("u", T0 + 1_000, "b"));    // due
        send(view("u", T0 + 5_000, "c"));    // within the interval
        send(view("u", T0 + 11_000, "d"));   // due again
        send(view("u", T0 + 11_000 + GAP, "e")); // a new session's first event: not due
        send(view("u", T0 + 12_000 + GAP, "f")); // due: the interval counts from the last refresh, not the session

        assertThat(side(SessionTracker.RECOMMEND)).extracting(r -> r.ref().ts())
                .containsExactly(T0 + 1_000, T0 + 11_000, T0 + 12_000 + GAP);
        assertThat(stateOf("u").lastRecoTs).isEqualTo(T0 + 12_000 + GAP);
    }
}
