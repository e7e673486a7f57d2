package com.shopsense.event;

/** A record that breaks the event contract; the message is the DLQ reason ({@code code: detail}). */
public final class InvalidEventException extends Exception {
    private final String code;

    public InvalidEventException(String code, String detail) {
        super(code + ": " + detail, null, false, false);
        this.code = code;
    }

    /** One of {@link ReasonCodes}. */
    public String code() {
        return code;
    }
}
