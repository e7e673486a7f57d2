package com.shopsense.event;

import static com.shopsense.event.JsonArbitraries.F;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Property-based fuzzing of {@link LabelParser}, as {@link EventParserFuzzTest} does for events: a valid label,
 * accepted only when {@link ContractOracle} finds it legal, or {@link InvalidEventException} with a code of
 * {@link ReasonCodes#LABEL_PARSER}; never anything else.
 */
class LabelParserFuzzTest {
    private static final EventLimits LIMITS = EventLimits.defaults();
    private static final List<String> FIELDS = List.of("labelId", "eventId", "alertId", "userId", "merchantId", "label",
            "source", "decidedAt");
    private final LabelParser parser = new LabelParser(LIMITS, () -> JsonArbitraries.NOW);

    private String outcome(byte[] raw) {
        FraudLabel l;
        try {
            l = parser.parse(raw, "labels", 0, 7);
        } catch (InvalidEventException x) {
            assertThat(ReasonCodes.LABEL_PARSER).as("known reason code").contains(x.code());
            assertThat(x.getMessage()).startsWith(x.code() + ": ").matches("[\\x20-\\x7E]{1,400}");
            return x.code();
        }
        assertThat(ContractOracle.labelViolations(raw, l, LIMITS, JsonArbitraries.NOW)).isEmpty();
        assertThat(l.raw()).isSameAs(raw);
        return "accepted";
    }

    @Property
    void hostileLabelsAreRejectedWithAKnownCodeOrAcceptedOnlyWhenLegal(@ForAll("hostile") byte[] raw) {
        Statistics.collect(outcome(raw));
        Statistics.coverage(c -> {
            c.check("accepted").percentage(p -> p > 2);
            // Codes reached in >= ~1 % of tries; invalid_unicode (~0.3 %, 0 for some seeds) is left out here: the
            // label parser reads ids with the event parser's text rules, which EventParserFuzzTest covers for sure.
            for (String code : new String[] {"malformed_json", "duplicate_key", "invalid_type", "invalid_value",
                    "ts_out_of_range", "invalid_ts", "control_char", "missing_field"}) {
                c.check(code).count(n -> n > 0);
            }
        });
    }

    @Property
    void byteMutationsOfValidLabelsNeverEscapeTheParser(@ForAll("mutations") byte[] raw) {
        Statistics.collect(outcome(raw));
    }

    @Property
    void validLabelsAreAccepted(@ForAll("valid") byte[] raw) {
        assertThat(outcome(raw)).isEqualTo("accepted");
    }

    static Arbitrary<ObjectNode> validLabels() {
        Arbitrary<String> id = EventArbitraries.validIds();
        return Combinators.combine(id, id, id, Arbitraries.of("fraud", "legit"), Arbitraries.of("case", "chargeback"),
                EventArbitraries.validTs(), Arbitraries.integers().between(0, 3)).as((labelId, eventId, other, label,
                        source, ts, optional) -> {
                    ObjectNode n = F.objectNode().put("labelId", labelId).put("eventId", eventId).put("label", label)
                            .put("source", source);
                    n.set("decidedAt", ts);
                    if ((optional & 1) != 0) {
                        n.put("alertId", "a-" + other).put("userId", "u-" + other);
                    }
                    if ((optional & 2) != 0) {
                        n.put("merchantId", "m-" + other);
                    }
                    return n;
                });
    }

    @Provide
    Arbitrary<byte[]> valid() {
        return validLabels().map(EventArbitraries::bytes);
    }

    @Provide
    Arbitrary<byte[]> mutations() {
        return JsonArbitraries.mutated(valid());
    }

    @Provide
    Arbitrary<byte[]> hostile() {
        Arbitrary<String> field = Arbitraries.oneOf(Arbitraries.of(FIELDS), Arbitraries.of("extra", "decidedat"));
        Arbitrary<EventArbitraries.Edit> edit = Arbitraries.oneOf(
                Combinators.combine(field, JsonArbitraries.anyValue()).as(EventArbitraries.Edit::set),
                Combinators.combine(field, JsonArbitraries.timestamps()).as(EventArbitraries.Edit::set),
                field.map(EventArbitraries.Edit::remove),
                Combinators.combine(field, JsonArbitraries.anyValue()).as(EventArbitraries.Edit::duplicate));
        Arbitrary<byte[]> edited = Combinators.combine(validLabels(), edit.list().ofMinSize(1).ofMaxSize(3))
                .as((n, edits) -> {
                    String json = n.toString();
                    for (EventArbitraries.Edit e : edits) {
                        json = e.apply(json);
                    }
                    return EventArbitraries.wire(json);
                });
        Arbitrary<byte[]> structural = Combinators.combine(valid(), Arbitraries.integers().between(0, 3))
                .as((raw, kind) -> {
                    String s = new String(raw, java.nio.charset.StandardCharsets.UTF_8);
                    return JsonArbitraries.utf8(switch (kind) {
                        case 0 -> s.substring(0, s.length() / 2); // truncated
                        case 1 -> s + s; // two values
                        case 2 -> s.substring(0, s.length() - 1) + ",\"x\":" + "[".repeat(40) + "]".repeat(40) + "}";
                        default -> s.replace(":", "=");
                    });
                });
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(8, edited), net.jqwik.api.Tuple.of(1, structural),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(null, new byte[0], JsonArbitraries.utf8("[1]"))));
    }
}
