package com.shopsense.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.shopsense.event.EventJson;
import com.shopsense.event.EventLimits;
import com.shopsense.event.EventParser;
import com.shopsense.event.GuardedKeyedProcessFunction;
import com.shopsense.event.InvalidEventException;
import com.shopsense.event.RouteInvalidRecords;
import com.shopsense.event.ShopEvent;
import com.shopsense.event.TestEvents;
import com.shopsense.event.UnexpectedErrors;
import com.shopsense.features.SessionFeatures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

/**
 * Downstream totality: any sequence of events the parser accepts (any order, any times in the contract's
 * range, every type and optional field) runs through the sessionizer and its feature encoders, up to closing
 * every session, without a single unexpected error. Fewer tries than the parser properties: each one is a
 * whole operator harness.
 */
class SessionTrackerFuzzTest {
    private static final EventParser PARSER = new EventParser(EventLimits.defaults(), TestEvents::now);
    private static final SessionFeatures FEATURES = features();

    private static SessionFeatures features() {
        try {
            return new SessionFeatures(Files.readString(Path.of("onnx-models/feature_spec.json")));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Property(tries = 300)
    void acceptedEventsNeverBreakTheSessionizer(@ForAll("events") List<ShopEvent> events) throws Exception {
        GuardedKeyedProcessFunction<String, ShopEvent, SessionEvent> guarded = new GuardedKeyedProcessFunction<>(
                new SessionTracker(SessionConfig.defaults(), FEATURES, RecoRefreshPolicy.defaults()), new UnexpectedErrors("sessionize", 0),
                EventJson::toBytes, "t", TypeInformation.of(SessionEvent.class));
        var harness = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(guarded),
                ShopEvent::userId, Types.STRING);
        try {
            harness.open();
            for (ShopEvent e : events) {
                harness.processElement(new StreamRecord<>(e, e.timestampMs()));
            }
            harness.processWatermark(Long.MAX_VALUE); // closes every session: churn features too
            assertThat(harness.getSideOutput(RouteInvalidRecords.DEAD_LETTERS)).as("unexpected errors").isNull();
            List<SessionEvent> out = harness.extractOutputValues();
            assertThat(out).filteredOn(SessionEvent::isEvent).hasSameSizeAs(events);
            assertThat(harness.getSideOutput(SessionTracker.CLOSED)).isNotEmpty();
            // and the close markers: one per closed session, its cart's ids bounded, items only in a cart left
            assertThat(out.stream().filter(u -> !u.isEvent()).count())
                    .isEqualTo(harness.getSideOutput(SessionTracker.CLOSED).size());
            assertThat(out).filteredOn(u -> !u.isEvent()).allSatisfy(u -> {
                assertThat(u.closedCart().size()).isNotNegative();
                assertThat(u.closedCart().items().length).isLessThanOrEqualTo(OpenSession.CART_ITEMS_KEPT);
                if (!u.closedWithCart()) {
                    assertThat(u.closedCart().items()).isEmpty();
                }
            });
        } finally {
            harness.close();
        }
    }

    @Provide
    Arbitrary<List<ShopEvent>> events() {
        return TestEvents.validRecords().list().ofMinSize(1).ofMaxSize(40).map(records -> {
            List<ShopEvent> out = new ArrayList<>();
            for (byte[] r : records) {
                try {
                    ShopEvent e = PARSER.parse(r);
                    // few users, so that sessions, payment and order histories build up
                    out.add(new ShopEvent(e.eventId(), "user-" + Math.floorMod(e.userId().hashCode(), 3), e.type(),
                            e.timestampMs(), e.itemId(), e.categoryId(), e.price(), e.quantity(), e.amount(),
                            e.currency(), e.query(), e.paymentMethod(), e.cardFingerprint(), e.deviceId(), e.ip(),
                            e.country(), e.rating(), e.text(), e.merchantId()));
                } catch (InvalidEventException rejected) {
                    throw new AssertionError("a valid record was rejected", rejected);
                }
            }
            return out;
        });
    }
}
