package com.shopsense.tools.readers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.shopsense.scoring.AlertIds;
import com.shopsense.scoring.FraudAlert;
import com.shopsense.scoring.Recommendation;
import com.shopsense.sink.RedisWrites;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.resps.Tuple;

/** What /users/{id} says about a user: each score against its threshold, in words; lists with source and category. */
class UserViewTest {
    static final ScoreThresholds T = new ScoreThresholds(0.7, 0.3, 0.12);
    static final Catalogue CAT = Catalogue.of(Map.of("i1", "c1", "商品2", "类目9", "i5", "c5"));

    @Test
    void eachScoreIsComparedWithItsThresholdAndSaysWhatItMeans() throws Exception {
        ObjectNode v = UserView.build("u1", Map.of("intent", "0.7", "churn", "0.2999", "churnAtRisk", "false",
                "fraud", "0.5", "segment", "active", "updatedAt", "1700000000000"), null, List.of(), List.of(), T, CAT);
        JsonNode intent = v.get("assessments").get(0);
        assertThat(intent.get("score").asText()).isEqualTo("intent");
        assertThat(intent.get("value").asDouble()).isEqualTo(0.7);
        assertThat(intent.get("threshold").asDouble()).isEqualTo(0.7);
        assertThat(intent.get("atOrAbove").asBoolean()).as("at the threshold counts, as in the job").isTrue();
        assertThat(intent.get("decision").asText()).startsWith("high intent");
        JsonNode churn = v.get("assessments").get(1);
        assertThat(churn.get("atOrAbove").asBoolean()).isFalse();
        assertThat(churn.get("decision").asText()).isEqualTo("not at risk");
        JsonNode fraud = v.get("assessments").get(2);
        assertThat(fraud.get("decision").asText()).startsWith("alert");
        assertThat(v.get("segment").get("name").asText()).isEqualTo("active");
        assertThat(v.get("segment").get("meaning").asText()).isNotBlank();
        assertThat(v.get("updatedAt").asLong()).isEqualTo(1_700_000_000_000L);
        assertThat(v.get("scores").get("churn").asText()).as("the raw hash is kept").isEqualTo("0.2999");
    }

    @Test
    void aProspectHasNoChurnScoreAndThePageSaysWhy() throws Exception {
        ObjectNode v = UserView.build("p1", Map.of("intent", "0.1", "segment", "prospect"), null, List.of(), List.of(),
                T, CAT);
        JsonNode churn = v.get("assessments").get(1);
        assertThat(churn.get("value").isNull()).isTrue();
        assertThat(churn.has("atOrAbove")).isFalse();
        assertThat(churn.get("decision").asText()).isEqualTo("no churn score: not a customer yet");
        assertThat(v.get("assessments").get(2).get("decision").asText()).isEqualTo("no payment scored yet");
    }

    @Test
    void withoutAManifestThresholdNoDecisionIsClaimed() throws Exception {
        ObjectNode v = UserView.build("u", Map.of("intent", "0.99"), null, List.of(), List.of(), ScoreThresholds.NONE,
                Catalogue.empty());
        assertThat(v.get("assessments").get(0).get("threshold").isNull()).isTrue();
        assertThat(v.get("assessments").get(0).get("atOrAbove").asBoolean()).isFalse();
    }

    @Test
    void aStoredListKeepsItsSourceAndGainsCategoriesAndBecauseYouLookedAt() throws Exception {
        String stored = RedisWrites.recommendationJson(new Recommendation("u1", new String[] {"i1", "商品2", "unknown"},
                new float[] {0.5f, 0.25f, 0.125f}, Recommendation.TRENDING, "recommend", "v7", 1_700_000_000_000L, "e1",
                new String[] {"i5", "\"<b>"}));
        JsonNode r = UserView.build("u1", Map.of(), stored, List.of(), List.of(), T, CAT).get("recommendations");
        assertThat(r.get("source").asText()).isEqualTo("trending");
        assertThat(r.get("fallback").asBoolean()).isFalse();
        assertThat(r.get("items").get(1).get("itemId").asText()).isEqualTo("商品2");
        assertThat(r.get("items").get(1).get("category").asText()).isEqualTo("类目9");
        assertThat(r.get("items").get(2).get("category").isNull()).isTrue();
        assertThat(r.get("becauseYouLookedAt").get(0).get("category").asText()).isEqualTo("c5");
        assertThat(r.get("becauseYouLookedAt").get(1).get("itemId").asText()).isEqualTo("\"<b>");
        assertThat(r.get("version").asText()).isEqualTo("v7");
    }

    @Test
    void withoutAListTheShopsTrendingItemsAreTheFallback() throws Exception {
        JsonNode r = UserView.build("new-user", Map.of(), null, List.of(new Tuple("i1", 9.0), new Tuple("i5", 4.0)),
                List.of(), T, CAT).get("recommendations");
        assertThat(r.get("source").asText()).isEqualTo("trending");
        assertThat(r.get("fallback").asBoolean()).isTrue();
        assertThat(r.get("items").get(0).get("itemId").asText()).isEqualTo("i1");
        assertThat(r.get("items").get(0).get("category").asText()).isEqualTo("c1");
        assertThat(r.get("becauseYouLookedAt")).isEmpty();
    }

    @Test
    void alertReasonsBecomeSentences() throws Exception {
        String json = RedisWrites.alertJson(new FraudAlert(AlertIds.of("p1", "v1"), "u1", "p1", 0.9, 0.12, "fraud", "v1",
                new String[] {"AMOUNT_8X_MEDIAN", "VELOCITY_4_IN_1H", "MERCHANT_CONFIRMED_FRAUD_1_IN_28D", "NEW_DEVICE",
                        "SOMETHING_NEW"}, 1, 2, "m1", 10, null, null));
        JsonNode a = UserView.build("u1", Map.of(), null, List.of(), List.of(json), T, CAT).get("latestAlerts").get(0);
        assertThat(a.get("threshold").asDouble()).isEqualTo(0.12);
        assertThat(a.get("reasonsText")).extracting(JsonNode::asText).containsExactly(
                "Amount is 8x the user's median payment", "4 payments by this user within one hour",
                "The merchant had 1 confirmed fraud case in the last 28 days",
                "Paid from a device not seen before for this user", "SOMETHING_NEW");
    }
}
