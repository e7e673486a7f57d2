package com.shopsense.scoring;

import com.shopsense.event.EventRef;

/** The purchase-intent probability after one event, with the model version that computed it. */
public record IntentScore(EventRef ref, float probability, String modelVersion) {
}
