package com.shopsense.scoring;

import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * Fresh next-item recommendations for one user, as the storefront reads them from Redis
 * ({@code reco:{userId}}). Deterministic for a given input (generatedAt is the triggering event's
 * time), so a replay rewrites the same value.
 *
 * @param itemIds best first
 * @param scores same order as itemIds
 * @param source what made the list: {@link #MODEL} (the recommender) or {@link #TRENDING} (the fallback for users
 *     or items the model cannot serve)
 * @param model model name in the manifest (e.g. recommend)
 * @param modelVersion the manifest's version of that model (its sha256 prefix)
 * @param generatedAt event time of the event that triggered the refresh, epoch ms
 * @param eventId the triggering event
 * @param recentItems the session's item ids the list was computed from, oldest first (the storefront shows them
 *     as "because you looked at"; item ids only, nothing about the user)
 */
@TypeInfo(RecommendationSerializer.Factory.class)
public record Recommendation(
        String userId,
        String[] itemIds,
        float[] scores,
        String source,
        String model,
        String modelVersion,
        long generatedAt,
        String eventId,
        String[] recentItems) {

    /** {@link #source()} of a list the recommender computed. */
    public static final String MODEL = "model";
    /** {@link #source()} of a fallback list of trending items. */
    public static final String TRENDING = "trending";
}
