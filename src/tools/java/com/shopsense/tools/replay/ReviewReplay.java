package com.shopsense.tools.replay;

import com.shopsense.event.EventLimits;
import com.shopsense.event.EventType;
import com.shopsense.event.ShopEvent;
import com.shopsense.features.IdHash;
import com.shopsense.tools.replay.ReviewTexts.Review;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Review events built from real review texts, posted on a replayed Taobao shop (docs/replay-data.md). The texts,
 * ratings and labels, and the order of one product's reviews, are real; who posts them, when, and on which item
 * are synthetic, because no public dataset has review texts and a clickstream of the same shop. The mapping, all
 * deterministic (no clock, no unseeded random):
 * <ul>
 *   <li>English product k (in order of its first review in the file) is the replay's k-th item by distinct users
 *       (views, carts, orders; ties by item id), with that item's category. Its reviews, in file order, are posted by
 *       that item's users in the order they first touched it, one review each: so a product gets at most as many
 *       reviews as the item has users, and a real run of negative reviews stays a run (a surge can surface).</li>
 *   <li>Chinese category k (in order of first appearance) is the replay's k-th category by distinct users among those
 *       holding no English item. {@link #ZH_PER_CATEGORY} of its reviews, evenly spaced in file order (the file lists
 *       a category's positives, then its negatives), are posted by users of that category evenly spaced in the order
 *       they first touched it, each on the item of that first event.</li>
 *   <li>A review comes {@link #MIN_DELAY_MS} plus up to {@link #DELAY_SPREAD_MS} (seeded by its id) after the
 *       reviewer's event, and at least one second after the previous review of its product or category, so file order
 *       is time order.</li>
 * </ul>
 * Event ids are {@code rv-<review id>} ({@code rv-en-<index>}, {@code rv-zh-<record>}), the same in the bundled slices
 * and the full files.
 */
public final class ReviewReplay {
    /** Chinese reviews per category: with about 200 English ones, about 1 % of the local run's events. */
    public static final int ZH_PER_CATEGORY = 30;
    static final long MIN_DELAY_MS = 60_000;
    static final long DELAY_SPREAD_MS = 20 * 60_000;

    /**
     * The review events (time order) and where each review set's groups went.
     *
     * @param products English product -> the replay's item id it is posted on
     * @param categories Chinese category -> the replay's category id
     * @param texts review event id -> the review as read (its text, rating, label)
     */
    public record Result(List<ShopEvent> reviews, Map<String, String> products, Map<String, String> categories,
            Map<String, Review> texts) {
    }

    private ReviewReplay() {
    }

    /** No reviews (a replay without them). */
    public static Result none() {
        return new Result(List.of(), Map.of(), Map.of(), Map.of());
    }

    /** Reviews posted on {@code replayed} (the real Taobao events, time order not required). */
    public static Result build(List<ShopEvent> replayed, List<Review> english, List<Review> chinese) {
        List<ShopEvent> real = replayed.stream()
                .filter(e -> e.itemId() != null && e.categoryId() != null && e.timestampMs() >= EventLimits.YEAR_2000_MS)
                .sorted(Comparator.comparingLong(ShopEvent::timestampMs).thenComparing(ShopEvent::eventId))
                .toList();
        Map<String, List<ShopEvent>> firstTouchByItem = firstTouches(real, ShopEvent::itemId);
        Map<String, List<ShopEvent>> firstTouchByCategory = firstTouches(real, ShopEvent::categoryId);

        List<ShopEvent> out = new ArrayList<>();
        Map<String, Review> texts = new LinkedHashMap<>();
        Map<String, String> products = new LinkedHashMap<>();
        List<String> items = ranked(firstTouchByItem);
        Map<String, List<Review>> byProduct = groups(english);
        Set<String> englishCategories = new HashSet<>();
        int k = 0;
        for (Map.Entry<String, List<Review>> p : byProduct.entrySet()) {
            if (k >= items.size()) {
                break;
            }
            String item = items.get(k++);
            List<ShopEvent> users = firstTouchByItem.get(item);
            products.put(p.getKey(), item);
            englishCategories.add(users.get(0).categoryId());
            post(p.getValue(), users, out, texts);
        }

        Map<String, String> categories = new LinkedHashMap<>();
        List<String> cats = ranked(firstTouchByCategory).stream().filter(c -> !englishCategories.contains(c)).toList();
        k = 0;
        for (Map.Entry<String, List<Review>> c : groups(chinese).entrySet()) {
            if (k >= cats.size()) {
                break;
            }
            String category = cats.get(k++);
            categories.put(c.getKey(), category);
            List<ShopEvent> users = firstTouchByCategory.get(category);
            int n = Math.min(ZH_PER_CATEGORY, Math.min(c.getValue().size(), users.size()));
            post(evenlySpaced(c.getValue(), n), evenlySpaced(users, n), out, texts);
        }
        out.sort(Comparator.comparingLong(ShopEvent::timestampMs));
        return new Result(out, products, categories, texts);
    }

    /** {@code replay} and the reviews in one time-ordered list (stable: at equal times the replay's event first). */
    public static List<ShopEvent> mix(List<ShopEvent> replay, Result reviews) {
        List<ShopEvent> all = new ArrayList<>(replay.size() + reviews.reviews().size());
        all.addAll(replay);
        all.addAll(reviews.reviews());
        all.sort(Comparator.comparingLong(ShopEvent::timestampMs));
        return all;
    }

    /** Review i by user i, on the item of that user's event, after it and after the group's previous review. */
    private static void post(List<Review> reviews, List<ShopEvent> users, List<ShopEvent> out, Map<String, Review> texts) {
        long previous = Long.MIN_VALUE;
        for (int i = 0; i < reviews.size() && i < users.size(); i++) {
            Review r = reviews.get(i);
            ShopEvent touch = users.get(i);
            String id = "rv-" + r.id();
            long ts = Math.max(touch.timestampMs() + MIN_DELAY_MS + IdHash.fnv1a32(id) % DELAY_SPREAD_MS, previous + 1_000);
            previous = ts;
            out.add(ShopEvent.builder(id, touch.userId(), EventType.REVIEW, ts).itemId(touch.itemId())
                    .categoryId(touch.categoryId()).rating(r.rating()).text(r.text()).build());
            texts.put(id, r);
        }
    }

    /** Per key, each user's first event on it, in time order. */
    private static Map<String, List<ShopEvent>> firstTouches(List<ShopEvent> timeOrdered,
            java.util.function.Function<ShopEvent, String> key) {
        Map<String, List<ShopEvent>> out = new HashMap<>();
        Set<String> seen = new HashSet<>();
        for (ShopEvent e : timeOrdered) {
            String k = key.apply(e);
            if (seen.add(k + "\u0000" + e.userId())) {
                out.computeIfAbsent(k, x -> new ArrayList<>()).add(e);
            }
        }
        return out;
    }

    /** Keys by their number of distinct users, most first, ties by key. */
    private static List<String> ranked(Map<String, List<ShopEvent>> firstTouches) {
        return firstTouches.entrySet().stream()
                .sorted(Comparator.<Map.Entry<String, List<ShopEvent>>>comparingInt(e -> -e.getValue().size())
                        .thenComparing(Map.Entry::getKey))
                .map(Map.Entry::getKey).toList();
    }

    private static Map<String, List<Review>> groups(List<Review> reviews) {
        Map<String, List<Review>> out = new LinkedHashMap<>();
        reviews.forEach(r -> out.computeIfAbsent(r.group(), g -> new ArrayList<>()).add(r));
        return out;
    }

    /** {@code n} elements at even spacing (floor(i * size / n)), in order. */
    static <T> List<T> evenlySpaced(List<T> all, int n) {
        List<T> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(all.get((int) ((long) i * all.size() / n)));
        }
        return out;
    }
}
