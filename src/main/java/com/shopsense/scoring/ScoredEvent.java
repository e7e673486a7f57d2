package com.shopsense.scoring;

import com.shopsense.session.SessionUpdate;

/**
 * A session update with its purchase-intent score.
 *
 * @param refreshRecommendations true when this item event should refresh the user's
 *     recommendations (at most once per {@code reco.min-interval} of event time)
 */
public record ScoredEvent(SessionUpdate update, float intent, String intentModelVersion,
        boolean refreshRecommendations) {
}
