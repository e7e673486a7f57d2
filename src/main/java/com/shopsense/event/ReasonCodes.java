package com.shopsense.event;

import java.util.List;

/**
 * Every reason code a dead letter can carry (docs/event-contract.md, "What a bad record gets", lists them
 * with their rules; {@code EventContractDocTest} fails when the two drift). The code is the part of
 * {@code dlq.reason} before the first ':'.
 */
public final class ReasonCodes {
    private ReasonCodes() {
    }

    // The record as a whole
    public static final String TOMBSTONE = "tombstone";
    public static final String EMPTY_PAYLOAD = "empty_payload";
    public static final String PAYLOAD_TOO_LARGE = "payload_too_large";
    public static final String MALFORMED_JSON = "malformed_json";
    public static final String DUPLICATE_KEY = "duplicate_key";
    public static final String NOT_AN_OBJECT = "not_an_object";
    // One field
    public static final String MISSING_FIELD = "missing_field";
    public static final String UNKNOWN_TYPE = "unknown_type";
    public static final String INVALID_TYPE = "invalid_type";
    public static final String INVALID_VALUE = "invalid_value";
    public static final String INVALID_TS = "invalid_ts";
    public static final String TS_OUT_OF_RANGE = "ts_out_of_range";
    public static final String FIELD_TOO_LARGE = "field_too_large";
    public static final String OUT_OF_RANGE = "out_of_range";
    public static final String INVALID_UNICODE = "invalid_unicode";
    public static final String CONTROL_CHAR = "control_char";
    // After parsing
    public static final String LATE = "late";
    public static final String UNKNOWN_EVENT = "unknown_event";
    public static final String DECIDED_BEFORE_PAYMENT = "decided_before_payment";
    public static final String UNKNOWN_ALERT = "unknown_alert";
    /** A user function threw on the record: a bug, not bad input (see {@link com.shopsense.event.UnexpectedErrors}). */
    public static final String UNEXPECTED_ERROR = "unexpected_error";

    /** What {@link EventParser} may reject a record with. */
    public static final List<String> EVENT_PARSER = List.of(TOMBSTONE, EMPTY_PAYLOAD, PAYLOAD_TOO_LARGE,
            MALFORMED_JSON, DUPLICATE_KEY, NOT_AN_OBJECT, MISSING_FIELD, UNKNOWN_TYPE, INVALID_TYPE, INVALID_TS,
            TS_OUT_OF_RANGE, FIELD_TOO_LARGE, OUT_OF_RANGE, INVALID_UNICODE, CONTROL_CHAR);

    /** What {@link LabelParser} may reject a label with. */
    public static final List<String> LABEL_PARSER = List.of(TOMBSTONE, EMPTY_PAYLOAD, PAYLOAD_TOO_LARGE,
            MALFORMED_JSON, DUPLICATE_KEY, NOT_AN_OBJECT, MISSING_FIELD, INVALID_TYPE, INVALID_VALUE, INVALID_TS,
            TS_OUT_OF_RANGE, FIELD_TOO_LARGE, INVALID_UNICODE, CONTROL_CHAR);

    /** Every code, in documentation order. */
    public static final List<String> ALL = List.of(TOMBSTONE, EMPTY_PAYLOAD, PAYLOAD_TOO_LARGE, MALFORMED_JSON,
            DUPLICATE_KEY, NOT_AN_OBJECT, MISSING_FIELD, UNKNOWN_TYPE, INVALID_TYPE, INVALID_VALUE, INVALID_TS,
            TS_OUT_OF_RANGE, FIELD_TOO_LARGE, OUT_OF_RANGE, INVALID_UNICODE, CONTROL_CHAR, LATE, UNKNOWN_EVENT,
            DECIDED_BEFORE_PAYMENT, UNKNOWN_ALERT, UNEXPECTED_ERROR);
}
