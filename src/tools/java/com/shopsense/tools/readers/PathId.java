package com.shopsense.tools.readers;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The id in a request path {@code /base/{id}}, taken from the raw (still percent-encoded) path and
 * decoded exactly once. Path rules, not form rules: {@code +} is a plus sign (URLDecoder would make it a
 * space), {@code %2F} is a '/' inside the id, and a raw '/' ends the id (so {@code /users/a/b} is no id).
 */
final class PathId {
    private PathId() {
    }

    /** The decoded id after {@code base}, or empty when there is none or it is not valid percent-encoded UTF-8. */
    static Optional<String> of(String rawPath, String base) {
        if (rawPath == null || !rawPath.startsWith(base)) {
            return Optional.empty();
        }
        String raw = rawPath.substring(base.length());
        if (raw.isEmpty() || raw.indexOf('/') >= 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(decode(raw));
        } catch (IllegalArgumentException bad) {
            return Optional.empty();
        }
    }

    /** Percent-decodes one path segment as UTF-8; a broken escape or invalid UTF-8 is an IllegalArgumentException. */
    static String decode(String segment) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(segment.length());
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c == '%') {
                if (i + 2 >= segment.length()) {
                    throw new IllegalArgumentException("truncated escape at " + i);
                }
                int hi = Character.digit(segment.charAt(i + 1), 16);
                int lo = Character.digit(segment.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw new IllegalArgumentException("bad escape at " + i);
                }
                bytes.write(hi << 4 | lo);
                i += 2;
            } else {
                // Not ASCII only when a client sent raw UTF-8: take its UTF-8 bytes as they are.
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                if (Character.isHighSurrogate(c) && i + 1 < segment.length()) {
                    b = segment.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                    i++;
                }
                bytes.writeBytes(b);
            }
        }
        try {
            // REPORT, not the default REPLACE: an id with invalid UTF-8 is a bad request, not a lookup of "\uFFFD".
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("not UTF-8", e);
        }
    }
}
