package com.shopsense.sink;

/**
 * Appends JSON strings (RFC 8259 escaping) to a StringBuilder: for the one document written per
 * recommendation, where a Jackson generator per record (buffers, a StringWriter) cost more than the
 * text itself in the job's profile.
 */
final class JsonText {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private JsonText() {
    }

    /** Appends {@code "s"}, escaped; {@code null} for null. */
    static StringBuilder string(StringBuilder b, String s) {
        if (s == null) {
            return b.append("null");
        }
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
                    } else {
                        b.append(c); // other characters, surrogate pairs included, are valid as they are
                    }
                }
            }
        }
        return b.append('"');
    }
}
