package com.shopsense.event;

/**
 * Text that goes into DLQ headers: printable ASCII only (everything else as {@code \\uXXXX}), cut short.
 * Headers are read by people and tools that may not expect control characters or odd encodings, and a
 * header must never carry a whole field value of a producer's choosing.
 */
public final class SafeText {
    private SafeText() {
    }

    /**
     * {@code s} escaped and cut to at most {@code max} characters of output (an escape counts its six), with "..."
     * appended when cut: a reason stays bounded even when every character of the value needs escaping.
     */
    public static String of(String s, int max) {
        if (s == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder(Math.min(s.length(), max) + 8);
        int i = 0;
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean plain = c >= 0x20 && c < 0x7F;
            if (b.length() + (plain ? 1 : 6) > max) {
                break;
            }
            if (plain) {
                b.append(c);
            } else {
                b.append(String.format("\\u%04X", (int) c));
            }
        }
        if (i < s.length()) {
            b.append("...");
        }
        return b.toString();
    }

    /** Quoted text (between ' or ") replaced by {@code '…'}: exception messages often echo the input. */
    public static String withoutQuotes(String s) {
        if (s == null) {
            return null;
        }
        StringBuilder b = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '\'' || c == '"') {
                int end = s.indexOf(c, i + 1);
                b.append(c).append("...").append(c); // an unclosed quote hides the rest
                i = end < 0 ? s.length() : end + 1;
            } else {
                b.append(c);
                i++;
            }
        }
        return b.toString();
    }
}
