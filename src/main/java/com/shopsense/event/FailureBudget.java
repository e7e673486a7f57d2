package com.shopsense.event;

import java.util.ArrayDeque;

/**
 * At most {@code maxPerMinute} failures in any sliding minute. Keeps the times of the last
 * {@code maxPerMinute + 1} failures only, so its memory is bounded however many records fail. Per operator
 * instance and not checkpointed: a restart (which this budget causes when spent) starts it afresh.
 */
final class FailureBudget {
    static final long WINDOW_MS = 60_000L;

    private final int maxPerMinute;
    private final ArrayDeque<Long> recent = new ArrayDeque<>();

    FailureBudget(int maxPerMinute) {
        if (maxPerMinute < 0) {
            throw new IllegalArgumentException("dlq.max-unexpected-per-minute must be >= 0, was " + maxPerMinute);
        }
        this.maxPerMinute = maxPerMinute;
    }

    /** Records a failure at {@code nowMs}; true when this one is more than the budget allows. */
    boolean spentBy(long nowMs) {
        recent.addLast(nowMs);
        while (!recent.isEmpty() && recent.peekFirst() <= nowMs - WINDOW_MS) {
            recent.removeFirst();
        }
        while (recent.size() > maxPerMinute + 1) {
            recent.removeFirst();
        }
        return recent.size() > maxPerMinute;
    }

    int maxPerMinute() {
        return maxPerMinute;
    }
}
