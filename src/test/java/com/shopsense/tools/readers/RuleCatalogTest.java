package com.shopsense.tools.readers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.shopsense.event.FraudRule;
import com.shopsense.event.InvalidEventException;
import com.shopsense.event.RuleDocs;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The console's view of the rules topic and the versions its disable and rollback commands publish. */
class RuleCatalogTest {
    private static final long T = 1_530_403_200_000L;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BIG = RuleDocs.compare("amount", ">=", 500);
    private static final String HUGE = RuleDocs.compare("amount", ">=", 5000);

    private static RuleCatalog catalog() {
        RuleCatalog c = new RuleCatalog();
        assertThat(c.add(RuleDocs.bytes("big", 1, true, T, BIG, "alert"))).isTrue();
        assertThat(c.add(RuleDocs.bytes("big", 2, true, T + 10, HUGE, "score_boost"))).isTrue();
        assertThat(c.add(RuleDocs.bytes("big", 1, true, T, BIG, "allow"))).as("valid, but the first v1 stays")
                .isTrue();
        assertThat(c.add("{\"ruleId\":".getBytes())).as("invalid documents are ignored").isFalse();
        return c;
    }

    @Test
    void theNewestVersionOfEachRuleIsListedAndTheFirstDocumentOfAVersionWins() {
        RuleCatalog c = catalog();
        assertThat(c.latest()).singleElement().satisfies(n -> assertThat(n.get("version").asInt()).isEqualTo(2));
        assertThat(c.version("big", 1).get("action").asText()).isEqualTo("alert");
    }

    @Test
    void disablingPublishesTheNextVersionSwitchedOff() throws Exception {
        Instant at = Instant.ofEpochMilli(T + 100);
        FraudRule r = RuleDocs.parse(catalog().disable("big", at));
        assertThat(r.key()).isEqualTo("big@3");
        assertThat(r.enabled()).isFalse();
        assertThat(r.effectiveFrom()).isEqualTo(T + 100);
        assertThat(r.action()).isEqualTo(FraudRule.Action.SCORE_BOOST);
    }

    @Test
    void rollingBackPublishesTheOldConditionAsTheNextVersion() throws Exception {
        byte[] doc = catalog().rollback("big", 1, Instant.ofEpochMilli(T + 100));
        FraudRule r = RuleDocs.parse(doc);
        assertThat(r.key()).isEqualTo("big@3");
        assertThat(r.enabled()).isTrue();
        assertThat(r.action()).isEqualTo(FraudRule.Action.ALERT);
        JsonNode n = JSON.readTree(doc);
        assertThat(n.get("condition")).isEqualTo(JSON.readTree(BIG));
    }

    @Test
    void publishingRefusesAKnownVersionAndABrokenDocument() {
        RuleCatalog c = catalog();
        assertThatThrownBy(() -> c.publish(RuleDocs.bytes("big", 2, true, T, BIG, "alert")))
                .isInstanceOf(InvalidEventException.class).hasMessageStartingWith("version_conflict");
        assertThatThrownBy(() -> c.publish("{\"ruleId\":\"x\"}".getBytes()))
                .isInstanceOf(InvalidEventException.class).hasMessageStartingWith("missing_field");
        assertThatThrownBy(() -> c.rollback("big", 7, Instant.now())).hasMessageStartingWith("unknown_rule");
    }
}
