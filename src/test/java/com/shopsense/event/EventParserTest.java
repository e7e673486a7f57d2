package com.shopsense.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventParserTest {
    private static final long NOW = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    private final EventParser parser = new EventParser(EventLimits.defaults(), () -> NOW);

    private ShopEvent parse(String json) throws InvalidEventException {
        return parser.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    private String reasonFor(String json) {
        try {
            parse(json);
        } catch (InvalidEventException e) {
            return e.getMessage();
        }
        throw new AssertionError("accepted: " + json);
    }

    @Test
    void readsEveryContractFieldAndIgnoresUnknownOnes() throws Exception {
        ShopEvent e = parse("""
                {"eventId":"e1","userId":"u1","type":"payment","ts":"2025-06-01T10:00:00.5Z","itemId":"i1",
                 "categoryId":"c1","price":10.5,"quantity":2,"amount":21.0,"currency":"EUR","query":"shoes",
                 "paymentMethod":"card","cardFingerprint":"fp1","deviceId":"d1","ip":"10.0.0.1","country":"DE",
                 "rating":4,"text":"nice","merchantId":"m1","somethingNew":{"x":1}}""");
        assertThat(e).isEqualTo(new ShopEvent("e1", "u1", EventType.PAYMENT,
                Instant.parse("2025-06-01T10:00:00.5Z").toEpochMilli(), "i1", "c1", 10.5, 2, 21.0, "EUR", "shoes",
                "card", "fp1", "d1", "10.0.0.1", "DE", 4, "nice", "m1"));
    }

    @Test
    void aStoresOwnSessionIdIsAcceptedAndNotReadByTheJob() throws Exception {
        // docs/event-contract.md: optional, read by the trainers only (common.sessionize); the job cuts sessions
        // by its gap, so the parsed event is the same with or without it
        String without = "{\"eventId\":\"e\",\"userId\":\"u\",\"type\":\"view\",\"ts\":1700000000000,\"itemId\":\"i\"";
        assertThat(parse(without + ",\"sessionId\":\"s-2025-06-01-42\"}")).isEqualTo(parse(without + "}"));
        assertThat(parse(without + ",\"sessionId\":42}")).isEqualTo(parse(without + "}"));
    }

    @Test
    void acceptsEpochMillisAsNumberOrDigitsAndOffsetTimestamps() throws Exception {
        long ts = Instant.parse("2025-06-01T10:00:00Z").toEpochMilli();
        assertThat(parse("{\"eventId\":\"e\",\"userId\":\"u\",\"type\":\"search\",\"ts\":" + ts + "}").timestampMs())
                .isEqualTo(ts);
        assertThat(parse("{\"eventId\":\"e\",\"userId\":\"u\",\"type\":\"search\",\"ts\":\"" + ts + "\"}").timestampMs())
                .isEqualTo(ts);
        assertThat(parse("{\"eventId\":\"e\",\"userId\":\"u\",\"type\":\"search\",\"ts\":\"2025-06-01T12:00:00+02:00\"}")
                .timestampMs()).isEqualTo(ts);
    }

    @Test
    void writerAndParserRoundTrip() throws Exception {
        ShopEvent e = ShopEvent.builder("e9", "u9", EventType.ORDER, NOW - 1000).itemId("i").amount(3.25)
                .quantity(1).country("FR").build();
        assertThat(parser.parse(EventJson.toBytes(e))).isEqualTo(e);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            {"eventId":"e","userId":"u","type":"view","ts":1700000000000,"itemId":"i"          | malformed_json
            not json at all                                                                     | malformed_json
            [1,2,3]                                                                             | not_an_object
            {"userId":"u","type":"view","ts":1700000000000,"itemId":"i"}                        | missing_field
            {"eventId":"e","type":"view","ts":1700000000000,"itemId":"i"}                       | missing_field
            {"eventId":"e","userId":"  ","type":"view","ts":1700000000000,"itemId":"i"}         | missing_field
            {"eventId":"e","userId":"u","type":"teleport","ts":1700000000000}                   | unknown_type
            {"eventId":"e","userId":"u","type":"view","itemId":"i"}                             | missing_field
            {"eventId":"e","userId":"u","type":"view","ts":"yesterday","itemId":"i"}            | invalid_ts
            {"eventId":"e","userId":"u","type":"view","ts":true,"itemId":"i"}                   | invalid_type
            {"eventId":"e","userId":"u","type":"view","ts":5,"itemId":"i"}                      | ts_out_of_range
            {"eventId":"e","userId":"u","type":"view","ts":"1970-01-01T00:00:00Z","itemId":"i"} | ts_out_of_range
            {"eventId":"e","userId":"u","type":"view","ts":"2030-01-01T00:00:00Z","itemId":"i"} | ts_out_of_range
            {"eventId":"e","userId":"u","type":"view","ts":1700000000000}                       | missing_field
            {"eventId":"e","userId":"u","type":"payment","ts":1700000000000}                    | missing_field
            {"eventId":"e","userId":"u","type":"payment","ts":1700000000000,"amount":-5}        | out_of_range
            {"eventId":"e","userId":"u","type":"payment","ts":1700000000000,"amount":NaN}       | malformed_json
            {"eventId":"e","userId":"u","type":"payment","ts":1700000000000,"amount":"NaN"}     | invalid_type
            {"eventId":"e","userId":"u","type":"payment","ts":1700000000000,"amount":1e300}     | out_of_range
            {"eventId":"e","userId":"u","type":"view","ts":1700000000000,"itemId":"i","price":-1} | out_of_range
            {"eventId":"e","userId":"u","type":"view","ts":1700000000000,"itemId":"i","quantity":0} | out_of_range
            {"eventId":"e","userId":"u","type":"view","ts":1700000000000,"itemId":"i","quantity":1.5} | invalid_type
            {"eventId":"e","userId":"u","type":"review","ts":1700000000000,"rating":9}          | out_of_range
            {"eventId":"e","userId":{"id":1},"type":"view","ts":1700000000000,"itemId":"i"}     | invalid_type
            {"eventId":"e","userId":"u","type":"view","ts":1700000000000,"itemId":"i"} trailing | malformed_json
            """)
    void rejectsContractViolationsWithAReasonCode(String json, String code) {
        assertThat(reasonFor(json)).startsWith(code + ":");
    }

    @Test
    void rejectsOversizedFieldsAndPayloads() {
        String longId = "x".repeat(129);
        assertThat(reasonFor("{\"eventId\":\"" + longId + "\",\"userId\":\"u\",\"type\":\"search\",\"ts\":1700000000000}"))
                .startsWith("field_too_large:");
        String huge = "{\"eventId\":\"e\",\"userId\":\"u\",\"type\":\"search\",\"ts\":1700000000000,\"pad\":\""
                + "y".repeat(70_000) + "\"}";
        assertThat(reasonFor(huge)).startsWith("payload_too_large:");
    }

    @Test
    void rejectsInvalidUtf8AndEmptyRecords() {
        byte[] prefix = "{\"eventId\":\"e\",\"userId\":\"u".getBytes(StandardCharsets.UTF_8);
        byte[] suffix = "\",\"type\":\"search\",\"ts\":1700000000000}".getBytes(StandardCharsets.UTF_8);
        byte[] bad = new byte[prefix.length + 2 + suffix.length];
        System.arraycopy(prefix, 0, bad, 0, prefix.length);
        bad[prefix.length] = (byte) 0xC3; // a UTF-8 lead byte followed by an invalid continuation
        bad[prefix.length + 1] = (byte) 0x28;
        System.arraycopy(suffix, 0, bad, prefix.length + 2, suffix.length);
        assertThatThrownBy(() -> parser.parse(bad)).hasMessageStartingWith("malformed_json:");
        assertThatThrownBy(() -> parser.parse(new byte[0])).hasMessageStartingWith("empty_payload:");
        assertThatThrownBy(() -> parser.parse(null)).hasMessageStartingWith("tombstone:");
    }

    /** The two records of issue 16 that put the job into a restart loop, and their relatives. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            "9999999999999999999"                 | ts_out_of_range
            "99999999999999999999999999"          | ts_out_of_range
            9223372036854775807                   | ts_out_of_range
            -9223372036854775808                  | ts_out_of_range
            99999999999999999999999               | ts_out_of_range
            "+999999999-12-31T23:59:59Z"          | ts_out_of_range
            "-999999999-01-01T00:00:00Z"          | ts_out_of_range
            "-999999999-01-01T00:00:00-18:00"     | ts_out_of_range
            "+999999999-12-31T23:59:59.999999999+18:00" | ts_out_of_range
            "+1000000000-01-01T00:00:00Z"         | invalid_ts
            "2025-06-01T10:00:00+19:00"           | invalid_ts
            "2025-02-30T10:00:00Z"                | invalid_ts
            "١٧٠٠٠٠٠٠٠٠٠٠٠"                       | invalid_ts
            1700000000                            | ts_out_of_range
            1.7E12                                | invalid_type
            -0                                    | ts_out_of_range
            ""                                    | invalid_ts
            """)
    void extremeTimestampsAreRejectedNotThrown(String ts, String code) {
        assertThat(reasonFor("{\"eventId\":\"e\",\"userId\":\"u\",\"type\":\"search\",\"ts\":" + ts + "}"))
                .startsWith(code + ":");
    }

    @Test
    void aLeapSecondIsReadAsSecond59AndOffsetsAndLocalTimesAreUtcAware() throws Exception {
        String base = "{\"eventId\":\"e\",\"userId\":\"u\",\"type\":\"search\",\"ts\":";
        assertThat(parse(base + "\"2016-12-31T23:59:60Z\"}").timestampMs())
                .isEqualTo(Instant.parse("2016-12-31T23:59:59Z").toEpochMilli());
        assertThat(parse(base + "\"2017-01-01T00:59:60.250+01:00\"}").timestampMs())
                .isEqualTo(Instant.parse("2016-12-31T23:59:59.250Z").toEpochMilli());
        assertThat(parse(base + "\"2025-06-01T10:00:00\"}").timestampMs())
                .isEqualTo(Instant.parse("2025-06-01T10:00:00Z").toEpochMilli());
        assertThat(reasonFor(base + "\"2025-06-01T10:00:61Z\"}")).startsWith("invalid_ts:");
    }

    @Test
    void aKeyTwiceAnywhereIsADuplicateKeyNotLastWins() {
        assertThat(reasonFor("{\"eventId\":\"e\",\"userId\":\"u\",\"type\":\"search\",\"ts\":1700000000000,"
                + "\"ts\":1}")).isEqualTo("duplicate_key: key 'ts' appears twice in one object (byte 67)");
        assertThat(reasonFor("{\"eventId\":\"e\",\"userId\":\"u\",\"userId\":\"v\",\"type\":\"search\","
                + "\"ts\":1700000000000}")).startsWith("duplicate_key: key 'userId'");
        // a key of someone's data is not repeated in the header
        assertThat(reasonFor("{\"eventId\":\"e\",\"userId\":\"u\",\"type\":\"search\",\"ts\":1700000000000,"
                + "\"x\":{\"secret\":1,\"secret\":2}}")).startsWith("duplicate_key: key '...'");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            "userId":"a\\uD800"              | invalid_unicode
            "userId":"\\uDC00b"              | invalid_unicode
            "eventId":"e\\u0000"             | control_char
            "itemId":"i\\n2"                 | control_char
            "deviceId":"d\\u007F"            | control_char
            "merchantId":"m\\u0085"          | control_char
            "userId":"u\\u202E"              | control_char
            "userId":"u\\u200B"              | control_char
            "userId":"u\\u2028"              | control_char
            "query":"q\\u0000"               | control_char
            "text":"t\\u001B[31m"            | control_char
            "text":"t\\uD83D"                | invalid_unicode
            """)
    void loneSurrogatesAndControlCharactersAreRejected(String field, String code) {
        String json = "{\"eventId\":\"e\",\"userId\":\"u\",\"type\":\"search\",\"ts\":1700000000000,\"itemId\":\"i\","
                + field + "}";
        json = json.replaceFirst("\"" + field.substring(1, field.indexOf('"', 1)) + "\":\"[a-z]\",", "");
        assertThat(reasonFor(json)).startsWith(code + ":").doesNotContain("\\u");
    }

    @Test
    void freeTextKeepsNewlinesTabsRtlMarksAndEmojiAndIdsKeepSupplementaryCharacters() throws Exception {
        ShopEvent e = parse("{\"eventId\":\"e\\uD83D\\uDE00\",\"userId\":\"u\",\"type\":\"review\","
                + "\"ts\":1700000000000,\"itemId\":\"i\",\"rating\":5,\"text\":\"good\\n\\tvery \\u200F\\u05D8\\u05D5\\u05D1 \\uD83D\\uDC4D\"}");
        assertThat(e.eventId()).isEqualTo("e\uD83D\uDE00");
        assertThat(e.text()).contains("\n", "\t", "\u200F", "\uD83D\uDC4D");
    }

    @Test
    void negativeZeroMoneyIsReadAsZeroAndHugeOrTinyNumbersAreInRangeOrRejected() throws Exception {
        String base = "{\"eventId\":\"e\",\"userId\":\"u\",\"type\":\"payment\",\"ts\":1700000000000,\"amount\":";
        Double zero = parse(base + "-0.0}").amount();
        assertThat(Double.doubleToRawLongBits(zero)).isEqualTo(Double.doubleToRawLongBits(0.0));
        assertThat(parse(base + "1e-400}").amount()).isZero();
        assertThat(parse(base + "1000000}").amount()).isEqualTo(1_000_000.0);
        assertThat(reasonFor(base + "1e400}")).startsWith("out_of_range:");
        assertThat(reasonFor(base + "1" + "0".repeat(400) + "}")).startsWith("out_of_range:");
        assertThat(reasonFor(base + "1" + "0".repeat(1001) + "}")).startsWith("malformed_json:");
        assertThat(reasonFor("{\"eventId\":\"e\",\"userId\":\"u\",\"type\":\"view\",\"ts\":1700000000000,"
                + "\"itemId\":\"i\",\"quantity\":99999999999}")).startsWith("out_of_range:");
    }

    @Test
    void deepNestingIsMalformedNotAStackOverflow() {
        String deep = "[".repeat(10_000) + "]".repeat(10_000);
        assertThat(reasonFor("{\"eventId\":\"e\",\"userId\":\"u\",\"type\":\"search\",\"ts\":1700000000000,"
                + "\"x\":" + deep + "}")).startsWith("malformed_json:");
    }

    @Test
    void reasonDetailsNeverEchoFreeTextOrMalformedTokens() {
        String secret = "my-card-4111111111111111";
        assertThat(reasonFor("{\"eventId\":\"e\",\"userId\":\"u\",\"type\":\"search\",\"ts\":1700000000000,"
                + "\"query\":\"" + secret + "\\u0000\"}")).doesNotContain(secret);
        assertThat(reasonFor("{\"eventId\":\"e\",\"text\": " + secret + "}")).startsWith("malformed_json:")
                .doesNotContain(secret);
    }

    @org.junit.jupiter.api.Test
    void invalidUtf8AnywhereIsMalformedJsonEvenInAKeyNobodyReads() {
        byte[] ok = "{\"eventId\":\"e1\",\"userId\":\"u1\",\"type\":\"view\",\"ts\":1700000000000,\"itemId\":\"i1\",\"xyz\":1}"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] bad = ok.clone();
        int key = new String(ok, java.nio.charset.StandardCharsets.UTF_8).indexOf("xyz");
        bad[key + 1] = (byte) 0xFF; // "x\xFFz": not UTF-8
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> parser.parse(bad))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageStartingWith(ReasonCodes.MALFORMED_JSON + ": invalid UTF-8 at byte " + (key + 1));
        bad[key + 1] = (byte) 0xC3; // a lead byte whose continuation is missing ('z' follows)
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> parser.parse(bad))
                .hasMessageStartingWith(ReasonCodes.MALFORMED_JSON);
        org.assertj.core.api.Assertions.assertThat(StrictJson.invalidUtf8At("é中😀".getBytes(
                java.nio.charset.StandardCharsets.UTF_8))).isEqualTo(-1);
        org.assertj.core.api.Assertions.assertThat(StrictJson.invalidUtf8At(new byte[] {'a', (byte) 0xE4, (byte) 0xB8}))
                .as("truncated at the end").isEqualTo(1);
    }
}
