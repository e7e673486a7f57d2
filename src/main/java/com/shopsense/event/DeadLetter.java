package com.shopsense.event;

/**
 * A record the job could not use, with why and where it came from. The DLQ sink writes the raw
 * bytes unchanged as the Kafka value and the rest as headers, so nothing is lost or rewritten.
 *
 * @param errorClass for reason {@code unexpected_error}: the exception's class, else null
 * @param errorMessage for reason {@code unexpected_error}: its message, redacted (no quoted input), else null
 */
public record DeadLetter(
        byte[] raw, String reason, String sourceTopic, int sourcePartition, long sourceOffset, String stage,
        String errorClass, String errorMessage) {

    public static final String STAGE_PARSE = "parse";
    public static final String STAGE_LATE = "late";
    /** A fraud label that is malformed or names a payment or alert the job never scored. */
    public static final String STAGE_LABEL = "label";
    /** A fraud rule version the job refused (docs/fraud.md "Fraud rules"). */
    public static final String STAGE_RULE = "rule";
    /** The sessionizer and the feature encoders it runs. */
    public static final String STAGE_SESSIONIZE = "sessionize";

    /** A dead letter for a contract violation (no exception involved). */
    public DeadLetter(byte[] raw, String reason, String sourceTopic, int sourcePartition, long sourceOffset,
            String stage) {
        this(raw, reason, sourceTopic, sourcePartition, sourceOffset, stage, null, null);
    }

    /** The reason code: the part before the first ':' (e.g. {@code missing_field}). */
    public String reasonCode() {
        int i = reason.indexOf(':');
        return i < 0 ? reason : reason.substring(0, i);
    }
}
