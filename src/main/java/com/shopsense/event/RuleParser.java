package com.shopsense.event;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * Parses and validates one fraud rule document (docs/fraud.md "Fraud rules", schema
 * {@code schema/fraud-rule-v1.schema.json}). Everything is checked here, before a rule can reach the scoring
 * tasks: the envelope (as for events), every field, unknown fields (refused: a misspelt {@code enabled} must not
 * silently mean something else), and the condition tree's depth, size and constants. Violations raise
 * {@link InvalidEventException} with a code from {@link #CODES}; details never echo the document's text.
 */
public final class RuleParser {
    public static final int MAX_DEPTH = 8;
    public static final int MAX_NODES = 64;
    public static final int MAX_CHILDREN = 16;
    public static final double MAX_MAGNITUDE = 1e9;
    public static final int MAX_BYTES = 16 * 1024;
    public static final int MAX_REASON = 200;
    public static final String UNKNOWN_FIELD = "unknown_field";
    /** Reason codes of refused rules: the envelope's and the field rules' codes, plus {@link #UNKNOWN_FIELD}. */
    public static final List<String> CODES = List.of(ReasonCodes.TOMBSTONE, ReasonCodes.EMPTY_PAYLOAD,
            ReasonCodes.PAYLOAD_TOO_LARGE, ReasonCodes.MALFORMED_JSON, ReasonCodes.DUPLICATE_KEY,
            ReasonCodes.NOT_AN_OBJECT, ReasonCodes.MISSING_FIELD, ReasonCodes.INVALID_TYPE, ReasonCodes.INVALID_VALUE,
            ReasonCodes.INVALID_TS, ReasonCodes.TS_OUT_OF_RANGE, ReasonCodes.FIELD_TOO_LARGE, ReasonCodes.OUT_OF_RANGE,
            ReasonCodes.INVALID_UNICODE, ReasonCodes.CONTROL_CHAR, UNKNOWN_FIELD);

    static final Set<String> FIELDS = Set.of("schemaVersion", "ruleId", "version", "enabled", "effectiveFrom",
            "condition", "action", "boost", "reason");
    private static final Set<String> COMPARE_FIELDS = Set.of("feature", "op", "value");
    private static final Pattern RULE_ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

    private final StrictJson json;
    private final EventLimits limits;
    private final LongSupplier clockMs;

    public RuleParser(EventLimits limits, LongSupplier clockMs) {
        this.limits = limits;
        this.clockMs = clockMs;
        this.json = new StrictJson(Math.min(MAX_BYTES, limits.maxPayloadBytes()), FIELDS);
    }

    public FraudRule parse(byte[] raw) throws InvalidEventException {
        JsonNode n = json.readObject(raw);
        onlyKnownFields(n, FIELDS, "rule");
        JsonNode schema = n.get("schemaVersion");
        if (schema != null && !(schema.isIntegralNumber() && schema.asInt() == 1 && schema.canConvertToInt())) {
            throw new InvalidEventException(ReasonCodes.INVALID_VALUE, "schemaVersion must be 1");
        }
        String ruleId = Fields.requiredId(n, "ruleId", 64);
        if (!RULE_ID.matcher(ruleId).matches()) {
            throw new InvalidEventException(ReasonCodes.INVALID_VALUE,
                    "ruleId must be 1-64 of [a-z0-9_-], starting with a letter or digit");
        }
        int version = version(n);
        boolean enabled = bool(n, "enabled");
        long effectiveFrom = Timestamps.read(n, "effectiveFrom", limits, clockMs.getAsLong());
        FraudRule.Action action = action(n);
        double boost = boost(n, action);
        String reason = Fields.optionalFreeText(n, "reason", MAX_REASON);
        if (reason == null || reason.isBlank()) {
            throw new InvalidEventException(ReasonCodes.MISSING_FIELD, "reason");
        }
        JsonNode c = n.get("condition");
        if (c == null || c.isNull()) {
            throw new InvalidEventException(ReasonCodes.MISSING_FIELD, "condition");
        }
        int[] nodes = {0};
        RuleCondition condition = condition(c, 1, nodes);
        return new FraudRule(ruleId, version, enabled, effectiveFrom, condition, action, boost, reason, raw);
    }

    private static int version(JsonNode n) throws InvalidEventException {
        JsonNode v = n.get("version");
        if (v == null || v.isNull()) {
            throw new InvalidEventException(ReasonCodes.MISSING_FIELD, "version");
        }
        if (!v.isIntegralNumber()) {
            throw new InvalidEventException(ReasonCodes.INVALID_TYPE, "version must be an integer");
        }
        if (!v.canConvertToInt() || v.intValue() < 1) {
            throw new InvalidEventException(ReasonCodes.OUT_OF_RANGE, "version must be in [1, 2^31-1]");
        }
        return v.intValue();
    }

    private static boolean bool(JsonNode n, String field) throws InvalidEventException {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            throw new InvalidEventException(ReasonCodes.MISSING_FIELD, field);
        }
        if (!v.isBoolean()) {
            throw new InvalidEventException(ReasonCodes.INVALID_TYPE, field + " must be true or false");
        }
        return v.booleanValue();
    }

    private static FraudRule.Action action(JsonNode n) throws InvalidEventException {
        String a = Fields.requiredId(n, "action", 16);
        FraudRule.Action action = FraudRule.Action.byWireName(a);
        if (action == null) {
            throw new InvalidEventException(ReasonCodes.INVALID_VALUE, "action must be alert, score_boost or allow");
        }
        return action;
    }

    private static double boost(JsonNode n, FraudRule.Action action) throws InvalidEventException {
        JsonNode v = n.get("boost");
        if (action != FraudRule.Action.SCORE_BOOST) {
            if (v != null) {
                throw new InvalidEventException(ReasonCodes.INVALID_VALUE, "boost is only for action score_boost");
            }
            return 0.0;
        }
        if (v == null || v.isNull()) {
            throw new InvalidEventException(ReasonCodes.MISSING_FIELD, "boost");
        }
        double b = number(v, "boost");
        if (!(b > 0.0 && b <= 1.0)) {
            throw new InvalidEventException(ReasonCodes.OUT_OF_RANGE, "boost must be in (0, 1]");
        }
        return b;
    }

    private static RuleCondition condition(JsonNode c, int depth, int[] nodes) throws InvalidEventException {
        if (depth > MAX_DEPTH) {
            throw new InvalidEventException(ReasonCodes.OUT_OF_RANGE, "condition nested deeper than " + MAX_DEPTH);
        }
        if (++nodes[0] > MAX_NODES) {
            throw new InvalidEventException(ReasonCodes.OUT_OF_RANGE, "condition has more than " + MAX_NODES + " nodes");
        }
        if (!c.isObject()) {
            throw new InvalidEventException(ReasonCodes.INVALID_TYPE, "a condition must be an object");
        }
        if (c.has("feature")) {
            onlyKnownFields(c, COMPARE_FIELDS, "comparison");
            return compare(c);
        }
        if (c.size() != 1) {
            throw new InvalidEventException(ReasonCodes.INVALID_VALUE,
                    "a condition is one of {all: [...]}, {any: [...]}, {not: {...}} or {feature, op, value}");
        }
        String op = c.fieldNames().next();
        JsonNode arg = c.get(op);
        switch (op) {
            case "all", "any" -> {
                if (!arg.isArray() || arg.isEmpty()) {
                    throw new InvalidEventException(ReasonCodes.INVALID_TYPE, op + " must be a non-empty array");
                }
                if (arg.size() > MAX_CHILDREN) {
                    throw new InvalidEventException(ReasonCodes.OUT_OF_RANGE, op + " has more than " + MAX_CHILDREN
                            + " conditions");
                }
                List<RuleCondition> children = new ArrayList<>(arg.size());
                for (JsonNode child : arg) {
                    children.add(condition(child, depth + 1, nodes));
                }
                RuleCondition[] a = children.toArray(new RuleCondition[0]);
                return op.equals("all") ? new RuleCondition.All(a) : new RuleCondition.Any(a);
            }
            case "not" -> {
                return new RuleCondition.Not(condition(arg, depth + 1, nodes));
            }
            default -> throw new InvalidEventException(UNKNOWN_FIELD, "unknown condition operator (not all, any, not)");
        }
    }

    private static RuleCondition compare(JsonNode c) throws InvalidEventException {
        JsonNode f = c.get("feature");
        if (!f.isTextual()) {
            throw new InvalidEventException(ReasonCodes.INVALID_TYPE, "feature must be a string");
        }
        RuleFeature feature = RuleFeature.byWireName(f.textValue());
        if (feature == null) {
            throw new InvalidEventException(ReasonCodes.INVALID_VALUE, "unknown feature (see docs/fraud.md)");
        }
        JsonNode o = c.get("op");
        if (o == null || !o.isTextual()) {
            throw new InvalidEventException(o == null ? ReasonCodes.MISSING_FIELD : ReasonCodes.INVALID_TYPE, "op");
        }
        RuleCondition.Op op = RuleCondition.Op.bySymbol(o.textValue());
        if (op == null) {
            throw new InvalidEventException(ReasonCodes.INVALID_VALUE, "op must be one of > >= < <= == !=");
        }
        JsonNode v = c.get("value");
        if (v == null || v.isNull()) {
            throw new InvalidEventException(ReasonCodes.MISSING_FIELD, "value");
        }
        return new RuleCondition.Compare(feature, op, number(v, "value"));
    }

    private static double number(JsonNode v, String field) throws InvalidEventException {
        if (!v.isNumber()) {
            throw new InvalidEventException(ReasonCodes.INVALID_TYPE, field + " must be a number");
        }
        double d = v.doubleValue(); // a huge integer or exponent reads as Infinity
        if (!Double.isFinite(d) || Math.abs(d) > MAX_MAGNITUDE) {
            throw new InvalidEventException(ReasonCodes.OUT_OF_RANGE, field + " must be a number within +-1e9");
        }
        return d + 0.0;
    }

    private static void onlyKnownFields(JsonNode n, Set<String> known, String what) throws InvalidEventException {
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            if (!known.contains(it.next())) {
                throw new InvalidEventException(UNKNOWN_FIELD, what + " has a field the contract does not define");
            }
        }
    }
}
