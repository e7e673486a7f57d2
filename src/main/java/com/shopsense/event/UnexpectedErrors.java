package com.shopsense.event;

import java.io.Serializable;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.execution.CancelTaskException;
import org.apache.flink.streaming.runtime.tasks.ExceptionInChainedOperatorException;
import org.apache.flink.util.FlinkRuntimeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a per-record user function does when it throws on a record (a bug, since bad input is rejected by
 * the parsers with a reason): the record becomes a dead letter with reason {@code unexpected_error}, the
 * stage, the exception class and a redacted message; metric {@code unexpectedErrors} counts it; and once more
 * than {@code maxPerMinute} happen within a minute the task fails ({@link UnexpectedErrorBudgetExceeded}) so a
 * systematic bug is loud. One instance per operator instance (transient state, no statics).
 */
public final class UnexpectedErrors implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(UnexpectedErrors.class);
    public static final String METRIC = "unexpectedErrors";

    private final String stage;
    private final int maxPerMinute;
    private final WallClock clock;
    private transient Counter counter;
    private transient FailureBudget budget;

    public UnexpectedErrors(String stage, int maxPerMinute, WallClock clock) {
        this.stage = stage;
        this.maxPerMinute = maxPerMinute;
        this.clock = clock;
        new FailureBudget(maxPerMinute); // fails at graph building on a bad setting
    }

    public UnexpectedErrors(String stage, int maxPerMinute) {
        this(stage, maxPerMinute, WallClock.SYSTEM);
    }

    public void open(MetricGroup metrics) {
        counter = metrics.counter(METRIC);
        budget = new FailureBudget(maxPerMinute);
    }

    /**
     * True for failures of the runtime rather than of this function on this record (state backend, a chained
     * downstream operator, cancellation): those must fail the task as before, to be restarted.
     */
    public static boolean isInfrastructure(Throwable t) {
        return t instanceof ExceptionInChainedOperatorException || t instanceof FlinkRuntimeException
                || t instanceof CancelTaskException;
    }

    /** Failures counted so far by this instance (the metric's value). */
    public long count() {
        return counter == null ? 0 : counter.getCount();
    }

    /** Counts the failure and makes its dead letter, or throws when the budget is spent. */
    public DeadLetter deadLetter(Throwable t, byte[] raw, String topic, int partition, long offset) {
        if (counter == null) {
            open(new org.apache.flink.metrics.groups.UnregisteredMetricsGroup());
        }
        counter.inc();
        String safeMessage = safeMessage(t);
        RuntimeException redacted = new RuntimeException(t.getClass().getName() + ": " + safeMessage);
        redacted.setStackTrace(t.getStackTrace());
        if (budget.spentBy(clock.nowMs())) {
            throw new UnexpectedErrorBudgetExceeded(stage, maxPerMinute, redacted);
        }
        LOG.warn("Stage '{}' threw on a record ({} at {}:{} offset {}); dead-lettered as {}", stage,
                t.getClass().getName(), topic, partition, offset, ReasonCodes.UNEXPECTED_ERROR, redacted);
        return new DeadLetter(raw == null ? new byte[0] : raw,
                ReasonCodes.UNEXPECTED_ERROR + ": " + stage + " threw " + t.getClass().getSimpleName(),
                topic, partition, offset, stage, t.getClass().getName(), safeMessage);
    }

    /**
     * The message without quoted parts (exception messages quote their input: NumberFormatException
     * 'For input string: "..."'), in printable ASCII, at most 200 characters, plus where it was thrown.
     * Keeps review text, queries, IPs and card tokens out of headers and logs.
     */
    static String safeMessage(Throwable t) {
        String message = t.getMessage() == null ? "" : SafeText.of(SafeText.withoutQuotes(t.getMessage()), 200);
        StackTraceElement[] trace = t.getStackTrace();
        String at = trace.length == 0 ? "" : " (at " + trace[0].getClassName() + "." + trace[0].getMethodName() + ":"
                + trace[0].getLineNumber() + ")";
        return message + at;
    }
}
