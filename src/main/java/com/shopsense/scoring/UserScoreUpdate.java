package com.shopsense.scoring;

/**
 * A partial update of a user's score hash in Redis ({@code user:{userId}}): only the named fields
 * change (intent on every event, fraud on payments, churn and segment when a session closes).
 * Parallel arrays rather than a map so Flink serializes it without Kryo.
 *
 * @param fields hash field names, e.g. intent, intentModel, fraud, churn, segment
 * @param values their values, as text
 * @param updatedAt event time of the update, epoch ms (written as the updatedAt field)
 */
public record UserScoreUpdate(String userId, String[] fields, String[] values, long updatedAt) {
}
