package com.shopsense.session;

import com.shopsense.event.EventRef;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * A recommendation refresh the sessionizer decided is due ({@link RecoRefreshPolicy}): the session's last
 * item ids, oldest first, are the recommender's whole input; {@code categoryId} (the triggering event's category,
 * null when it names none) picks the trending list a request the model cannot serve falls back to.
 */
@TypeInfo(RecommendRequestSerializer.Factory.class)
public record RecommendRequest(EventRef ref, String[] recentItems, String categoryId) {
}
