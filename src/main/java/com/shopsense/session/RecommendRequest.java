package com.shopsense.session;

import com.shopsense.event.EventRef;

/**
 * A recommendation refresh the sessionizer decided is due ({@link RecoRefreshPolicy}): the session's last
 * item ids, oldest first, are the recommender's whole input.
 */
public record RecommendRequest(EventRef ref, String[] recentItems) {
}
