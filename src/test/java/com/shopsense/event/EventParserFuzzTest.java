package com.shopsense.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.shopsense.features.IntentFeatureEncoder;
import com.shopsense.features.PaymentHistory;
import com.shopsense.features.SessionFeatures;
import java.nio.file.Files;
import java.nio.file.Path;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Property-based fuzzing of {@link EventParser} (issue 16): whatever bytes arrive, the parser returns an event
 * that {@link ContractOracle} finds legal, or throws {@link InvalidEventException} with a known reason code and
 * a header-safe message; nothing else (jqwik fails a property on any other throwable). Tries per property:
 * system property jqwik.tries.default (pom: shopsense.fuzz.tries, 1,500; 100,000 with -Preliability-slow).
 * Coverage checks make sure the generators reach both acceptance and every kind of rejection they aim at.
 */
class EventParserFuzzTest {
    private static final EventLimits LIMITS = EventLimits.defaults();
    private final EventParser parser = new EventParser(LIMITS, () -> JsonArbitraries.NOW);

    /** Parses and checks the outcome; returns "accepted" or the reason code. */
    private String outcome(byte[] raw) {
        ShopEvent e;
        try {
            e = parser.parse(raw);
        } catch (InvalidEventException x) {
            assertThat(ReasonCodes.EVENT_PARSER).as("known reason code").contains(x.code());
            assertThat(x.getMessage()).as("dlq.reason is 'code: detail' in printable ASCII, not too long")
                    .startsWith(x.code() + ": ").matches("[\\x20-\\x7E]{1,400}");
            return x.code();
        }
        assertThat(ContractOracle.eventViolations(raw, e, LIMITS, JsonArbitraries.NOW)).as("contract rules the accepted"
                + " event breaks").isEmpty();
        return "accepted";
    }

    @Property
    void hostileRecordsAreRejectedWithAKnownCodeOrAcceptedOnlyWhenLegal(@ForAll("hostile") byte[] raw) {
        Statistics.collect(outcome(raw));
        Statistics.coverage(c -> {
            c.check("accepted").percentage(p -> p > 2);
            // Only codes this generator reaches often (>= ~1 % of tries): a rarer code's count is 0 for some seeds.
            // Every code is reached for sure by eachKnownViolationGetsItsReasonCode.
            for (String code : new String[] {"malformed_json", "duplicate_key", "invalid_type", "missing_field",
                    "not_an_object"}) {
                c.check(code).count(n -> n > 0);
            }
        });
    }

    @Property
    void byteMutationsOfValidRecordsNeverEscapeTheParser(@ForAll("mutations") byte[] raw) {
        Statistics.collect(outcome(raw));
        Statistics.coverage(c -> {
            c.check("accepted").count(n -> n > 0);
            c.check("malformed_json").percentage(p -> p > 20);
        });
    }

    @Property
    void validRecordsOfEveryTypeAreAcceptedAsWritten(@ForAll("valid") byte[] raw) throws Exception {
        ShopEvent e = parser.parse(raw);
        assertThat(ContractOracle.eventViolations(raw, e, LIMITS, JsonArbitraries.NOW)).isEmpty();
        Statistics.collect(e.type());
    }

    @Property
    void eachKnownViolationGetsItsReasonCode(@ForAll("violations") EventArbitraries.Violation v) {
        assertThat(outcome(v.raw())).as(v.kind()).isEqualTo(v.code());
        Statistics.collect(v.code());
        Statistics.coverage(c -> {
            for (String code : new String[] {"control_char", "invalid_unicode", "duplicate_key", "ts_out_of_range",
                    "invalid_ts", "out_of_range", "field_too_large", "tombstone", "empty_payload"}) {
                c.check(code).count(n -> n > 0);
            }
        });
    }

    /**
     * Downstream trusts the parser: for every accepted event the contract JSON round-trips, and the feature
     * encoders the sessionizer runs (intent, fraud with a history, reasons) produce finite numbers.
     */
    @Property
    void acceptedEventsAreSafeForTheEncodersAndTheWriters(@ForAll("hostileOrValid") byte[] raw) throws Exception {
        ShopEvent e;
        try {
            e = parser.parse(raw);
        } catch (InvalidEventException rejected) {
            return;
        }
        assertThat(parser.parse(EventJson.toBytes(e))).as("contract JSON round trip").isEqualTo(e);
        assertThat(allFinite(FEATURES.intent(e, e.timestampMs() - 1000, 3,
                new IntentFeatureEncoder.SessionContext(e.timestampMs() - 5000, 2, 40.0, new String[] {"a", e.itemId() == null ? "b" : e.itemId()}, 2,
                        6.0, true)).dense())).as("intent features").isTrue();
        PaymentHistory h = FEATURES.newPaymentHistory();
        h.add(e.timestampMs() - 60_000, 1_000_000.0, e.merchantId(), e.deviceId(), e.cardFingerprint(), e.country());
        var fraud = FEATURES.fraud(h, e);
        assertThat(allFinite(fraud.current())).as("fraud current features").isTrue();
        assertThat(allFinite(fraud.history())).as("fraud history features").isTrue();
        assertThat(FEATURES.fraudReasons(h, e)).isNotNull();
        Statistics.collect(e.type().isMonetary() ? "monetary" : "other");
    }

    private static boolean allFinite(float[] values) {
        for (float v : values) {
            if (!Float.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    private static final SessionFeatures FEATURES = readFeatures();

    private static SessionFeatures readFeatures() {
        try {
            return new SessionFeatures(Files.readString(Path.of("onnx-models/feature_spec.json")));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Provide
    Arbitrary<byte[]> hostile() {
        return EventArbitraries.hostileRecords();
    }

    @Provide
    Arbitrary<byte[]> mutations() {
        return JsonArbitraries.mutated(EventArbitraries.validRecords());
    }

    @Provide
    Arbitrary<byte[]> valid() {
        return EventArbitraries.validRecords();
    }

    @Provide
    Arbitrary<byte[]> hostileOrValid() {
        return net.jqwik.api.Arbitraries.oneOf(EventArbitraries.validRecords(), EventArbitraries.hostileRecords());
    }

    @Provide
    Arbitrary<EventArbitraries.Violation> violations() {
        return EventArbitraries.violations();
    }
}
