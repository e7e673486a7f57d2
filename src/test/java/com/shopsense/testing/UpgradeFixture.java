package com.shopsense.testing;

import com.shopsense.event.EventJson;
import com.shopsense.event.EventType;
import com.shopsense.event.ShopEvent;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The input of the upgrade test ({@code PojoSavepointMigrationIT}) and of the program that made its savepoint with
 * the release before ({@code PojoSavepointGeneratorIT}, run in a worktree of that commit): 300 users, their events
 * before {@link #CUT} (what the old job read before its savepoint) and after it (what the new job reads after the
 * restore). It must not change once a savepoint is made of it: the savepoint's source offsets point into it.
 *
 * <p>Every user has a first session of browsing, a cart, most an order and a payment, that closes well before the
 * cut (a profile with orders and payments, a churn score and a segment). Two users in three start a second
 * session minutes before the cut that goes on after it (open at the savepoint); the third user comes back only
 * after the cut.
 */
public final class UpgradeFixture {
    /** 2023-11-14 22:13:20 UTC. */
    public static final long T0 = 1_700_000_000_000L;
    private static final long MIN = 60_000L;
    /** Events before this time are in the savepoint, the others come after the restore. */
    public static final long CUT = T0 + 180 * MIN;
    public static final int USERS = 300;
    /** The input topic the savepoint's source offsets belong to (the restoring test recreates it). */
    public static final String EVENTS_TOPIC = "upgrade-pojo-events";
    public static final String LABELS_TOPIC = "upgrade-pojo-labels";
    /** Items of the Taobao slice (known to the recommender). */
    private static final String[] ITEMS = {"214839313", "214717003", "214826705", "2268318", "2333346", "2576651",
        "3830808", "4365585", "4606018", "230380", "3827899", "3745169", "1531036", "2266567", "2951368",
        "3108797", "1338525", "2286574", "5002615", "2734026"};
    private static final String[] COUNTRIES = {"DE", "FR", "NL", "PL"};

    public final List<ShopEvent> events;
    /** Index of the first event at or after {@link #CUT} in {@link #events}. */
    public final int split;

    private UpgradeFixture(List<ShopEvent> events) {
        this.events = events;
        int s = 0;
        while (s < events.size() && events.get(s).timestampMs() < CUT) {
            s++;
        }
        this.split = s;
    }

    public static UpgradeFixture build() {
        List<ShopEvent> all = new ArrayList<>();
        for (int u = 0; u < USERS; u++) {
            Random r = new Random(17L * u + 5);
            String user = String.format("u-%03d", u);
            String device = "dev-" + u;
            String card = "card-" + u;
            String country = COUNTRIES[u % COUNTRIES.length];
            int[] seq = {0};
            // First session: within the first hour, closed by the gap (30 min) long before the cut.
            long t = T0 + r.nextInt(60) * MIN + r.nextInt(60_000);
            session(all, r, user, device, card, country, seq, t, 3 + r.nextInt(6), u % 5 != 0);
            if (u % 3 != 2) {
                // Open across the cut: starts 2-9 minutes before it, goes on 1-9 minutes after it.
                long start = CUT - (2 + r.nextInt(8)) * MIN;
                session(all, r, user, device, card, country, seq, start, 2 + r.nextInt(3), false);
                session(all, r, user, device, card, country, seq, CUT + (1 + r.nextInt(3)) * MIN,
                        2 + r.nextInt(4), u % 4 == 0);
            } else {
                session(all, r, user, device, card, country, seq, CUT + (5 + r.nextInt(20)) * MIN,
                        3 + r.nextInt(4), u % 2 == 0);
            }
        }
        all.sort(Comparator.comparingLong(ShopEvent::timestampMs).thenComparing(ShopEvent::eventId));
        return new UpgradeFixture(List.copyOf(all));
    }

    /** {@code n} browsing events 20-50 s apart, then a cart add, and with {@code buys} an order and a payment. */
    private static void session(List<ShopEvent> out, Random r, String user, String device, String card,
            String country, int[] seq, long start, int n, boolean buys) {
        long t = start;
        String item = ITEMS[r.nextInt(ITEMS.length)];
        for (int i = 0; i < n; i++) {
            item = ITEMS[r.nextInt(ITEMS.length)];
            EventType type = i == n - 1 ? EventType.ADD_TO_CART : r.nextInt(5) == 0 ? EventType.SEARCH : EventType.VIEW;
            ShopEvent.Builder b = ShopEvent.builder(user + "-" + seq[0]++, user, type, t).deviceId(device);
            if (type == EventType.SEARCH) {
                b.query("shoes");
            } else {
                b.itemId(item);
            }
            if (type == EventType.ADD_TO_CART) {
                b.price(10.0 + r.nextInt(90)).quantity(1 + r.nextInt(2));
            }
            out.add(b.build());
            t += 20_000 + r.nextInt(30_000);
        }
        if (buys) {
            double amount = 10.0 + r.nextInt(200);
            out.add(ShopEvent.builder(user + "-" + seq[0]++, user, EventType.ORDER, t).itemId(item).amount(amount)
                    .deviceId(device).build());
            t += 10_000;
            out.add(ShopEvent.builder(user + "-" + seq[0]++, user, EventType.PAYMENT, t).amount(amount)
                    .merchantId("m-" + r.nextInt(5)).cardFingerprint(card).deviceId(device).country(country)
                    .build());
        }
    }

    /** The Kafka records (key = userId) of events [from, to), in time order. */
    public List<Map.Entry<String, byte[]>> records(int from, int to) {
        List<Map.Entry<String, byte[]>> out = new ArrayList<>();
        for (ShopEvent e : events.subList(from, to)) {
            out.add(new AbstractMap.SimpleEntry<>(e.userId(), EventJson.toBytes(e)));
        }
        return out;
    }

    public List<Map.Entry<String, byte[]>> beforeCut() {
        return records(0, split);
    }

    public List<Map.Entry<String, byte[]>> all() {
        return records(0, events.size());
    }

    /** Users with events on both sides of the cut within one session (the session open at the savepoint). */
    public Set<String> usersOpenAtCut() {
        Set<String> out = new TreeSet<>();
        for (int u = 0; u < USERS; u++) {
            if (u % 3 != 2) {
                out.add(String.format("u-%03d", u));
            }
        }
        return out;
    }

    /** Events per user on each side of the cut: [before, after]. */
    public Map<String, int[]> countsByUser() {
        Map<String, int[]> out = new HashMap<>();
        for (int i = 0; i < events.size(); i++) {
            out.computeIfAbsent(events.get(i).userId(), k -> new int[2])[i < split ? 0 : 1]++;
        }
        return out;
    }

    /** Fixed input topics (the savepoint's offsets are theirs), fresh output topics, group and Redis prefix. */
    public static TestTopics topics(String prefix) {
        String id = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        return new TestTopics(EVENTS_TOPIC, id + "-dlq", id + "-sessions", id + "-alerts", id + "-group", id,
                LABELS_TOPIC, id + "-actions", id + "-rules"); // no rules: the release before them had no rule input
    }

    /**
     * The job options both releases run this fixture with, on top of {@link TestTopics#jobConfig}: state TTLs
     * (processing time) long enough that the committed savepoint's state never expires when a test restores it
     * years later, and at-least-once Kafka sinks (an exactly-once sink's savepoint holds transactions of the
     * broker it was taken on, and the restoring test runs on another broker).
     */
    public static Map<String, String> jobOptions(Map<String, String> extra) {
        Map<String, String> m = new HashMap<>();
        m.put("profile.ttl", "36500 d");
        m.put("fraud.merchant-state-ttl", "36500 d");
        m.put("fraud.outcome-ttl", "36500 d");
        m.put("kafka.delivery-guarantee", "AT_LEAST_ONCE");
        m.putAll(extra);
        return m;
    }
}
