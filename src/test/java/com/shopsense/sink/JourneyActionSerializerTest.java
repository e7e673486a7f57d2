package com.shopsense.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.shopsense.event.EventRef;
import com.shopsense.scoring.JourneyAction;
import com.shopsense.scoring.JourneyActions;
import com.shopsense.session.CartAtClose;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** The JSON of docs/actions.md: common fields, the type's own, nothing of the other types. */
class JourneyActionSerializerTest {
    private static JsonNode json(ProducerRecord<byte[], byte[]> r) throws Exception {
        return new ObjectMapper().readTree(r.value());
    }

    @Test
    void aCartAbandonedActionCarriesItsCartAndTheIntentAtCloseKeyedByUser() throws Exception {
        JourneyAction a = JourneyActions.cartAbandoned("u1", "u1-100", 500L,
                new CartAtClose(new String[] {"i1", "i2"}, 31.5, 3, "gap"), 0.41234f, "v7", 0.709793);
        ProducerRecord<byte[], byte[]> r = new JourneyActionSerializer("shop-actions").serialize(a, null, null);
        assertThat(r.topic()).isEqualTo("shop-actions");
        assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("u1");
        assertThat(r.timestamp()).as("the producer stamps its send time").isNull();
        JsonNode n = json(r);
        assertThat(n.fieldNames()).toIterable().containsExactly("actionId", "type", "userId", "eventTime", "model",
                "modelVersion", "reason", "score", "threshold", "sessionId", "items", "cartValue", "cartSize",
                "closeReason");
        assertThat(n.get("actionId").asText()).isEqualTo(JourneyActions.id("cart_abandoned", "u1", "u1-100"))
                .matches("[0-9a-f]{32}");
        assertThat(n.get("items").get(1).asText()).isEqualTo("i2");
        assertThat(n.get("score").asDouble()).isEqualTo(0.4123);
        assertThat(n.get("threshold").asDouble()).isEqualTo(0.7098);
        assertThat(n.get("reason").asText()).isEqualTo("session closed (inactivity) with 3 items worth 31.5000 left in "
                + "the cart, purchase intent at close 0.4123 (below the high-intent threshold 0.7098)");
    }

    @Test
    void highIntentAndEnteredAtRiskCarryTheirOwnFieldsOnly() throws Exception {
        JsonNode high = json(new JourneyActionSerializer("t").serialize(
                JourneyActions.highIntent(new EventRef("u2", "e9", 700L), "u2-1", 0.8f, "v1", 0.709793), null, null));
        assertThat(high.fieldNames()).toIterable().containsExactly("actionId", "type", "userId", "eventTime", "model",
                "modelVersion", "reason", "score", "threshold", "sessionId", "eventId");
        assertThat(high.get("eventId").asText()).isEqualTo("e9");
        JsonNode risk = json(new JourneyActionSerializer("t").serialize(
                JourneyActions.enteredAtRisk("u3", 900L, "loyal", 0.35f, "c2", 0.2911, 53), null, null));
        assertThat(risk.fieldNames()).toIterable().containsExactly("actionId", "type", "userId", "eventTime", "model",
                "modelVersion", "reason", "score", "threshold", "fromSegment");
        assertThat(risk.get("reason").asText())
                .isEqualTo("churn score 0.3500 at or above the at-risk threshold 0.2911, was loyal");
    }

    @Test
    void idsDependOnTypeUserAndFactOnly() {
        assertThat(JourneyActions.id("high_intent", "u", "s1")).isEqualTo(JourneyActions.id("high_intent", "u", "s1"))
                .isNotEqualTo(JourneyActions.id("cart_abandoned", "u", "s1"))
                .isNotEqualTo(JourneyActions.id("high_intent", "u", "s2"))
                .isNotEqualTo(JourneyActions.id("high_intent", "v", "s1"));
    }
}
