package com.shopsense.scoring;

import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * What the recommend call returns for one request: the model's list, or, for a request the model cannot serve,
 * a list to be filled with trending items ({@code fallback}, no items yet, source {@link Recommendation#TRENDING},
 * the recommender's name and version) with what the filler needs: the category of the request's latest item and
 * the list's size. Forwarded to the filler (a two-input operator, so not chained: one record per refresh,
 * serialized by {@link RecoOutcomeSerializer}).
 */
@TypeInfo(RecoOutcomeSerializer.Factory.class)
public record RecoOutcome(Recommendation list, boolean fallback, String categoryId, int size) {

    public static RecoOutcome served(Recommendation list) {
        return new RecoOutcome(list, false, null, list.itemIds().length);
    }
}
