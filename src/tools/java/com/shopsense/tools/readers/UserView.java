package com.shopsense.tools.readers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.resps.Tuple;

/**
 * {@code GET /users/{id}}: what the storefront knows of one user, in words. Each score comes with what it means,
 * the manifest threshold that decides with it and the decision; the segment with its meaning; the recommendations
 * with their source and each item's category, and the session items they were computed from ("because you
 * looked at"); the latest alerts with their reasons as sentences. The raw score hash stays under {@code scores}.
 * Pure: built from what {@link StorefrontReader} read from Redis.
 */
final class UserView {
    private static final ObjectMapper JSON = new ObjectMapper();

    private UserView() {
    }

    /**
     * @param storedReco the user's stored recommendation JSON, or null (then {@code trending} is the fallback)
     * @param trending the top of {@code prefix:popular}, best first
     */
    static ObjectNode build(String userId, Map<String, String> scores, String storedReco, List<Tuple> trending,
            List<String> alertJsons, ScoreThresholds t, Catalogue catalogue) throws IOException {
        ObjectNode n = JSON.createObjectNode();
        n.put("userId", userId);
        n.set("scores", JSON.valueToTree(scores));
        putTime(n, "updatedAt", scores.get("updatedAt"));
        n.set("segment", Segments.describe(scores.get("segment")));
        ArrayNode a = n.putArray("assessments");
        a.add(intent(scores, t.highIntent()));
        a.add(churn(scores, t.churnAtRisk()));
        a.add(fraud(scores, t.fraudAlert()));
        n.set("recommendations", recommendations(storedReco, trending, catalogue));
        ArrayNode alerts = n.putArray("latestAlerts");
        for (String json : alertJsons) {
            alerts.add(alert(json));
        }
        return n;
    }

    static ObjectNode intent(Map<String, String> s, double threshold) {
        ObjectNode n = score("intent", "Purchase intent", "Probability that the current session ends in an order",
                s.get("intent"), threshold, s.get("intentModel"));
        if (n.hasNonNull("value")) {
            n.put("decision", n.get("atOrAbove").asBoolean() ? "high intent: at or above the threshold the shop acts on"
                    : "below the high-intent threshold");
        } else {
            n.put("decision", "no intent score yet: no session scored");
        }
        return n;
    }

    /** Prospects (no order yet) have no churn score: "will not buy again" is undefined for them. */
    static ObjectNode churn(Map<String, String> s, double threshold) {
        ObjectNode n = score("churn", "Churn risk", "Probability that this customer places no order in the next 90 days",
                s.get("churn"), threshold, s.get("churnModel"));
        if (n.hasNonNull("value")) {
            boolean atRisk = s.containsKey("churnAtRisk") ? Boolean.parseBoolean(s.get("churnAtRisk"))
                    : n.get("atOrAbove").asBoolean();
            n.put("decision", atRisk ? "at risk: at or above the at-risk threshold" : "not at risk");
        } else {
            n.put("decision", "no churn score: not a customer yet");
        }
        return n;
    }

    static ObjectNode fraud(Map<String, String> s, double threshold) {
        ObjectNode n = score("fraud", "Fraud risk", "Probability that the user's latest payment is fraudulent",
                s.get("fraud"), threshold, s.get("fraudModel"));
        if (n.hasNonNull("value")) {
            n.put("decision", n.get("atOrAbove").asBoolean() ? "alert: at or above the alert threshold"
                    : "below the alert threshold: no alert");
        } else {
            n.put("decision", "no payment scored yet");
        }
        return n;
    }

    private static ObjectNode score(String name, String label, String meaning, String value, double threshold,
            String model) {
        ObjectNode n = JSON.createObjectNode();
        n.put("score", name);
        n.put("label", label);
        n.put("meaning", meaning);
        Double v = number(value);
        if (v == null) {
            n.putNull("value");
        } else {
            n.put("value", v);
        }
        if (Double.isNaN(threshold)) {
            n.putNull("threshold");
        } else {
            n.put("threshold", threshold);
        }
        if (v != null) {
            n.put("atOrAbove", !Double.isNaN(threshold) && v >= threshold);
        }
        if (model != null) {
            n.put("model", model);
        }
        return n;
    }

    static ObjectNode recommendations(String stored, List<Tuple> trending, Catalogue catalogue) throws IOException {
        ObjectNode n;
        if (stored != null) {
            n = (ObjectNode) JSON.readTree(stored);
            if (!n.hasNonNull("source")) {
                n.put("source", "model"); // lists written before the field existed came from the model
            }
            n.put("fallback", false);
        } else {
            n = JSON.createObjectNode();
            ArrayNode items = n.putArray("items");
            for (Tuple t : trending) {
                items.addObject().put("itemId", t.getElement()).put("score", t.getScore());
            }
            n.put("source", "trending");
            n.put("fallback", true);
            n.putArray("recentItems");
        }
        for (JsonNode item : n.path("items")) {
            putCategory((ObjectNode) item, catalogue);
        }
        ArrayNode because = n.putArray("becauseYouLookedAt");
        for (JsonNode id : n.path("recentItems")) {
            putCategory(because.addObject().put("itemId", id.asText()), catalogue);
        }
        return n;
    }

    static void putCategory(ObjectNode item, Catalogue catalogue) {
        String c = catalogue.category(item.path("itemId").asText(null));
        if (c == null) {
            item.putNull("category");
        } else {
            item.put("category", c);
        }
    }

    /** The stored alert JSON plus {@code reasonsText}: its reason codes as sentences. */
    static ObjectNode alert(String json) throws IOException {
        ObjectNode a = (ObjectNode) JSON.readTree(json);
        ArrayNode words = a.putArray("reasonsText");
        for (JsonNode r : a.path("reasons")) {
            words.add(AlertReasons.sentence(r.asText()));
        }
        return a;
    }

    private static void putTime(ObjectNode n, String field, String epochMs) {
        Double v = number(epochMs);
        if (v == null) {
            n.putNull(field);
        } else {
            n.put(field, v.longValue());
        }
    }

    private static Double number(String s) {
        if (s == null) {
            return null;
        }
        try {
            double d = Double.parseDouble(s);
            return Double.isFinite(d) ? d : null;
        } catch (NumberFormatException notANumber) {
            return null;
        }
    }
}
