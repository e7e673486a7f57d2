package com.shopsense.tools.readers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The JSON of /shop from what Redis holds: KPI series, actions, segments, per-version quality. */
class ShopOverviewTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void kpiWindowsBecomeASeriesAndActionsAreSummedOnlyWhereTheWindowsCarryThem() throws Exception {
        String w1 = "{\"end\":120000,\"start\":60000,\"conversionRate\":0.5,\"cartAbandonedActions\":2,\"highIntentActions\":1}";
        String w2 = "{\"end\":180000,\"start\":120000,\"conversionRate\":null,\"cartAbandonedActions\":3,\"enteredAtRiskActions\":4}";
        ObjectNode k = ShopOverview.kpis(List.of(w1, w2), "{\"end\":180000,\"orders\":7}");
        assertThat(k.get("series")).hasSize(2);
        assertThat(k.get("from").asLong()).isEqualTo(60_000);
        assertThat(k.get("to").asLong()).isEqualTo(180_000);
        assertThat(k.get("lastHour").get("orders").asInt()).isEqualTo(7);
        assertThat(k.get("actions").get("cartAbandonedActions").asLong()).isEqualTo(2 + 3);
        assertThat(k.get("actions").get("enteredAtRiskActions").asLong()).isEqualTo(4);
        assertThat(k.get("actions").get("highIntentActions").asLong()).isEqualTo(1);

        ObjectNode none = ShopOverview.kpis(List.of("{\"end\":1,\"start\":0}"), null);
        assertThat(none.get("actions").isNull()).as("windows of a job without journey triggers").isTrue();
        assertThat(none.get("lastHour").isNull()).isTrue();
        assertThat(ShopOverview.kpis(List.of(), null).get("to").isNull()).isTrue();
    }

    @Test
    void segmentsComeInRuleOrderWithSharesAndMeanings() {
        ObjectNode s = ShopOverview.segments(Map.of("active", "30", "prospect", "60", "loyal", "10", "odd", "x"));
        List<String> names = JSON.convertValue(s.get("bySegment").findValues("name"), List.class);
        assertThat(names).containsExactly("prospect", "new", "active", "loyal", "at_risk", "dormant", "odd");
        assertThat(s.get("users").asLong()).isEqualTo(100);
        JsonNode prospect = s.get("bySegment").get(0);
        assertThat(prospect.get("share").asDouble()).isEqualTo(0.6);
        assertThat(prospect.get("meaning").asText()).isEqualTo("Has not ordered yet");
        assertThat(s.get("bySegment").get(1).get("users").asLong()).isZero();
        assertThat(ShopOverview.segments(Map.of()).get("bySegment").get(0).get("share").isNull()).isTrue();
    }

    @Test
    void aVersionsQualityFieldsAreReadPerSourceAndAbsentSourcesAreNull() {
        ObjectNode v = ShopOverview.recoVersion("v1", Map.of("impressions", "100", "clicks", "3", "ctr", "0.0300",
                "conversions", "1", "conversionRate", "0.0100", "quality.model.lists", "40", "quality.model.hits", "10",
                "quality.model.hitRate", "0.2500", "quality.model.mrr", "0.1000", "sequence", "9"));
        assertThat(v.get("version").asText()).isEqualTo("v1");
        assertThat(v.get("impressions").asLong()).isEqualTo(100);
        assertThat(v.get("ctr").asDouble()).isEqualTo(0.03);
        assertThat(v.get("quality").get("model").get("lists").asLong()).isEqualTo(40);
        assertThat(v.get("quality").get("model").get("hitRate").asDouble()).isEqualTo(0.25);
        assertThat(v.get("quality").get("model").get("mrr").asDouble()).isEqualTo(0.1);
        assertThat(v.get("quality").get("trending").isNull()).isTrue();
        assertThat(v.get("quality").get("all").isNull()).isTrue();
        assertThat(v.has("sequence")).as("internal fields stay internal").isFalse();
    }

    @Test
    void missingThresholdsAreNullNotNaN() {
        ObjectNode t = ShopOverview.thresholds(new ScoreThresholds(0.71, Double.NaN, 0.12));
        assertThat(t.get("highIntent").asDouble()).isEqualTo(0.71);
        assertThat(t.get("churnAtRisk").isNull()).isTrue();
    }
}
