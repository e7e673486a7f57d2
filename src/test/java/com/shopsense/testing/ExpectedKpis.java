package com.shopsense.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.shopsense.event.EventType;
import com.shopsense.event.ShopEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import redis.clients.jedis.UnifiedJedis;

/**
 * The KPI windows of README "Live KPIs" computed straight from the input events, with none of the job's
 * classes: sessions cut from each user's sorted timestamps, active sessions as distinct sessions with an
 * event in the window, ended sessions by their last event, alerts from the alert topic's event ids.
 */
public final class ExpectedKpis {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] COUNTS = {"events", "activeSessions", "views", "cartAdds", "orders", "sessions",
            "convertedSessions", "cartSessions", "abandonedSessions", "scoredPayments", "alerts", "cartAbandonedActions",
            "enteredAtRiskActions", "highIntentActions"};
    /** The journey action types and the KPI count of each. */
    private static final Map<String, String> ACTION_COUNTS = Map.of("cart_abandoned", "cartAbandonedActions",
            "entered_at_risk", "enteredAtRiskActions", "high_intent", "highIntentActions");

    private ExpectedKpis() {
    }

    /**
     * Per window end: field -> value (counts, revenue, and the rates, null where undefined).
     *
     * @param actionTimes the journey actions on the topic: type -> their event times (each counted in its windows)
     */
    public static Map<Long, Map<String, Object>> compute(List<ShopEvent> events, Set<String> alertedEventIds,
            Map<String, List<Long>> actionTimes, Duration size, Duration slide, Duration gap, Duration maxDuration) {
        Map<Long, Map<String, Object>> out = new TreeMap<>();
        actionTimes.forEach((type, times) -> {
            String field = java.util.Objects.requireNonNull(ACTION_COUNTS.get(type), type);
            for (long t : times) {
                for (long end : ends(t, size, slide)) {
                    add(window(out, end), field, 1);
                }
            }
        });
        Map<String, List<ShopEvent>> byUser = new HashMap<>();
        for (ShopEvent e : events) {
            byUser.computeIfAbsent(e.userId(), k -> new ArrayList<>()).add(e);
        }
        Map<Long, Set<String>> active = new HashMap<>();
        for (List<ShopEvent> list : byUser.values()) {
            list.sort(Comparator.comparingLong(ShopEvent::timestampMs));
            long start = 0;
            long last = 0;
            int session = -1;
            boolean order = false;
            boolean cart = false;
            for (int i = 0; i < list.size(); i++) {
                ShopEvent e = list.get(i);
                long t = e.timestampMs();
                if (session < 0 || t >= last + gap.toMillis() || t >= start + maxDuration.toMillis()) {
                    if (session >= 0) {
                        ended(out, last, order, cart, size, slide);
                    }
                    session++;
                    start = t;
                    order = false;
                    cart = false;
                }
                last = t;
                order |= e.type() == EventType.ORDER;
                cart |= e.type() == EventType.ADD_TO_CART;
                for (long end : ends(t, size, slide)) {
                    Map<String, Object> w = window(out, end);
                    add(w, "events", 1);
                    add(w, "views", e.type() == EventType.VIEW ? 1 : 0);
                    add(w, "cartAdds", e.type() == EventType.ADD_TO_CART ? 1 : 0);
                    add(w, "orders", e.type() == EventType.ORDER ? 1 : 0);
                    w.merge("revenue", e.type() == EventType.ORDER ? value(e) : 0.0, (a, b) -> (Double) a + (Double) b);
                    boolean scored = e.type() == EventType.PAYMENT || (e.type() == EventType.ORDER && value(e) > 0);
                    add(w, "scoredPayments", scored ? 1 : 0);
                    add(w, "alerts", scored && alertedEventIds.contains(e.eventId()) ? 1 : 0);
                    active.computeIfAbsent(end, k -> new HashSet<>()).add(e.userId() + "#" + session);
                }
            }
            ended(out, last, order, cart, size, slide);
        }
        for (Map.Entry<Long, Map<String, Object>> w : out.entrySet()) {
            Map<String, Object> m = w.getValue();
            m.put("activeSessions", (long) active.getOrDefault(w.getKey(), Set.of()).size());
            m.put("conversionRate", ratio(m, "convertedSessions", "sessions"));
            m.put("cartAbandonment", ratio(m, "abandonedSessions", "cartSessions"));
            m.put("alertRate", ratio(m, "alerts", "scoredPayments"));
            m.put("averageOrderValue", (long) m.get("orders") == 0 ? null : (Double) m.get("revenue") / (long) m.get("orders"));
        }
        return out;
    }

    /** The journey actions on a topic (read committed) of the users {@code of} accepts: type -> event times. */
    public static Map<String, List<Long>> actionTimes(KafkaTestClient kafka, String topic,
            java.util.function.Predicate<String> of) throws Exception {
        return actionTimes(kafka.readAllCommitted(topic), of);
    }

    /**
     * The same over records already read: a cancelled job's last transaction stays open, so its test reads them
     * uncommitted ({@link KafkaTestClient#readAllWritten}); the KPI windows counted them as they were raised.
     */
    public static Map<String, List<Long>> actionTimes(List<org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]>> records,
            java.util.function.Predicate<String> of) throws Exception {
        Map<String, List<Long>> out = new HashMap<>();
        for (var r : records) {
            JsonNode a = JSON.readTree(r.value());
            if (!of.test(a.get("userId").asText())) {
                continue;
            }
            out.computeIfAbsent(a.get("type").asText(), k -> new ArrayList<>()).add(a.get("eventTime").asLong());
        }
        return out;
    }

    /** The job's windows of one time series in Redis, parsed the same way. */
    public static Map<Long, Map<String, Object>> fromRedis(UnifiedJedis redis, String key) throws Exception {
        Map<Long, Map<String, Object>> out = new TreeMap<>();
        for (String member : redis.zrange(key, 0, -1)) {
            JsonNode n = JSON.readTree(member);
            Map<String, Object> m = new LinkedHashMap<>();
            for (String c : COUNTS) {
                m.put(c, n.get(c).asLong());
            }
            m.put("start", n.get("start").asLong());
            m.put("revenue", n.get("revenue").asDouble());
            for (String r : new String[] {"conversionRate", "cartAbandonment", "alertRate", "averageOrderValue"}) {
                m.put(r, n.get(r).isNull() ? null : n.get(r).asDouble());
            }
            out.put(n.get("end").asLong(), m);
        }
        return out;
    }

    /**
     * Event ids of the users' alerts as the job wrote them to Redis (set redis.alerts-per-user high): which
     * payments alert is the model's decision, which the KPIs only count.
     */
    public static Set<String> alertedEventIds(UnifiedJedis redis, com.shopsense.sink.RedisKeys keys,
            java.util.Collection<String> users) throws Exception {
        Set<String> out = new HashSet<>();
        for (String user : users) {
            for (String body : redis.hgetAll(keys.alertBodies(user)).values()) {
                out.add(JSON.readTree(body).get("eventId").asText());
            }
        }
        return out;
    }

    /** Same windows; counts equal; revenue, AOV and rates equal up to the 2 or 4 decimals written. */
    public static void assertSame(Map<Long, Map<String, Object>> actual, Map<Long, Map<String, Object>> expected,
            String what) {
        org.assertj.core.api.Assertions.assertThat(actual.keySet()).as("%s: window ends", what)
                .containsExactlyElementsOf(expected.keySet());
        for (Map.Entry<Long, Map<String, Object>> w : expected.entrySet()) {
            Map<String, Object> a = actual.get(w.getKey());
            String at = what + " window ending " + java.time.Instant.ofEpochMilli(w.getKey());
            for (String c : COUNTS) {
                org.assertj.core.api.Assertions.assertThat(a.get(c)).as("%s %s", at, c).isEqualTo(w.getValue().get(c));
            }
            closeTo(a, w.getValue(), "revenue", 0.0051, at);
            closeTo(a, w.getValue(), "averageOrderValue", 0.0051, at);
            for (String r : new String[] {"conversionRate", "cartAbandonment", "alertRate"}) {
                closeTo(a, w.getValue(), r, 0.00006, at);
            }
        }
    }

    private static void closeTo(Map<String, Object> a, Map<String, Object> e, String field, double tol, String at) {
        if (e.get(field) == null) {
            org.assertj.core.api.Assertions.assertThat(a.get(field)).as("%s %s", at, field).isNull();
        } else {
            org.assertj.core.api.Assertions.assertThat((Double) a.get(field)).as("%s %s", at, field)
                    .isCloseTo((Double) e.get(field), org.assertj.core.api.Assertions.within(tol));
        }
    }

    private static double value(ShopEvent e) {
        if (e.amount() != null) {
            return e.amount();
        }
        return e.price() == null ? 0.0 : e.price() * (e.quantity() == null ? 1 : e.quantity());
    }

    private static void ended(Map<Long, Map<String, Object>> out, long last, boolean order, boolean cart,
            Duration size, Duration slide) {
        for (long end : ends(last, size, slide)) {
            Map<String, Object> w = window(out, end);
            add(w, "sessions", 1);
            add(w, "convertedSessions", order ? 1 : 0);
            add(w, "cartSessions", cart ? 1 : 0);
            add(w, "abandonedSessions", cart && !order ? 1 : 0);
        }
    }

    /** Ends of the epoch-aligned windows [end - size, end) that contain t. */
    private static List<Long> ends(long t, Duration size, Duration slide) {
        List<Long> ends = new ArrayList<>();
        long s = slide.toMillis();
        for (long end = (t / s + 1) * s; end - size.toMillis() <= t; end += s) {
            ends.add(end);
        }
        return ends;
    }

    private static Map<String, Object> window(Map<Long, Map<String, Object>> out, long end) {
        return out.computeIfAbsent(end, k -> {
            Map<String, Object> m = new LinkedHashMap<>();
            for (String c : COUNTS) {
                m.put(c, 0L);
            }
            m.put("revenue", 0.0);
            return m;
        });
    }

    private static void add(Map<String, Object> w, String field, long v) {
        w.merge(field, v, (a, b) -> (Long) a + (Long) b);
    }

    private static Double ratio(Map<String, Object> m, String num, String den) {
        long d = (long) m.get(den);
        return d == 0 ? null : (double) (long) m.get(num) / d;
    }
}
