package com.shopsense.feedback;

import com.shopsense.features.IdHash;
import com.shopsense.scoring.Recommendation;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * What attribution needs of a recommendation list, made where the list is scored so that the shuffle to the
 * per-user tracker carries 20 longs instead of 20 item-id strings plus scores.
 *
 * <p>Items are identified by {@link #itemHash}, a 64-bit FNV-1a of the id; a click is matched by the same hash,
 * on its low 32 bits in the kept lists ({@link RecoShownLists}, where the collision odds are).
 * A collision could only credit a click on item j to a kept list holding a different item i with the same key.
 *
 * @param source {@link Recommendation#source()}: model or trending (online quality is split by it)
 * @param itemHashes {@link #itemHash} of the list's item ids, best first
 */
@TypeInfo(RecoShownSerializer.Factory.class)
public record RecoShown(String userId, long generatedAt, String modelVersion, String source, long[] itemHashes) {

    public static RecoShown of(Recommendation r) {
        String[] ids = r.itemIds();
        long[] hashes = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            hashes[i] = itemHash(ids[i]);
        }
        return new RecoShown(r.userId(), r.generatedAt(), r.modelVersion(), r.source(), hashes);
    }

    /** True for a list of the trending fallback; any other source counts as the model's. */
    public boolean trending() {
        return Recommendation.TRENDING.equals(source);
    }

    /** The identity of an item id in attribution state (lists, clicks and item events are hashed alike). */
    public static long itemHash(String itemId) {
        return IdHash.fnv1a64(itemId);
    }
}
