package com.shopsense.scoring;

import com.shopsense.event.EventRef;
import com.shopsense.session.CartAtClose;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** Builds the {@link JourneyAction}s: their deterministic ids and their reasons in words. */
public final class JourneyActions {
    private JourneyActions() {
    }

    /**
     * First 32 hex digits (128 bits) of sha256("journey-action/v1\0" + type + "\0" + userId + "\0" + fact), where
     * fact names what happened once: the session id (cart_abandoned and high_intent are at most once per session),
     * the evaluation time (entered_at_risk); for negative_review_surge the product's id stands in the user's place
     * and the fact is the review that raised it.
     */
    public static String id(String type, String userId, String fact) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(("journey-action/v1\0" + type + "\0" + userId
                    + "\0" + fact).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * @param intent the session's latest intent probability, null when none was scored in it
     * @param intentModel the version that computed it
     * @param threshold the intent model's high-intent threshold, NaN when it has none
     */
    public static JourneyAction cartAbandoned(String userId, String sessionId, long lastEventTs, CartAtClose cart,
            Float intent, String intentModel, double threshold) {
        String reason = "session closed (" + ("gap".equals(cart.closeReason()) ? "inactivity" : "maximum duration")
                + ") with " + cart.size() + (cart.size() == 1 ? " item" : " items") + " worth "
                + Decimals.fixed4(cart.value()) + " left in the cart"
                + (intent == null ? "" : ", purchase intent at close " + Decimals.fixed4(intent)
                        + (Double.isNaN(threshold) ? "" : (intent >= threshold ? " (at or above" : " (below")
                                + " the high-intent threshold " + Decimals.fixed4(threshold) + ")"));
        return new JourneyAction(id(JourneyAction.CART_ABANDONED, userId, sessionId), JourneyAction.CART_ABANDONED,
                userId, lastEventTs, "intent", intent == null ? null : intentModel, reason,
                intent == null ? null : round(intent), nanToNull(threshold), sessionId, null,
                List.of(cart.items()), round(cart.value()), cart.size(), cart.closeReason(), null, null, null, null,
                null);
    }

    /** The first score of a session at or above the high-intent threshold. */
    public static JourneyAction highIntent(EventRef crossing, String sessionId, float probability,
            String modelVersion, double threshold) {
        String reason = "purchase intent " + Decimals.fixed4(probability) + " reached the high-intent threshold "
                + Decimals.fixed4(threshold) + " in this session";
        return new JourneyAction(id(JourneyAction.HIGH_INTENT, crossing.userId(), sessionId),
                JourneyAction.HIGH_INTENT, crossing.userId(), crossing.ts(), "intent", modelVersion, reason,
                round(probability), round(threshold), sessionId, crossing.eventId(), null, null, null, null, null, null,
                null, null, null);
    }

    /**
     * A customer's move into at_risk at evaluation time {@code t}: by the churn score (at or over the threshold)
     * or by recency alone (no order for {@code atRiskDays}).
     */
    public static JourneyAction enteredAtRisk(String userId, long t, String fromSegment, float churn,
            String churnModel, double threshold, int atRiskDays) {
        String reason = churn >= threshold
                ? "churn score " + Decimals.fixed4(churn) + " at or above the at-risk threshold "
                        + Decimals.fixed4(threshold)
                : "no order for " + atRiskDays + " days (churn score " + Decimals.fixed4(churn)
                        + " is below the at-risk threshold " + Decimals.fixed4(threshold) + ")";
        return new JourneyAction(id(JourneyAction.ENTERED_AT_RISK, userId, Long.toString(t)),
                JourneyAction.ENTERED_AT_RISK, userId, t, "churn", churnModel, reason + (fromSegment == null ? ""
                        : ", was " + fromSegment), Float.isNaN(churn) ? null : round(churn), round(threshold), null,
                null, null, null, null, null, fromSegment, null, null, null, null);
    }

    /**
     * A product's negative share over its last {@code recentReviews} scored reviews exceeded its long-run share by
     * more than {@code margin}; raised at the review that made it so (event-time order), once per episode. The id's
     * fact is that review's event id (its user stands in no field: the action is the product's).
     *
     * @param trigger the review that made the recent share exceed
     */
    public static JourneyAction negativeReviewSurge(ReviewScore trigger, int recentReviews, double recentShare,
            long longRunReviews, double longRunShare, double margin) {
        String reason = "negative share of the last " + recentReviews + " reviews " + Decimals.fixed4(recentShare)
                + " exceeds the long-run share " + Decimals.fixed4(longRunShare) + " (" + longRunReviews
                + " reviews before them) by more than " + Decimals.fixed4(margin);
        return new JourneyAction(id(JourneyAction.NEGATIVE_REVIEW_SURGE, trigger.itemId(), trigger.eventId()),
                JourneyAction.NEGATIVE_REVIEW_SURGE, null, trigger.ts(), "review", trigger.modelVersion(), reason,
                round(recentShare), round(longRunShare + margin), null, trigger.eventId(), null, null, null, null,
                null, trigger.itemId(), recentReviews, longRunReviews, round(longRunShare));
    }

    /** Four decimals, as in the score hash. */
    private static Double round(double v) {
        return Double.valueOf(Decimals.fixed4(v));
    }

    private static Double nanToNull(double v) {
        return Double.isNaN(v) ? null : round(v);
    }
}
