package com.shopsense.scoring;

import com.shopsense.event.EventRef;

/**
 * The purchase-intent probability after one event, with the model version that computed it.
 *
 * @param material whether it changed enough to be written to the score hash ({@link MaterialChange})
 * @param newestEventTime the newest event time of the user's events so far, this one included (the session event's
 *     {@code userNewestTs}: at least {@code ref.ts()}, never going back): the score hash's updatedAt when this score
 *     is written
 */
public record IntentScore(EventRef ref, float probability, String modelVersion, boolean material,
        long newestEventTime) {
}
