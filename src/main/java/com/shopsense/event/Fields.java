package com.shopsense.event;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads one field of a parsed JSON object by the contract's rules (docs/event-contract.md), raising the
 * field's reason code. Details name the field and the rule, never the value of a free-text field.
 */
final class Fields {
    private Fields() {
    }

    static String requiredId(JsonNode n, String field, int maxLen) throws InvalidEventException {
        String s = optionalId(n, field, maxLen);
        if (s == null || s.isBlank()) {
            throw new InvalidEventException(ReasonCodes.MISSING_FIELD, field);
        }
        return s;
    }

    /** An id or code: no control, format or line-separator characters, no lone surrogates. */
    static String optionalId(JsonNode n, String field, int maxLen) throws InvalidEventException {
        String s = text(n, field, maxLen);
        if (s != null) {
            TextRules.checkId(field, s);
        }
        return s;
    }

    /** Free text (search query, review): tabs and newlines allowed. */
    static String optionalFreeText(JsonNode n, String field, int maxLen) throws InvalidEventException {
        String s = text(n, field, maxLen);
        if (s != null) {
            TextRules.checkFreeText(field, s);
        }
        return s;
    }

    /** Text or an integer (numeric ids are common in shop exports, and were always accepted). */
    private static String text(JsonNode n, String field, int maxLen) throws InvalidEventException {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        String s;
        if (v.isTextual()) {
            s = v.textValue();
        } else if (v.isIntegralNumber()) {
            s = v.asText();
        } else {
            throw new InvalidEventException(ReasonCodes.INVALID_TYPE, field + " must be a string");
        }
        if (s.length() > maxLen) {
            throw new InvalidEventException(ReasonCodes.FIELD_TOO_LARGE, field + " has " + s.length() + " chars > " + maxLen);
        }
        return s;
    }

    /** Money: a finite JSON number in [0, max]; -0 is read as 0 so no negative sign travels on. */
    static Double optionalMoney(JsonNode n, String field, double max) throws InvalidEventException {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isNumber()) {
            throw new InvalidEventException(ReasonCodes.INVALID_TYPE, field + " must be a number");
        }
        double d = v.doubleValue(); // a huge integer or exponent reads as Infinity, a tiny one as 0
        if (!Double.isFinite(d) || d < 0) {
            throw new InvalidEventException(ReasonCodes.OUT_OF_RANGE, field + " must be a finite number >= 0");
        }
        if (d > max) {
            throw new InvalidEventException(ReasonCodes.OUT_OF_RANGE, field + " " + d + " > " + max);
        }
        return d + 0.0; // -0.0 + 0.0 == +0.0
    }

    static Integer optionalInt(JsonNode n, String field, int min, int max) throws InvalidEventException {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber()) {
            throw new InvalidEventException(ReasonCodes.INVALID_TYPE, field + " must be an integer");
        }
        if (!v.canConvertToInt() || v.intValue() < min || v.intValue() > max) {
            throw new InvalidEventException(ReasonCodes.OUT_OF_RANGE, field + " not in [" + min + ", " + max + "]");
        }
        return v.intValue();
    }
}
