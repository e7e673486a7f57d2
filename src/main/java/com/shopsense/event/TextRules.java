package com.shopsense.event;

/**
 * What characters a string field may hold (docs/event-contract.md, "Text rules"). Ids end up in Redis keys,
 * hashes and Kafka keys, so they must be exactly representable in UTF-8 (no lone surrogates: Java's encoder
 * would turn each into '?', and two ids would become one) and free of control and invisible format
 * characters (NUL, newlines, bidi overrides, zero-width spaces: they split log lines, confuse key tools and
 * make distinct ids look equal). Free text (query, review text) keeps tabs, newlines and format characters
 * (right-to-left marks and joiners are normal in text) but no other control characters, and must be valid
 * Unicode too.
 */
final class TextRules {
    private TextRules() {
    }

    /** Rejects a lone surrogate, a control character or an invisible format character in an id. */
    static void checkId(String field, String s) throws InvalidEventException {
        check(field, s, false);
    }

    /** Rejects a lone surrogate or a control character other than tab, LF and CR in free text. */
    static void checkFreeText(String field, String s) throws InvalidEventException {
        check(field, s, true);
    }

    private static void check(String field, String s, boolean freeText) throws InvalidEventException {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            int cp = c;
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    throw loneSurrogate(field, c, i);
                }
                cp = Character.toCodePoint(c, s.charAt(i + 1)); // a pair: one supplementary code point
            } else if (Character.isLowSurrogate(c)) {
                throw loneSurrogate(field, c, i);
            }
            if (forbidden(cp, freeText)) {
                // Position and code point only: the value itself may be free text or personal data.
                throw new InvalidEventException(ReasonCodes.CONTROL_CHAR,
                        field + " has " + codePoint(cp) + " at index " + i);
            }
            if (cp != c) {
                i++;
            }
        }
    }

    static boolean forbidden(int c, boolean freeText) {
        int type = Character.getType(c);
        if (type == Character.CONTROL) { // C0, DEL, C1
            return !freeText || (c != '\t' && c != '\n' && c != '\r');
        }
        if (freeText) {
            return false;
        }
        return type == Character.FORMAT || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR;
    }

    private static InvalidEventException loneSurrogate(String field, char c, int i) {
        return new InvalidEventException(ReasonCodes.INVALID_UNICODE,
                field + " has a lone surrogate " + codePoint(c) + " at index " + i);
    }

    private static String codePoint(int c) {
        return String.format("U+%04X", c);
    }
}
