package com.shopsense.event;

/**
 * Fails the task on purpose: more user-function failures than {@code dlq.max-unexpected-per-minute}
 * is a bug or a broken dependency, not a few bad records, and must not be hidden in the DLQ.
 */
public final class UnexpectedErrorBudgetExceeded extends RuntimeException {
    UnexpectedErrorBudgetExceeded(String stage, int maxPerMinute, Throwable last) {
        super("more than " + maxPerMinute + " unexpected errors within a minute in stage '" + stage
                + "' (dlq.max-unexpected-per-minute): failing the job; the records are in the DLQ with reason"
                + " unexpected_error, the last error is the cause", last);
    }
}
