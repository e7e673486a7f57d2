package com.shopsense.event;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;

/**
 * The envelope checks events and labels share: a value is present, not too large, one JSON object, strict
 * JSON (no NaN, no trailing tokens, no key twice at any depth: with "last wins" a second {@code ts} or
 * {@code userId} could override what a filter upstream saw), bounded nesting. Failures are
 * {@link InvalidEventException}s whose detail never echoes input text.
 */
final class StrictJson {
    static final int MAX_NESTING = 32;
    /** Jackson's own default: longer numbers are refused while reading. */
    static final int MAX_NUMBER_DIGITS = 1000;

    private static final java.util.regex.Pattern QUOTED = java.util.regex.Pattern.compile("['\"]([^'\"]*)['\"]");

    private final ObjectMapper mapper;
    private final int maxPayloadBytes;
    private final java.util.Set<String> contractFields;

    /** @param contractFields names a duplicate_key detail may repeat (any other key is someone's data) */
    StrictJson(int maxPayloadBytes, java.util.Set<String> contractFields) {
        this.maxPayloadBytes = maxPayloadBytes;
        this.contractFields = contractFields;
        this.mapper = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .disable(JsonParser.Feature.ALLOW_NON_NUMERIC_NUMBERS)
                .build();
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(MAX_NESTING)
                .maxStringLength(maxPayloadBytes)
                .maxNumberLength(MAX_NUMBER_DIGITS)
                .build());
    }

    /** The record's value as a JSON object. */
    JsonNode readObject(byte[] raw) throws InvalidEventException {
        if (raw == null) {
            throw new InvalidEventException(ReasonCodes.TOMBSTONE, "record value is null (a tombstone)");
        }
        if (raw.length == 0) {
            throw new InvalidEventException(ReasonCodes.EMPTY_PAYLOAD, "record value has zero bytes");
        }
        if (raw.length > maxPayloadBytes) {
            throw new InvalidEventException(ReasonCodes.PAYLOAD_TOO_LARGE, raw.length + " bytes > " + maxPayloadBytes);
        }
        int badByte = invalidUtf8At(raw);
        if (badByte >= 0) {
            // Jackson checks UTF-8 only where it decodes (string values), not in every field name it looks up in
            // its symbol table: an unknown key with a 0xFF byte was accepted (EventParserFuzzTest found it).
            throw new InvalidEventException(ReasonCodes.MALFORMED_JSON, "invalid UTF-8 at byte " + badByte);
        }
        JsonNode root;
        try {
            root = mapper.readTree(raw);
        } catch (JsonProcessingException e) {
            String message = e.getOriginalMessage();
            if (message != null && message.startsWith("Duplicate")) {
                throw new InvalidEventException(ReasonCodes.DUPLICATE_KEY, duplicate(message, e));
            }
            throw new InvalidEventException(ReasonCodes.MALFORMED_JSON, describe(e));
        } catch (IOException e) {
            throw new InvalidEventException(ReasonCodes.MALFORMED_JSON, SafeText.of(e.getClass().getSimpleName(), 80));
        }
        if (root == null || !root.isObject()) {
            throw new InvalidEventException(ReasonCodes.NOT_AN_OBJECT, "top-level JSON value must be an object");
        }
        return root;
    }

    /**
     * The offset of the first byte that is not UTF-8 (RFC 3629), or -1: a lead byte 0x80-0xBF, 0xC0, 0xC1 or
     * 0xF5-0xFF, a lead byte without its continuation bytes, an overlong form (0xE0 0x80-0x9F, 0xF0 0x80-0x8F) or a
     * code point beyond U+10FFFF (0xF4 0x90-0xBF). Jackson decodes overlong forms without complaint ({@code C1 81}
     * read as {@code A}), so a text that is not what the producer's bytes say could reach the review model and the
     * ids (ReviewContractFuzzTest found it). Encoded surrogates (0xED 0xA0-0xBF, CESU-8) pass here and meet the
     * text rules ({@code invalid_unicode}) as before.
     */
    static int invalidUtf8At(byte[] raw) {
        int i = 0;
        while (i < raw.length) {
            int b = raw[i] & 0xFF;
            if (b < 0x80) {
                i++;
                continue;
            }
            int more = b >= 0xC2 && b <= 0xDF ? 1 : b >= 0xE0 && b <= 0xEF ? 2 : b >= 0xF0 && b <= 0xF4 ? 3 : -1;
            if (more < 0) {
                return i;
            }
            for (int k = 1; k <= more; k++) {
                if (i + k >= raw.length || (raw[i + k] & 0xC0) != 0x80) {
                    return i;
                }
            }
            int second = raw[i + 1] & 0xFF;
            if ((b == 0xE0 && second < 0xA0) || (b == 0xF0 && second < 0x90) || (b == 0xF4 && second > 0x8F)) {
                return i;
            }
            i += more + 1;
        }
        return -1;
    }

    private String duplicate(String message, JsonProcessingException e) {
        java.util.regex.Matcher m = QUOTED.matcher(message);
        String name = m.find() && contractFields.contains(m.group(1)) ? m.group(1) : "...";
        JsonLocation at = e.getLocation();
        return "key '" + name + "' appears twice in one object" + (at == null ? "" : " (byte " + at.getByteOffset() + ")");
    }

    /** Jackson's message without quoted input (it quotes tokens and field names) and the byte offset. */
    private static String describe(JsonProcessingException e) {
        String m = firstLine(SafeText.withoutQuotes(e.getOriginalMessage()));
        JsonLocation at = e.getLocation();
        return SafeText.of(m, 160) + (at == null ? "" : " at byte " + at.getByteOffset());
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
