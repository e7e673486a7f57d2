package com.shopsense.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.shopsense.features.SessionFeatures;
import com.shopsense.session.RecoRefreshPolicy;
import com.shopsense.session.SessionConfig;
import com.shopsense.session.SessionEvent;
import com.shopsense.session.SessionTracker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.apache.flink.util.FlinkRuntimeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The operator-level guard, in Flink's operator test harness (keyed state and timers as in a job). */
class GuardedKeyedProcessFunctionTest {
    private static final long T0 = 1_700_000_000_000L;
    private static final String TOPIC = "shop-events";

    private KeyedOneInputStreamOperatorTestHarness<String, ShopEvent, SessionEvent> harness;
    private GuardedKeyedProcessFunction<String, ShopEvent, SessionEvent> guarded;

    /** Test-only manual clock; a static so the serializable lambda below can reach it. */
    private static final AtomicLong NOW = new AtomicLong(T0);

    private void open(KeyedProcessFunction<String, ShopEvent, SessionEvent> inner, int budget) throws Exception {
        guarded = new GuardedKeyedProcessFunction<>(inner,
                new UnexpectedErrors(DeadLetter.STAGE_SESSIONIZE, budget, NOW::get), EventJson::toBytes, TOPIC,
                TypeInformation.of(SessionEvent.class));
        harness = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(guarded), ShopEvent::userId,
                Types.STRING);
        harness.open();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    private void send(ShopEvent e) throws Exception {
        harness.processElement(new StreamRecord<>(e, e.timestampMs()));
    }

    private List<DeadLetter> deadLetters() {
        var q = harness.getSideOutput(RouteInvalidRecords.DEAD_LETTERS);
        return q == null ? List.of() : q.stream().map(StreamRecord::getValue).collect(Collectors.toList());
    }

    private static ShopEvent view(String id, String user, long ts) {
        return ShopEvent.builder(id, user, EventType.VIEW, ts).itemId("i-" + id).build();
    }

    private static SessionFeatures features() throws Exception {
        return new SessionFeatures(Files.readString(Path.of("onnx-models/feature_spec.json")));
    }

    @Test
    void aRecordTheSessionizerThrowsOnIsDeadLetteredAndTheJobGoesOn() throws Exception {
        open(new SessionTracker(SessionConfig.defaults(), features(), RecoRefreshPolicy.defaults()), 100);
        send(view("e1", "u1", T0));
        // No parser makes this (type is required): a stand-in for whatever bug lets a record break the tracker.
        send(new ShopEvent("e2", "u2", null, T0 + 1, "i", null, null, null, null, null, null, null, null, null, null,
                null, null, null, null));
        send(view("e3", "u1", T0 + 2));
        send(view("e4", "u2", T0 + 3));

        assertThat(harness.extractOutputValues()).extracting(u -> u.ref().eventId()).containsExactly("e1", "e3", "e4");
        assertThat(harness.extractOutputValues().get(1).position()).as("u1's session carried on").isEqualTo(1);
        assertThat(deadLetters()).singleElement().satisfies(d -> {
            assertThat(d.reasonCode()).isEqualTo(ReasonCodes.UNEXPECTED_ERROR);
            assertThat(d.reason()).isEqualTo("unexpected_error: sessionize threw NullPointerException");
            assertThat(d.stage()).isEqualTo(DeadLetter.STAGE_SESSIONIZE);
            assertThat(d.errorClass()).isEqualTo(NullPointerException.class.getName());
            assertThat(d.errorMessage()).contains("(at com.shopsense.");
            assertThat(d.sourceTopic()).isEqualTo(TOPIC);
            assertThat(d.sourceOffset()).isEqualTo(-1);
            assertThat(d.raw()).as("the event cannot be re-written either: empty value").isEmpty();
        });
        assertThat(guarded.errors().count()).as("metric unexpectedErrors").isEqualTo(1);
    }

    @Test
    void theDeadLetterIsTheEventAsContractJsonAndTheMessageIsRedacted() throws Exception {
        open(new Throwing(), 100);
        ShopEvent e = view("boom-1", "u", T0);
        send(e);
        DeadLetter d = deadLetters().get(0);
        assertThat(d.raw()).isEqualTo(EventJson.toBytes(e));
        assertThat(d.errorClass()).isEqualTo(NumberFormatException.class.getName());
        assertThat(d.errorMessage()).startsWith("For input string: \"...\"").doesNotContain("4111");
    }

    @Test
    void moreFailuresThanTheBudgetWithinAMinuteFailTheJobLoudly() throws Exception {
        NOW.set(T0);
        open(new Throwing(), 3);
        for (int i = 0; i < 3; i++) {
            send(view("boom-" + i, "u" + i, T0 + i));
            NOW.addAndGet(10_000);
        }
        assertThat(deadLetters()).hasSize(3);
        assertThatThrownBy(() -> send(view("boom-3", "u", T0 + 3)))
                .isInstanceOf(UnexpectedErrorBudgetExceeded.class)
                .hasMessageContaining("more than 3 unexpected errors within a minute in stage 'sessionize'")
                .cause().hasMessageStartingWith(NumberFormatException.class.getName()).hasMessageNotContaining("4111");
        assertThat(guarded.errors().count()).isEqualTo(4);
    }

    @Test
    void failuresSpreadOverMoreThanAMinuteStayWithinTheBudget() throws Exception {
        NOW.set(T0);
        open(new Throwing(), 3);
        for (int i = 0; i < 10; i++) {
            send(view("boom-" + i, "u", T0 + i));
            NOW.addAndGet(25_000); // at most 3 in any 60 s
        }
        assertThat(deadLetters()).hasSize(10);
    }

    @Test
    void aBudgetOfZeroFailsOnTheFirstUnexpectedError() throws Exception {
        open(new Throwing(), 0);
        assertThatThrownBy(() -> send(view("boom", "u", T0))).isInstanceOf(UnexpectedErrorBudgetExceeded.class);
        assertThat(deadLetters()).isEmpty();
    }

    @Test
    void failuresOfTheRuntimeStillFailTheTask() throws Exception {
        open(new Throwing(), 100);
        assertThatThrownBy(() -> send(view("state-broken", "u", T0))).isInstanceOf(FlinkRuntimeException.class);
        assertThat(deadLetters()).isEmpty();
        assertThat(guarded.errors().count()).isZero();
    }

    @Test
    void aTimerThatThrowsIsDeadLetteredWithoutTheKey() throws Exception {
        open(new Throwing(), 100);
        send(view("timer", "user-42", T0));
        harness.processWatermark(T0 + 1);
        assertThat(deadLetters()).singleElement().satisfies(d -> {
            assertThat(d.reasonCode()).isEqualTo(ReasonCodes.UNEXPECTED_ERROR);
            assertThat(d.raw()).isEmpty();
            assertThat(d.errorMessage()).doesNotContain("user-42");
        });
        assertThat(harness.extractOutputValues()).isEmpty();
    }

    /** Throws as its event id says: boom-* like a parsing bug quoting a card number, state-* like RocksDB. */
    static final class Throwing extends KeyedProcessFunction<String, ShopEvent, SessionEvent> {
        @Override
        public void processElement(ShopEvent e, Context ctx, Collector<SessionEvent> out) {
            if (e.eventId().startsWith("boom")) {
                throw new NumberFormatException("For input string: \"4111111111111111\"");
            }
            if (e.eventId().startsWith("state")) {
                throw new FlinkRuntimeException("Error while retrieving data from RocksDB");
            }
            if (e.eventId().equals("timer")) {
                ctx.timerService().registerEventTimeTimer(e.timestampMs() + 1);
            }
        }

        @Override
        public void onTimer(long timestamp, OnTimerContext ctx, Collector<SessionEvent> out) {
            throw new IllegalStateException("timer of '" + ctx.getCurrentKey() + "' broke");
        }
    }
}
