package com.shopsense.sink;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.shopsense.feedback.AlertQuality;
import com.shopsense.feedback.RuleQuality;
import com.shopsense.feedback.RecoAbTotals;
import com.shopsense.feedback.RecoQuality;
import com.shopsense.insight.KpiWindow;
import com.shopsense.insight.ReviewFact;
import com.shopsense.insight.ReviewWindow;
import com.shopsense.insight.SegmentCount;
import com.shopsense.insight.TrendingList;
import com.shopsense.scoring.Decimals;
import com.shopsense.scoring.FraudAlert;
import com.shopsense.scoring.Recommendation;
import com.shopsense.scoring.UserScoreUpdate;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Turns the job's output records into {@link RedisWrite}s (the JSON values of README "Outputs"). */
public final class RedisWrites {
    private static final JsonFactory JSON = new JsonFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private RedisWrites() {
    }

    /**
     * {@code {"generatedAt":..,"userId":..,"items":[{"itemId":..,"score":..}],"source":..,"model":..,"version":..,"eventId":..,"recentItems":[..]}}.
     * generatedAt comes first (documented in docs/redis.md: a reader may take it with a pattern, without decoding).
     */
    public static String recommendationJson(Recommendation r) {
        if (r.itemIds().length != r.scores().length) {
            throw new IllegalArgumentException("itemIds and scores differ in length for user " + r.userId());
        }
        StringBuilder b = new StringBuilder(96 + 40 * r.itemIds().length);
        b.append("{\"generatedAt\":").append(r.generatedAt()).append(",\"userId\":");
        JsonText.string(b, r.userId()).append(",\"items\":[");
        for (int i = 0; i < r.itemIds().length; i++) {
            b.append(i == 0 ? "{\"itemId\":" : ",{\"itemId\":");
            JsonText.string(b, r.itemIds()[i]).append(",\"score\":").append(Decimals.fixed4(r.scores()[i])).append('}');
        }
        b.append("],\"source\":");
        JsonText.string(b, r.source()).append(",\"model\":");
        JsonText.string(b, r.model()).append(",\"version\":");
        JsonText.string(b, r.modelVersion()).append(",\"eventId\":");
        JsonText.string(b, r.eventId()).append(",\"recentItems\":[");
        String[] recent = r.recentItems() == null ? new String[0] : r.recentItems();
        for (int i = 0; i < recent.length; i++) {
            JsonText.string(i == 0 ? b : b.append(','), recent[i]);
        }
        return b.append("]}").toString();
    }

    /**
     * One SET ... PX: the list is replaced as a whole. Plain, without a check of the stored generatedAt: the
     * recommendations of one user reach the sink in order (ordered async call, forwarded to the sink).
     */
    public static RedisWrite recommendation(Recommendation r, RedisKeys keys, RedisSettings s) {
        String key = keys.reco(r.userId());
        return new PlainWrite(key, List.of(RedisCommand.setPx(key, recommendationJson(r), s.recoTtlMs())));
    }

    /**
     * An update from a stream that is in order per user (intent, churn, segment) becomes a {@link HashFieldsWrite}
     * (HSET fields + updatedAt and PEXPIRE, merged with the user's other pending ones); fraud, whose scores come
     * through the merchant-keyed enrichment and may arrive out of order, runs the SCORES script, which keeps per
     * field the value with the newest event time.
     */
    public static RedisWrite scores(UserScoreUpdate u, RedisKeys keys, RedisSettings s) {
        if (u.fields().length != u.values().length || u.fields().length == 0) {
            throw new IllegalArgumentException("score update of " + u.userId() + " needs as many values as fields (>0)");
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < u.fields().length; i++) {
            String f = u.fields()[i];
            if (f == null || f.isEmpty() || f.equals("updatedAt") || !seen.add(f) || u.values()[i] == null) {
                throw new IllegalArgumentException("bad or repeated score field '" + f + "' for user " + u.userId());
            }
        }
        return u.inOrder() ? plainScores(u, keys, s) : scriptScores(u, keys, s);
    }

    private static RedisWrite plainScores(UserScoreUpdate u, RedisKeys keys, RedisSettings s) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i < u.fields().length; i++) {
            fields.put(u.fields()[i], u.values()[i]);
        }
        // Merged with the user's other pending hash writes of this batch: the later value of a field wins.
        return new HashFieldsWrite(keys.scores(u.userId()), fields, u.updatedAt(), s.scoresTtlMs());
    }

    private static RedisWrite scriptScores(UserScoreUpdate u, RedisKeys keys, RedisSettings s) {
        List<String> args = new ArrayList<>(2 + 2 * u.fields().length);
        args.add(Long.toString(u.updatedAt()));
        args.add(Long.toString(s.scoresTtlMs()));
        for (int i = 0; i < u.fields().length; i++) {
            args.add(u.fields()[i]);
            args.add(u.values()[i]);
        }
        return new ScriptWrite(RedisScript.SCORES, List.of(keys.scores(u.userId()), keys.scoresVersions(u.userId())),
                args);
    }

    /** The user's latest alerts (per-user slot). */
    public static RedisWrite alert(FraudAlert a, RedisKeys keys, RedisSettings s) {
        return new ScriptWrite(RedisScript.ALERT, List.of(keys.alerts(a.userId()), keys.alertBodies(a.userId())),
                List.of(Long.toString(a.eventTime()), a.alertId(), alertJson(a), Long.toString(s.alertsTtlMs()),
                        Integer.toString(s.alertsPerUser())));
    }

    /**
     * The shop-wide latest alerts: the same ALERT script on the {alerts} slot (a cluster forbids one script
     * across the user's slot and this one), so it is as idempotent under replays as the per-user write.
     */
    public static RedisWrite shopWideAlert(FraudAlert a, RedisKeys keys, RedisSettings s) {
        return new ScriptWrite(RedisScript.ALERT, List.of(keys.latestAlerts(), keys.latestAlertBodies()),
                List.of(Long.toString(a.eventTime()), a.alertId(), alertJson(a), Long.toString(s.alertsTtlMs()),
                        Integer.toString(s.alertsShopWide())));
    }

    /** Both writes of an alert, the user's first: what the alert sink sends (alerts are rare, two calls are cheap). */
    public static List<RedisWrite> alerts(FraudAlert a, RedisKeys keys, RedisSettings s) {
        return List.of(alert(a, keys, s), shopWideAlert(a, keys, s));
    }

    /** The alert-quality totals of one model version (README "Fraud labels"). */
    public static RedisWrite alertQuality(AlertQuality q, RedisKeys keys, long ttlMs) {
        return new ScriptWrite(RedisScript.TOTALS, List.of(keys.alertQuality(q.modelVersion())), List.of(
                Long.toString(q.sequence()), Long.toString(ttlMs),
                "alerts", Long.toString(q.alerts()),
                "alertsConfirmedFraud", Long.toString(q.alertedFraud()),
                "alertsConfirmedLegit", Long.toString(q.alertedLegit()),
                "confirmedFraud", Long.toString(q.fraudLabels()),
                "confirmedLegit", Long.toString(q.legitLabels()),
                "precision", ratio(q.precision()),
                "decidedPrecision", ratio(q.decidedPrecision()),
                "recall", ratio(q.recall())));
    }

    /** The quality totals of one fraud rule version (docs/fraud.md "Fraud rules"). */
    public static RedisWrite ruleQuality(RuleQuality q, RedisKeys keys, long ttlMs) {
        return new ScriptWrite(RedisScript.TOTALS, List.of(keys.ruleQuality(q.ruleKey())), List.of(
                Long.toString(q.sequence()), Long.toString(ttlMs),
                "hits", Long.toString(q.hits()),
                "alerts", Long.toString(q.alerts()),
                "hitsConfirmedFraud", Long.toString(q.hitsFraud()),
                "hitsConfirmedLegit", Long.toString(q.hitsLegit()),
                "alertsConfirmedFraud", Long.toString(q.alertsFraud()),
                "alertsConfirmedLegit", Long.toString(q.alertsLegit()),
                "precision", ratio(q.precision()),
                "decidedPrecision", ratio(q.decidedPrecision())));
    }

    /** The A/B totals of one recommender version (README "Recommendation A/B and model hot-swap"). */
    public static RedisWrite recoAb(RecoAbTotals t, RedisKeys keys, long ttlMs) {
        List<String> args = new ArrayList<>(2 + 2 * (5 + 3 * 4));
        Collections.addAll(args, Long.toString(t.sequence()), Long.toString(ttlMs),
                "impressions", Long.toString(t.impressions()),
                "clicks", Long.toString(t.clicks()),
                "ctr", ratio(t.ctr()),
                "conversions", Long.toString(t.conversions()),
                "conversionRate", ratio(t.conversionRate()));
        quality(args, "model", t.model());
        quality(args, "trending", t.trending());
        quality(args, "all", t.all());
        return new ScriptWrite(RedisScript.TOTALS, List.of(keys.recoAb(t.modelVersion())), args);
    }

    /** {@code quality.<source>.lists/hits/hitRate/mrr}: online HitRate@20 and MRR@20 (docs/models.md). */
    private static void quality(List<String> args, String source, RecoQuality q) {
        String p = "quality." + source + ".";
        Collections.addAll(args, p + "lists", Long.toString(q.lists()), p + "hits", Long.toString(q.hits()),
                p + "hitRate", ratio(q.hitRate()), p + "mrr", ratio(q.mrr()));
    }

    /** One segment's user count (README "Segments"). */
    public static RedisWrite segmentCount(SegmentCount c, RedisKeys keys) {
        return new ScriptWrite(RedisScript.COUNT, List.of(keys.segmentCounts(), keys.segmentCountsVersions()),
                List.of(c.segment(), Long.toString(c.users()), Long.toString(c.sequence())));
    }

    /** One KPI window, kept for {@code retentionMs} of event time (README "Live KPIs"). */
    public static RedisWrite kpi(KpiWindow w, RedisKeys keys, long retentionMs) {
        return new ScriptWrite(RedisScript.KPI, List.of(keys.kpi(w.window())),
                List.of(Long.toString(w.end()), kpiJson(w), Long.toString(retentionMs)));
    }

    /**
     * One scope's trending list (shop-wide or a category), swapped in as a whole with plain commands
     * ({@link SortedSetReplace}); an empty list removes the key. Plain, without a check of the window: each scope's
     * lists reach the sink in window order (the scope-keyed TrendingTopK, forwarded to the sink), so the last one
     * sent wins (docs/redis.md "Write semantics"). Scores are the decayed scores, exactly; items best first, as the
     * list has them (the cheap order for ZADD).
     */
    public static RedisWrite trending(TrendingList l, RedisKeys keys, long ttlMs) {
        String key = l.categoryId() == null ? keys.popular() : keys.popularCategory(l.categoryId());
        return new SortedSetReplace(key, RedisKeys.trendingStaging(key), l.itemIds(), l.scores(), ttlMs);
    }

    /**
     * One product's or category's review window (docs/redis.md "Review insight"): every field replaced, the newest
     * window wins (sequence = window end: a replay after a restore rewrites the same or skips older windows). A
     * mean without a denominator in the window is empty; the key expires {@code ttlMs} after the last write.
     */
    public static RedisWrite reviewWindow(ReviewWindow w, RedisKeys keys, long ttlMs) {
        String key = ReviewFact.CATEGORY.equals(w.scope()) ? keys.reviewCategory(w.id()) : keys.reviewItem(w.id());
        return new ScriptWrite(RedisScript.TOTALS, List.of(key), List.of(
                Long.toString(w.windowEnd()), Long.toString(ttlMs),
                "count", Long.toString(w.reviews()),
                "rated", Long.toString(w.rated()),
                "scored", Long.toString(w.scored()),
                "meanRating", orEmpty(w.meanRating()),
                "shareNegative", orEmpty(w.shareNegative()),
                "meanSentiment", orEmpty(w.meanSentiment()),
                "windowEnd", Long.toString(w.windowEnd()),
                "modelVersion", w.modelVersion() == null ? "" : w.modelVersion()));
    }

    private static String orEmpty(double v) {
        return Double.isNaN(v) ? "" : ratio(v);
    }

    /**
     * {@code {"end":..,"start":..,"activeSessions":..,...,"conversionRate":"0.1234",...}}; a rate without a
     * denominator in the window is null. end comes first, like the score, so members sort by time.
     */
    public static String kpiJson(KpiWindow w) {
        StringWriter out = new StringWriter(400);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("end", w.end());
            g.writeNumberField("start", w.start());
            g.writeNumberField("events", w.events());
            g.writeNumberField("activeSessions", w.activeSessions());
            g.writeNumberField("views", w.views());
            g.writeNumberField("cartAdds", w.cartAdds());
            g.writeNumberField("orders", w.orders());
            g.writeFieldName("revenue");
            g.writeNumber(money(w.revenue()));
            g.writeNumberField("sessions", w.sessions());
            g.writeNumberField("convertedSessions", w.convertedSessions());
            g.writeNumberField("cartSessions", w.cartSessions());
            g.writeNumberField("abandonedSessions", w.abandonedSessions());
            g.writeNumberField("scoredPayments", w.scoredPayments());
            g.writeNumberField("alerts", w.alerts());
            g.writeNumberField("cartAbandonedActions", w.cartAbandonedActions());
            g.writeNumberField("enteredAtRiskActions", w.enteredAtRiskActions());
            g.writeNumberField("highIntentActions", w.highIntentActions());
            rate(g, "conversionRate", w.conversionRate());
            rate(g, "cartAbandonment", w.cartAbandonment());
            g.writeFieldName("averageOrderValue");
            if (Double.isNaN(w.averageOrderValue())) {
                g.writeNull();
            } else {
                g.writeNumber(money(w.averageOrderValue()));
            }
            rate(g, "alertRate", w.alertRate());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** Two decimals (low-rate output: the formatter's cost does not matter here). */
    private static String money(double v) {
        return String.format(java.util.Locale.ROOT, "%.2f", v);
    }

    private static void rate(JsonGenerator g, String field, double v) throws IOException {
        g.writeFieldName(field);
        if (Double.isNaN(v)) {
            g.writeNull();
        } else {
            g.writeNumber(Decimals.fixed4(v));
        }
    }

    private static String ratio(double v) {
        return Decimals.fixed4(v);
    }

    /** The alert JSON of the Kafka topic (same document in Redis and on Kafka). */
    public static String alertJson(FraudAlert a) {
        try {
            return MAPPER.writeValueAsString(alertNode(a));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode alertNode(FraudAlert a) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("schemaVersion", 1);
        n.put("alertId", a.alertId());
        n.put("userId", a.userId());
        n.put("eventId", a.eventId());
        n.put("score", a.score());
        n.put("threshold", a.threshold());
        n.put("model", a.model());
        n.put("modelVersion", a.modelVersion());
        var reasons = n.putArray("reasons");
        if (a.reasons() != null) {
            for (String r : a.reasons()) {
                reasons.add(r);
            }
        }
        n.put("eventTime", a.eventTime());
        n.put("emittedAt", a.emittedAt());
        n.put("merchantId", a.merchantId());
        n.put("amount", a.amount());
        if (a.deviceRef() != null) {
            n.put("deviceRef", a.deviceRef());
        }
        if (a.cardRef() != null) {
            n.put("cardRef", a.cardRef());
        }
        return n;
    }
}
