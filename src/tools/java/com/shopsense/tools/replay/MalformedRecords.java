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
