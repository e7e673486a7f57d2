package com.shopsense.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The fraud rule contract (docs/fraud.md "Fraud rules"): what a valid document means, and that every malformed or
 * hostile one is refused with a reason code before it could reach the rule state.
 */
class RuleParserTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long T = 1_530_403_200_000L; // 2018-07-01
    private final RuleParser parser = new RuleParser(EventLimits.defaults(), System::currentTimeMillis);

    private static String valid() {
        return RuleDocs.json("big-new-device", 3, true, T, "{\"all\":[" + RuleDocs.compare("amountOverMedian", ">=", 5)
                + "," + RuleDocs.compare("newDevice", "==", 1) + "]}", "alert");
    }

    private FraudRule parse(String doc) throws InvalidEventException {
        return parser.parse(doc.getBytes(StandardCharsets.UTF_8));
    }

    private String codeOf(String doc) {
        try {
            parse(doc);
            throw new AssertionError("accepted: " + doc);
        } catch (InvalidEventException e) {
            assertThat(RuleParser.CODES).contains(e.code());
            return e.code();
        }
    }

    private static String withField(String doc, String field, String rawJsonValue) throws Exception {
        ObjectNode n = (ObjectNode) JSON.readTree(doc);
        n.set(field, JSON.readTree(rawJsonValue));
        return n.toString();
    }

    @Test
    void aValidDocumentIsOneRuleVersion() throws Exception {
        FraudRule r = parse(valid());
        assertThat(r.key()).isEqualTo("big-new-device@3");
        assertThat(r.enabled()).isTrue();
        assertThat(r.effectiveFrom()).isEqualTo(T);
        assertThat(r.action()).isEqualTo(FraudRule.Action.ALERT);
        double[] facts = new double[RuleFeature.count()];
        facts[RuleFeature.AMOUNT_OVER_MEDIAN.ordinal()] = 6;
        facts[RuleFeature.NEW_DEVICE.ordinal()] = 1;
        assertThat(r.condition().test(facts)).isTrue();
        facts[RuleFeature.NEW_DEVICE.ordinal()] = 0;
        assertThat(r.condition().test(facts)).isFalse();
    }

    @Test
    void isoEffectiveTimesAndBoostsAreRead() throws Exception {
        String doc = withField(withField(withField(valid(), "effectiveFrom", "\"2018-07-01T00:00:00Z\""),
                "action", "\"score_boost\""), "boost", "0.25");
        FraudRule r = parse(doc);
        assertThat(r.effectiveFrom()).isEqualTo(T);
        assertThat(r.boost()).isEqualTo(0.25);
        assertThat(codeOf(withField(valid(), "boost", "0.25"))).isEqualTo("invalid_value"); // only for score_boost
        assertThat(codeOf(withField(withField(valid(), "action", "\"score_boost\""), "boost", "1.5")))
                .isEqualTo("out_of_range");
        assertThat(codeOf(withField(valid(), "action", "\"score_boost\""))).isEqualTo("missing_field");
    }

    @Test
    void schemaAndParserAgreeOnFieldsFeaturesOperatorsAndActions() throws Exception {
        JsonNode schema = JSON.readTree(Path.of("src/main/resources/schema/fraud-rule-v1.schema.json").toFile());
        List<String> props = new ArrayList<>();
        schema.get("properties").fieldNames().forEachRemaining(props::add);
        assertThat(props).containsExactlyInAnyOrderElementsOf(RuleParser.FIELDS);
        JsonNode cmp = schema.get("$defs").get("comparison").get("properties");
        List<String> features = new ArrayList<>();
        cmp.get("feature").get("enum").forEach(n -> features.add(n.asText()));
        assertThat(features).containsExactlyInAnyOrderElementsOf(
                Arrays.stream(RuleFeature.values()).map(RuleFeature::wireName).toList());
        List<String> ops = new ArrayList<>();
        cmp.get("op").get("enum").forEach(n -> ops.add(n.asText()));
        assertThat(ops).containsExactlyInAnyOrderElementsOf(
                Arrays.stream(RuleCondition.Op.values()).map(RuleCondition.Op::symbol).toList());
        List<String> actions = new ArrayList<>();
        schema.get("properties").get("action").get("enum").forEach(n -> actions.add(n.asText()));
        assertThat(actions).containsExactlyInAnyOrderElementsOf(
                Arrays.stream(FraudRule.Action.values()).map(FraudRule.Action::wireName).toList());
        for (JsonNode req : schema.get("required")) {
            ObjectNode n = (ObjectNode) JSON.readTree(valid());
            n.remove(req.asText());
            assertThat(codeOf(n.toString())).as("without %s", req.asText()).isEqualTo("missing_field");
        }
    }

    @Test
    void unknownFieldsAreRefusedAtEveryLevel() throws Exception {
        assertThat(codeOf(withField(valid(), "enabeld", "true"))).isEqualTo("unknown_field");
        assertThat(codeOf(withField(valid(), "condition",
                "{\"feature\":\"amount\",\"op\":\">\",\"value\":1,\"script\":\"rm -rf /\"}"))).isEqualTo("unknown_field");
        assertThat(codeOf(withField(valid(), "condition", "{\"xor\":[]}"))).isEqualTo("unknown_field");
        assertThat(codeOf(withField(valid(), "condition", "{\"all\":[],\"any\":[]}"))).isEqualTo("invalid_value");
        assertThat(codeOf(withField(valid(), "condition", RuleDocs.compare("getClass", ">", 0))))
                .isEqualTo("invalid_value");
        assertThat(codeOf(withField(valid(), "condition", "{\"feature\":\"amount\",\"op\":\"=~\",\"value\":1}")))
                .isEqualTo("invalid_value");
    }

    @Test
    void deepNestingIsRefusedWithoutRecursingFar() throws Exception {
        String leaf = RuleDocs.compare("amount", ">", 1);
        String ok = leaf;
        for (int i = 1; i < RuleParser.MAX_DEPTH; i++) {
            ok = "{\"not\":" + ok + "}";
        }
        assertThat(parse(withField(valid(), "condition", ok)).condition()).isNotNull();
        assertThat(codeOf(withField(valid(), "condition", "{\"not\":" + ok + "}"))).isEqualTo("out_of_range");
        // Far deeper than any stack: the JSON reader refuses it before a tree exists.
        String deep = "{\"not\":".repeat(100_000) + leaf + "}".repeat(100_000);
        assertThat(codeOf(valid().replace("\"condition\":{\"all\"", "\"condition\":" + deep + ",\"x\":{\"all\"")))
                .isIn("malformed_json", "payload_too_large");
        String deepButSmall = "{\"not\":".repeat(30) + leaf + "}".repeat(30);
        assertThat(codeOf(withField(valid(), "condition", deepButSmall))).isEqualTo("out_of_range");
    }

    @Test
    void wideAndLargeTreesAreRefused() throws Exception {
        String leaf = RuleDocs.compare("count1h", ">=", 3);
        assertThat(codeOf(withField(valid(), "condition", "{\"any\":[" + String.join(",", java.util.Collections.nCopies(
                RuleParser.MAX_CHILDREN + 1, leaf)) + "]}"))).isEqualTo("out_of_range");
        String sixteen = "{\"any\":[" + String.join(",", java.util.Collections.nCopies(16, leaf)) + "]}";
        String many = "{\"all\":[" + String.join(",", java.util.Collections.nCopies(5, sixteen)) + "]}"; // 86 nodes
        assertThat(codeOf(withField(valid(), "condition", many))).isEqualTo("out_of_range");
        assertThat(codeOf(withField(valid(), "condition", "{\"all\":[]}"))).isEqualTo("invalid_type");
        assertThat(codeOf(withField(valid(), "condition", "[]"))).isEqualTo("invalid_type");
        assertThat(codeOf(valid().replace("test rule big-new-device", "x".repeat(20_000)))).isEqualTo("payload_too_large");
    }

    @Test
    void hugeAndNonNumericNumbersAreRefused() throws Exception {
        for (String v : List.of("1e400", "-1e400", "1e10", "9".repeat(500), "\"5\"", "true")) {
            String code = codeOf(withField(valid(), "condition", "{\"feature\":\"amount\",\"op\":\">\",\"value\":" + v + "}"));
            assertThat(code).as(v).isIn("out_of_range", "invalid_type");
        }
        assertThat(codeOf(valid().replace("\"value\":5.0", "\"value\":NaN"))).isEqualTo("malformed_json");
        assertThat(codeOf(withField(valid(), "version", "2147483648"))).isEqualTo("out_of_range");
        assertThat(codeOf(withField(valid(), "version", "0"))).isEqualTo("out_of_range");
        assertThat(codeOf(withField(valid(), "version", "1.5"))).isEqualTo("invalid_type");
        assertThat(codeOf(withField(valid(), "effectiveFrom", "1e30"))).isIn("invalid_type", "out_of_range");
        assertThat(parse(withField(valid(), "condition", "{\"feature\":\"amount\",\"op\":\">\",\"value\":-1e9}"))
                .condition()).isNotNull();
    }

    @Test
    void envelopeAndFieldRulesAreTheEventContracts() throws Exception {
        assertThat(codeOf("")).isEqualTo("empty_payload");
        assertThat(codeOf("[1]")).isEqualTo("not_an_object");
        assertThat(codeOf(valid().replace("{\"schemaVersion\":1,", "{\"schemaVersion\":1,\"version\":9,")))
                .isEqualTo("duplicate_key");
        assertThat(codeOf(withField(valid(), "ruleId", "\"Big Rule\""))).isEqualTo("invalid_value");
        assertThat(codeOf(withField(valid(), "enabled", "\"yes\""))).isEqualTo("invalid_type");
        assertThat(codeOf(withField(valid(), "action", "\"block\""))).isEqualTo("invalid_value");
        assertThat(codeOf(withField(valid(), "schemaVersion", "2"))).isEqualTo("invalid_value");
        assertThat(codeOf(withField(valid(), "reason", "\"  \""))).isEqualTo("missing_field");
    }

    @Test
    void comparisonsFollowTheirOperatorAndAreFalseOnAMissingFeature() throws Exception {
        double[] values = {-1, 0, 2.5, 3, 4};
        for (RuleCondition.Op op : RuleCondition.Op.values()) {
            FraudRule r = parse(withField(valid(), "condition", RuleDocs.compare("count24h", op.symbol(), 3)));
            for (double v : values) {
                double[] facts = new double[RuleFeature.count()];
                facts[RuleFeature.COUNT_24H.ordinal()] = v;
                boolean expected = switch (op.symbol()) {
                    case ">" -> v > 3;
                    case ">=" -> v >= 3;
                    case "<" -> v < 3;
                    case "<=" -> v <= 3;
                    case "==" -> v == 3;
                    default -> v != 3;
                };
                assertThat(r.condition().test(facts)).as("%s %s 3", v, op.symbol()).isEqualTo(expected);
            }
            double[] missing = new double[RuleFeature.count()];
            missing[RuleFeature.COUNT_24H.ordinal()] = Double.NaN;
            assertThat(r.condition().test(missing)).as("NaN %s 3", op.symbol()).isFalse();
        }
        FraudRule any = parse(withField(valid(), "condition", "{\"any\":[{\"not\":" + RuleDocs.compare("amount", "<", 100)
                + "}," + RuleDocs.compare("newCard", "==", 1) + "]}"));
        for (double amount : new double[] {50, 150}) {
            for (double card : new double[] {0, 1}) {
                double[] f = new double[RuleFeature.count()];
                f[RuleFeature.AMOUNT.ordinal()] = amount;
                f[RuleFeature.NEW_CARD.ordinal()] = card;
                assertThat(any.condition().test(f)).isEqualTo(!(amount < 100) || card == 1);
            }
        }
    }
}
