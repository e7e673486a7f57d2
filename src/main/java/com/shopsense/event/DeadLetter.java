package com.shopsense.event;

/**
 * A record the job could not use, with why and where it came from. The DLQ sink writes the raw
 * bytes unchanged as the Kafka value and the rest as headers, so nothing is lost or rewritten.
 */
public record DeadLetter(
        byte[] raw, String reason, String sourceTopic, int sourcePartition, long sourceOffset, String stage) {

    public static final String STAGE_PARSE = "parse";
    public static final String STAGE_LATE = "late";
    /** A fraud label that is malformed or names a payment or alert the job never scored. */
    public static final String STAGE_LABEL = "label";

    /** The reason code: the part before the first ':' (e.g. {@code missing_field}). */
    public String reasonCode() {
        int i = reason.indexOf(':');
        return i < 0 ? reason : reason.substring(0, i);
    }
}
