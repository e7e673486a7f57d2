package com.shopsense.tools.readers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.shopsense.sink.RedisKeys;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.resps.Tuple;

/**
 * {@code GET /shop}: the merchandiser's shop-wide view, read from Redis into one JSON document. The 1-minute KPI
 * windows of the last hour of event time (before the newest window) and the newest 1-hour window; the journey
 * action counts of that hour where the windows carry them; users per segment; trending items shop-wide and for
 * the categories of the top items; online recommendation quality and A/B counts per recommender version; the
 * latest alerts shop-wide with their threshold and reasons in words; the thresholds the scores are decided with.
 */
final class ShopOverview {
    static final long HOUR_MS = 3_600_000L;
    static final List<String> SOURCES = List.of("model", "trending", "all");
    static final List<String> ACTIONS = List.of("cartAbandonedActions", "enteredAtRiskActions", "highIntentActions");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final UnifiedJedis redis;
    private final RedisKeys keys;
    private final Catalogue catalogue;
    private final ScoreThresholds thresholds;
    private final KeyDirectory directory;
    private final int k;

    ShopOverview(UnifiedJedis redis, RedisKeys keys, Catalogue catalogue, ScoreThresholds thresholds,
            KeyDirectory directory, int k) {
        this.redis = redis;
        this.keys = keys;
        this.catalogue = catalogue;
        this.thresholds = thresholds;
        this.directory = directory;
        this.k = k;
    }

    ObjectNode read() throws IOException {
        ObjectNode n = JSON.createObjectNode();
        List<Tuple> newest = redis.zrevrangeWithScores(keys.kpi("1m"), 0, 0);
        List<String> hour = newest.isEmpty() ? List.of()
                : redis.zrangeByScore(keys.kpi("1m"), newest.get(0).getScore() - HOUR_MS + 1, newest.get(0).getScore());
        List<String> lastHourWindow = redis.zrevrange(keys.kpi("1h"), 0, 0);
        n.set("kpi", kpis(hour, lastHourWindow.isEmpty() ? null : lastHourWindow.get(0)));
        n.set("segments", segments(redis.hgetAll(keys.segmentCounts())));
        n.set("trending", trending());
        ArrayNode quality = n.putArray("recoQuality");
        for (String v : directory.recoVersions()) {
            quality.add(recoVersion(v, redis.hgetAll(keys.recoAb(v))));
        }
        List<String> ids = redis.zrevrange(keys.latestAlerts(), 0, 19);
        ArrayNode alerts = n.putArray("latestAlerts");
        if (!ids.isEmpty()) {
            for (String body : redis.hmget(keys.latestAlertBodies(), ids.toArray(new String[0]))) {
                if (body != null) {
                    alerts.add(UserView.alert(body));
                }
            }
        }
        n.set("thresholds", thresholds(thresholds));
        return n;
    }

    /**
     * The 1-minute windows (oldest first), the newest 1-hour window, the hour's span ({@code from}, {@code to} =
     * the newest window's end: the shop's event-time clock) and the journey action counts summed over the minutes
     * (null when no window carries them: the job writes them only once the journey triggers are deployed).
     */
    static ObjectNode kpis(List<String> minuteWindows, String hourWindow) throws IOException {
        ObjectNode n = JSON.createObjectNode();
        ArrayNode series = n.putArray("series");
        ObjectNode actions = JSON.createObjectNode();
        boolean anyActions = false;
        for (String w : minuteWindows) {
            JsonNode j = JSON.readTree(w);
            series.add(j);
            for (String a : ACTIONS) {
                if (j.has(a)) {
                    anyActions = true;
                    actions.put(a, actions.path(a).asLong(0) + j.get(a).asLong());
                }
            }
        }
        if (series.isEmpty()) {
            n.putNull("from");
            n.putNull("to");
        } else {
            n.put("from", series.get(0).path("start").asLong());
            n.put("to", series.get(series.size() - 1).path("end").asLong());
        }
        n.set("lastHour", hourWindow == null ? null : JSON.readTree(hourWindow));
        n.set("actions", anyActions ? actions : null);
        return n;
    }

    /** Users per segment in rule order (other names after), with their share and meaning. */
    static ObjectNode segments(Map<String, String> counts) {
        ObjectNode n = JSON.createObjectNode();
        Set<String> names = new LinkedHashSet<>(Segments.ORDER);
        names.addAll(new java.util.TreeSet<>(counts.keySet()));
        long total = 0;
        for (String s : names) {
            total += Math.max(0, parse(counts.get(s)));
        }
        ArrayNode list = n.putArray("bySegment");
        for (String s : names) {
            long users = Math.max(0, parse(counts.get(s)));
            ObjectNode e = list.addObject().put("name", s).put("users", users);
            if (total > 0) {
                e.put("share", (double) users / total);
            } else {
                e.putNull("share");
            }
            e.put("meaning", Segments.meaning(s));
        }
        n.put("users", total);
        return n;
    }

    private ObjectNode trending() {
        ObjectNode n = JSON.createObjectNode();
        List<Tuple> shop = redis.zrevrangeWithScores(keys.popular(), 0, k - 1);
        n.set("shop", items(shop, catalogue));
        // The categories of the shop's top items first (no scan needed), then any other trending category found.
        Set<String> cats = new LinkedHashSet<>();
        for (Tuple t : shop) {
            String c = catalogue.category(t.getElement());
            if (c != null) {
                cats.add(c);
            }
        }
        cats.addAll(directory.trendingCategories());
        ArrayNode byCat = n.putArray("categories");
        for (String c : cats) {
            if (byCat.size() >= 6) {
                break;
            }
            List<Tuple> top = redis.zrevrangeWithScores(keys.popular() + ":cat:" + c, 0, 4);
            if (!top.isEmpty()) {
                byCat.addObject().put("categoryId", c).set("items", items(top, Catalogue.empty()));
            }
        }
        return n;
    }

    static ArrayNode items(List<Tuple> top, Catalogue catalogue) {
        ArrayNode a = JSON.createArrayNode();
        for (Tuple t : top) {
            UserView.putCategory(a.addObject().put("itemId", t.getElement()).put("score", t.getScore()), catalogue);
        }
        return a;
    }

    /** One recommender version's A/B counts and online quality ({@code quality.<source>.*}; null where absent). */
    static ObjectNode recoVersion(String version, Map<String, String> h) {
        ObjectNode n = JSON.createObjectNode();
        n.put("version", version);
        for (String f : List.of("impressions", "clicks", "conversions")) {
            putNumber(n, f, h.get(f));
        }
        for (String f : List.of("ctr", "conversionRate")) {
            putNumber(n, f, h.get(f));
        }
        ObjectNode q = n.putObject("quality");
        for (String s : SOURCES) {
            if (!h.containsKey("quality." + s + ".lists")) {
                q.putNull(s);
                continue;
            }
            ObjectNode e = q.putObject(s);
            for (String f : List.of("lists", "hits", "hitRate", "mrr")) {
                putNumber(e, f, h.get("quality." + s + "." + f));
            }
        }
        return n;
    }

    static ObjectNode thresholds(ScoreThresholds t) {
        ObjectNode n = JSON.createObjectNode();
        putNumber(n, "highIntent", Double.toString(t.highIntent()));
        putNumber(n, "churnAtRisk", Double.toString(t.churnAtRisk()));
        putNumber(n, "fraudAlert", Double.toString(t.fraudAlert()));
        return n;
    }

    private static void putNumber(ObjectNode n, String field, String text) {
        if (text == null) {
            n.putNull(field);
            return;
        }
        try {
            double d = Double.parseDouble(text);
            if (!Double.isFinite(d)) {
                n.putNull(field);
            } else if (d == Math.rint(d) && Math.abs(d) < 1e15 && !text.contains(".")) {
                n.put(field, (long) d);
            } else {
                n.put(field, d);
            }
        } catch (NumberFormatException notANumber) {
            n.putNull(field);
        }
    }

    private static long parse(String s) {
        try {
            return s == null ? 0 : Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
