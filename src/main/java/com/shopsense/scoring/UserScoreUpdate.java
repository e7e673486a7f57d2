package com.shopsense.scoring;

import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * A partial update of a user's score hash in Redis ({@code user:{userId}}): only the named fields
 * change (intent on material changes, fraud on payments, churn and segment when a session closes).
 * Parallel arrays rather than a map so Flink serializes it without Kryo.
 *
 * @param fields hash field names, e.g. intent, intentModel, fraud, churn, segment
 * @param values their values, as text
 * @param updatedAt event time of the update, epoch ms (written as the updatedAt field)
 * @param inOrder the stream that made it delivers each user's updates of these fields to the sink in order
 *     (one keyed operator, forwarded to the sink): the sink may write them plainly, the last one winning,
 *     without a per-field event-time check
 */
@TypeInfo(UserScoreUpdateSerializer.Factory.class)
public record UserScoreUpdate(String userId, String[] fields, String[] values, long updatedAt, boolean inOrder) {

    /** An update that may reach the sink out of order: each field keeps the value with the newest event time. */
    public UserScoreUpdate(String userId, String[] fields, String[] values, long updatedAt) {
        this(userId, fields, values, updatedAt, false);
    }
}
