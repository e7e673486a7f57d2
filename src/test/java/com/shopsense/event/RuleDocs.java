package com.shopsense.event;

import java.nio.charset.StandardCharsets;

/** Rule documents for tests, written as the risk console writes them. */
public final class RuleDocs {
    private RuleDocs() {
    }

    public static String json(String id, int version, boolean enabled, long effectiveFrom, String condition,
            String action) {
        String boost = action.equals("score_boost") ? ",\"boost\":0.3" : "";
        return "{\"schemaVersion\":1,\"ruleId\":\"" + id + "\",\"version\":" + version + ",\"enabled\":" + enabled
                + ",\"effectiveFrom\":" + effectiveFrom + ",\"condition\":" + condition + ",\"action\":\"" + action
                + "\"" + boost + ",\"reason\":\"test rule " + id + "\"}";
    }

    public static byte[] bytes(String id, int version, boolean enabled, long effectiveFrom, String condition,
            String action) {
        return json(id, version, enabled, effectiveFrom, condition, action).getBytes(StandardCharsets.UTF_8);
    }

    public static String compare(String feature, String op, double value) {
        return "{\"feature\":\"" + feature + "\",\"op\":\"" + op + "\",\"value\":" + value + "}";
    }

    public static FraudRule parse(byte[] doc) {
        try {
            return new RuleParser(EventLimits.defaults(), System::currentTimeMillis).parse(doc);
        } catch (InvalidEventException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }
}
