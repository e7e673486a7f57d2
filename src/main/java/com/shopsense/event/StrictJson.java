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
