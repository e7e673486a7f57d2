package com.shopsense.scoring;

import java.util.List;

/**
 * An event of a customer's journey a marketing system acts on (the {@code kafka.topic.actions} topic, JSON of
 * docs/actions.md): a cart left in a closed session, a customer entering the at-risk segment, a session whose
 * purchase intent crossed the model's threshold. Built by {@link JourneyActions}; ids are deterministic, so a
 * replay or a restart yields the same ids. Fields a type does not have are null (left out of the JSON). Carries
 * ids and numbers only: no IP, card, device or free text of the shop's events.
 *
 * @param actionId {@link JourneyActions#id}: the same journey fact always gives the same id
 * @param type {@link #CART_ABANDONED}, {@link #ENTERED_AT_RISK}, {@link #HIGH_INTENT} or
 *     {@link #NEGATIVE_REVIEW_SURGE}
 * @param userId the user; null for negative_review_surge (a product's action)
 * @param eventTime event time of what triggered it (the session's last event, the segment evaluation, the
 *     crossing event), epoch ms
 * @param model the model whose score it carries ({@code intent} or {@code churn})
 * @param modelVersion that model's version; null only when no score of the session was known
 * @param reason why, in words
 * @param score the model's probability (intent at close, churn, intent at the crossing); null when unknown
 * @param threshold the model's decision threshold (manifest) the score is compared with
 * @param sessionId the session (cart_abandoned, high_intent)
 * @param eventId the event that crossed the threshold (high_intent)
 * @param items the cart's item ids, oldest first, at most 20 (cart_abandoned)
 * @param cartValue the cart's value (cart_abandoned)
 * @param cartSize items in the cart, quantities counted (cart_abandoned)
 * @param closeReason how the session closed: gap or max_duration (cart_abandoned)
 * @param fromSegment the segment before (entered_at_risk; null when the user had none)
 * @param itemId the product (negative_review_surge; the record's key then, as it has no user)
 * @param recentReviews the product's last scored reviews compared (negative_review_surge: review.surge.last-n)
 * @param longRunReviews the product's scored reviews before those (negative_review_surge)
 * @param longRunShare their negative share (negative_review_surge; {@code score} is the recent share)
 */
public record JourneyAction(
        String actionId,
        String type,
        String userId,
        long eventTime,
        String model,
        String modelVersion,
        String reason,
        Double score,
        Double threshold,
        String sessionId,
        String eventId,
        List<String> items,
        Double cartValue,
        Integer cartSize,
        String closeReason,
        String fromSegment,
        String itemId,
        Integer recentReviews,
        Long longRunReviews,
        Double longRunShare) {

    public static final String CART_ABANDONED = "cart_abandoned";
    public static final String ENTERED_AT_RISK = "entered_at_risk";
    public static final String HIGH_INTENT = "high_intent";
    public static final String NEGATIVE_REVIEW_SURGE = "negative_review_surge";
    public static final List<String> TYPES = List.of(CART_ABANDONED, ENTERED_AT_RISK, HIGH_INTENT,
            NEGATIVE_REVIEW_SURGE);

    /** The Kafka key: the user, or the product for an action about a product (negative_review_surge). */
    public String key() {
        return userId != null ? userId : itemId;
    }
}
