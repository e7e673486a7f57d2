package com.shopsense.tools.replay;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Hand-written records that break the event contract, one per way of breaking it: mixed into
 * replays so the dead-letter path is exercised by every local run and integration test.
 */
public final class MalformedRecords {
    private MalformedRecords() {
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A record and the reason code the job must dead-letter it with (docs/event-contract.md). */
    public record Expected(byte[] bytes, String reason) {
    }

    /**
     * Review events that break the contract's text rules, each otherwise valid: a text one character over the
     * default {@code event.max-text-length} (4,096), an ESC control character in the text, and invalid UTF-8
     * bytes (a lone continuation byte and a truncated sequence) inside the text. Hand-written, no real review text.
     */
    public static List<Expected> badReviews() {
        String head = "{\"eventId\":\"bad-review-%d\",\"userId\":\"u\",\"type\":\"review\",\"ts\":1511658000000,"
                + "\"itemId\":\"i\",\"categoryId\":\"c\",\"rating\":2,\"text\":\"";
        byte[] invalidUtf8 = concat(utf8(String.format(head, 3) + "fits badly "),
                new byte[] {(byte) 0x80, ' ', (byte) 0xE2, (byte) 0x82}, utf8("\"}"));
        return List.of(
                new Expected(utf8(String.format(head, 1) + "x".repeat(4_097) + "\"}"), "field_too_large"),
                new Expected(utf8(String.format(head, 2) + "runs small \\u001b[31m\"}"), "control_char"),
                new Expected(invalidUtf8, "malformed_json"));
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    public static List<byte[]> handWritten() {
        List<byte[]> r = new ArrayList<>();
        r.add(utf8("{\"eventId\":\"bad-1\",\"userId\":\"u\",\"type\":\"view\",\"ts\":1511658000000,\"itemId\":"));
        r.add(utf8("definitely not json"));
        r.add(utf8("{\"eventId\":\"bad-3\",\"type\":\"view\",\"ts\":1511658000000,\"itemId\":\"i\"}"));
        r.add(utf8("{\"eventId\":\"bad-4\",\"userId\":\"u\",\"type\":\"teleport\",\"ts\":1511658000000}"));
        r.add(utf8("{\"eventId\":\"bad-5\",\"userId\":\"u\",\"type\":\"payment\",\"ts\":1511658000000,\"amount\":-3}"));
        r.add(utf8("{\"eventId\":\"bad-6\",\"userId\":\"u\",\"type\":\"payment\",\"ts\":1511658000000,\"amount\":\"NaN\"}"));
        r.add(utf8("{\"eventId\":\"bad-7\",\"userId\":\"u\",\"type\":\"view\",\"ts\":\"1970-01-01T00:00:01Z\",\"itemId\":\"i\"}"));
        r.add(utf8("{\"eventId\":\"bad-8\",\"userId\":\"u\",\"type\":\"view\",\"ts\":\"2999-01-01T00:00:00Z\",\"itemId\":\"i\"}"));
        r.add(utf8("{\"eventId\":\"bad-9\",\"userId\":\"u\",\"type\":\"view\",\"ts\":1511658000000,\"itemId\":\"i\",\"price\":\"cheap\"}"));
        r.add(utf8("[\"an\",\"array\"]"));
        r.add(new byte[0]);
        r.add(new byte[] {'{', '"', 'e', (byte) 0xC3, (byte) 0x28, '"', '}'});
        r.add(utf8("{\"eventId\":\"bad-13\",\"userId\":\"u\",\"type\":\"view\",\"ts\":1511658000000,\"pad\":\""
                + "z".repeat(1_000_000) + "\"}"));
        r.add(utf8("{\"eventId\":\"bad-14\",\"userId\":\"u\",\"type\":\"view\",\"ts\":1511658000000}"));
        return r;
    }
}
