package com.shopsense.tools.readers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.shopsense.scoring.FraudAlert;
import com.shopsense.sink.RedisSettings;
import com.shopsense.testing.SharedRedis;
import com.sun.net.httpserver.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * /shop and /users/{id} against a real redis-server holding {@link DemoShop}: every number equals one computed
 * here from the fixture's own inputs (the hour's windows, the sums of the action counts, the newest alerts, the
 * manifest's thresholds read with plain Jackson).
 */
@ExtendWith(SharedRedis.class)
class ShopOverviewIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static StorefrontReader reader;
    private static HttpServer server;

    @BeforeAll
    static void seed() throws Exception {
        RedisSettings s = SharedRedis.settings("shop-overview");
        DemoShop.write(s);
        reader = new StorefrontReader(s, List.of(), 20, DemoShop.catalogue(), StorefrontReader.thresholdsOf("onnx-models"));
        server = reader.serve(0);
    }

    @AfterAll
    static void stop() {
        server.stop(0);
        reader.close();
    }

    @Test
    void theKpisAreTheLastHourOfMinuteWindowsWithTheActionCountsSummed() throws Exception {
        JsonNode k = get("/shop").get("kpi");
        long newestEnd = DemoShop.minute(DemoShop.MINUTES).end();
        List<Integer> inHour = new ArrayList<>();
        for (int i = 1; i <= DemoShop.MINUTES; i++) {
            if (DemoShop.minute(i).end() > newestEnd - 3_600_000L) {
                inHour.add(i);
            }
        }
        assertThat(k.get("series")).hasSize(inHour.size());
        assertThat(k.get("to").asLong()).isEqualTo(newestEnd);
        assertThat(k.get("from").asLong()).isEqualTo(DemoShop.minute(inHour.get(0)).start());
        for (int j = 0; j < inHour.size(); j++) {
            var m = DemoShop.minute(inHour.get(j));
            JsonNode w = k.get("series").get(j);
            assertThat(w.get("end").asLong()).isEqualTo(m.end());
            assertThat(w.get("activeSessions").asLong()).isEqualTo(m.activeSessions());
            assertThat(w.get("conversionRate").asDouble()).isCloseTo((double) m.convertedSessions() / m.sessions(),
                    org.assertj.core.data.Offset.offset(5e-5));
        }
        long[] sums = new long[3];
        for (int i : inHour) {
            long[] a = DemoShop.actions(i);
            for (int x = 0; a != null && x < 3; x++) {
                sums[x] += a[x];
            }
        }
        assertThat(k.get("actions").get("cartAbandonedActions").asLong()).isEqualTo(sums[0]);
        assertThat(k.get("actions").get("enteredAtRiskActions").asLong()).isEqualTo(sums[1]);
        assertThat(k.get("actions").get("highIntentActions").asLong()).isEqualTo(sums[2]);
        assertThat(k.get("lastHour").get("orders").asLong()).isEqualTo(DemoShop.hour().orders());
    }

    @Test
    void segmentsTrendingAndQualityAreThoseInRedis() throws Exception {
        JsonNode shop = get("/shop");
        long total = DemoShop.SEGMENTS.values().stream().mapToLong(Integer::longValue).sum();
        assertThat(shop.get("segments").get("users").asLong()).isEqualTo(total);
        for (JsonNode seg : shop.get("segments").get("bySegment")) {
            long users = DemoShop.SEGMENTS.get(seg.get("name").asText());
            assertThat(seg.get("users").asLong()).isEqualTo(users);
            assertThat(seg.get("share").asDouble()).isEqualTo((double) users / total);
        }

        JsonNode top = shop.get("trending").get("shop");
        assertThat(top).hasSize(20);
        for (int i = 0; i < 20; i++) {
            String item = DemoShop.TRENDING.get(i);
            assertThat(top.get(i).get("itemId").asText()).isEqualTo(item);
            assertThat(top.get(i).get("category").asText()).isEqualTo(DemoShop.CATEGORY.get(item));
        }
        JsonNode firstCat = shop.get("trending").get("categories").get(0);
        String cat = DemoShop.CATEGORY.get(DemoShop.TRENDING.get(0));
        assertThat(firstCat.get("categoryId").asText()).isEqualTo(cat);
        List<String> expected = DemoShop.TRENDING.stream().filter(i -> DemoShop.CATEGORY.get(i).equals(cat)).limit(5).toList();
        assertThat(firstCat.get("items").findValuesAsText("itemId")).isEqualTo(expected);
        assertThat(shop.get("trending").get("categories")).hasSize(4);

        JsonNode q = shop.get("recoQuality");
        assertThat(q.findValuesAsText("version")).containsExactly("demo-v1", "demo-v2");
        JsonNode v2 = q.get(1);
        assertThat(v2.get("impressions").asLong()).isEqualTo(4_000);
        assertThat(v2.get("ctr").asDouble()).isEqualTo(Math.round(150 / 4000.0 * 1e4) / 1e4);
        assertThat(v2.get("quality").get("model").get("hitRate").asDouble()).isEqualTo(Math.round(610 / 3500.0 * 1e4) / 1e4);
        assertThat(v2.get("quality").get("trending").get("lists").asLong()).isEqualTo(500);
        assertThat(v2.get("quality").get("all").get("hits").asLong()).isEqualTo(610 + 35);
    }

    @Test
    void theLatestAlertsShopWideAreTheNewestTwentyWithThresholdAndReasonsInWords() throws Exception {
        JsonNode alerts = get("/shop").get("latestAlerts");
        List<String> expected = DemoShop.ALERTS.stream().sorted(Comparator.comparingLong(FraudAlert::eventTime).reversed())
                .limit(20).map(FraudAlert::alertId).toList();
        assertThat(alerts.findValuesAsText("alertId")).isEqualTo(expected);
        JsonNode newest = alerts.get(0);
        assertThat(newest.get("threshold").asDouble()).isEqualTo(0.1207);
        assertThat(newest.get("reasonsText")).hasSameSizeAs(newest.get("reasons"));
        assertThat(newest.get("reasonsText").get(0).asText()).isNotEqualTo(newest.get("reasons").get(0).asText());
        assertThat(alerts.findValuesAsText("userId")).contains(DemoShop.HOSTILE, DemoShop.CUSTOMER);
        assertThat(get("/shop").get("thresholds").get("fraudAlert").asDouble()).isEqualTo(manifest("fraud", "alert"));
    }

    @Test
    void aCustomersScoresAreJudgedAgainstTheManifestThresholds() throws Exception {
        JsonNode u = get("/users/" + StorefrontReaderIT.encode(DemoShop.CUSTOMER));
        JsonNode intent = u.get("assessments").get(0);
        assertThat(intent.get("threshold").asDouble()).isEqualTo(manifest("intent", "highIntent"));
        assertThat(intent.get("atOrAbove").asBoolean()).isEqualTo(0.821 >= manifest("intent", "highIntent"));
        JsonNode churn = u.get("assessments").get(1);
        assertThat(churn.get("threshold").asDouble()).isEqualTo(manifest("churn", "atRisk"));
        assertThat(churn.get("decision").asText()).startsWith("at risk");
        assertThat(u.get("segment").get("name").asText()).isEqualTo("at_risk");
        JsonNode r = u.get("recommendations");
        assertThat(r.get("source").asText()).isEqualTo("model");
        assertThat(r.get("items").get(0).get("category").asText()).isEqualTo(DemoShop.CATEGORY.get(DemoShop.TRENDING.get(3)));
        assertThat(r.get("becauseYouLookedAt").findValuesAsText("itemId"))
                .containsExactly(DemoShop.TRENDING.get(0), DemoShop.TRENDING.get(1));
        long mine = DemoShop.ALERTS.stream().filter(a -> a.userId().equals(DemoShop.CUSTOMER)).count();
        assertThat(u.get("latestAlerts")).hasSize((int) mine);
    }

    @Test
    void aProspectHasNoChurnScoreAndGetsTheTrendingItems() throws Exception {
        JsonNode u = get("/users/" + StorefrontReaderIT.encode(DemoShop.PROSPECT));
        assertThat(u.get("scores").has("churn")).isFalse();
        assertThat(u.get("assessments").get(1).get("decision").asText()).isEqualTo("no churn score: not a customer yet");
        JsonNode r = u.get("recommendations");
        assertThat(r.get("source").asText()).isEqualTo("trending");
        assertThat(r.get("items").findValuesAsText("itemId")).isEqualTo(DemoShop.TRENDING.subList(0, 20));
    }

    @Test
    void onlyGetOfExactlyShopIsServed() throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri("/shop/x")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(404);
        HttpResponse<String> ok = HTTP.send(HttpRequest.newBuilder(uri("/shop")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(ok.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
        assertThat(ok.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    }

    private static double manifest(String model, String threshold) throws Exception {
        return JSON.readTree(Path.of("onnx-models", "manifest.json").toFile()).get("models").get(model)
                .get("thresholds").get(threshold).asDouble();
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    private static JsonNode get(String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri(path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path).isEqualTo(200);
        return JSON.readTree(r.body());
    }
}
