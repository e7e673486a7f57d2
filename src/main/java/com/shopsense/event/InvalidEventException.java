package com.shopsense.event;

/** A record that breaks the event contract; the message is the DLQ reason ({@code code: detail}). */
public final class InvalidEventException extends Exception {
    public InvalidEventException(String code, String detail) {
        super(code + ": " + detail, null, false, false);
    }
}
