package com.shopsense.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Review events built from the real review texts of the bundled demo slices (deploy/demo-data, NOTICE.md): what is
 * real and what is not. Real: the texts (as in the CSV, unchanged), the English star ratings, the English products
 * ({@code Clothing ID}) and classes ({@code Class Name}), the Chinese shop categories ({@code cat}). Synthetic and
 * deterministic: users ({@code rv-u<n>}, n = review number mod 53), the Chinese products (three per category by
 * review number), event times (one review per product every 5 hours from 2025-03-01, products offset by minutes),
 * the order of some products' reviews (by a negativity the caller gives, e.g. the review model's p_negative, most
 * negative last, so that a negative surge happens at their end whatever the model's quality), and every 11th English
 * review sent without its text (stars only).
 */
public final class ReviewReplay {
    public static final Path ENGLISH = Path.of("deploy/demo-data/reviews-womens-clothing/womens_clothing_reviews_top13.csv.gz");
    public static final Path CHINESE = Path.of(
            "deploy/demo-data/reviews-zh-online-shopping/online_shopping_10_cats_every10th.csv.gz");
    private static final long START = 1_740_787_200_000L; // 2025-03-01T00:00:00Z
    private static final long STEP = 5 * 3_600_000L;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One review event; rating or text null when absent. */
    public record Review(String eventId, String userId, String itemId, String categoryId, long ts, Integer rating,
            String text) {
    }

    public final List<Review> reviews;

    private ReviewReplay(List<Review> reviews) {
        this.reviews = reviews;
    }

    /**
     * @param perProduct the first reviews of each of the 13 English products
     * @param surgeProducts how many of those products get their most negative reviews last
     * @param perCategory the first reviews of each Chinese category
     * @param negativity how negative a text is (the order of the surge products' reviews)
     */
    public static ReviewReplay load(int perProduct, int surgeProducts, int perCategory,
            java.util.function.ToDoubleFunction<String> negativity) throws IOException {
        List<Review> out = new ArrayList<>();
        Map<String, List<List<String>>> byProduct = new LinkedHashMap<>();
        List<List<String>> en = csv(ENGLISH);
        List<String> head = en.get(0);
        int id = head.indexOf("Clothing ID");
        int text = head.indexOf("Review Text");
        int rating = head.indexOf("Rating");
        int cls = head.indexOf("Class Name");
        for (List<String> row : en.subList(1, en.size())) {
            if (usable(row.get(text))) {
                byProduct.computeIfAbsent(row.get(id), k -> new ArrayList<>()).add(row);
            }
        }
        int n = 0;
        int p = 0;
        for (Map.Entry<String, List<List<String>>> e : byProduct.entrySet()) {
            List<List<String>> rows = new ArrayList<>(e.getValue().subList(0, Math.min(perProduct, e.getValue().size())));
            if (p < surgeProducts) {
                // Stable: the least negative first, the most negative last.
                rows.sort(Comparator.comparingDouble((List<String> r) -> negativity.applyAsDouble(r.get(text))));
            }
            for (int j = 0; j < rows.size(); j++, n++) {
                List<String> r = rows.get(j);
                String category = "wc-" + r.get(cls).trim().replace(' ', '_');
                out.add(new Review("rv-en-" + n, "rv-u" + (n % 53), "wc-" + e.getKey(), category,
                        START + j * STEP + p * 60_000L, Integer.parseInt(r.get(rating)),
                        n % 11 == 10 ? null : r.get(text)));
            }
            p++;
        }
        List<List<String>> zh = csv(CHINESE);
        Map<String, Integer> taken = new LinkedHashMap<>();
        for (List<String> row : zh.subList(1, zh.size())) {
            String cat = row.get(0);
            int k = taken.merge(cat, 1, Integer::sum) - 1;
            if (k >= perCategory || !usable(row.get(2))) {
                continue;
            }
            int c = new ArrayList<>(taken.keySet()).indexOf(cat);
            out.add(new Review("rv-zh-" + n, "rv-u" + (n % 53), "zh-" + cat + "-" + (k % 3), "zh-" + cat,
                    START + k * STEP + (20 + c) * 60_000L, null, row.get(2)));
            n++;
        }
        return new ReviewReplay(out);
    }

    /** Texts the contract accepts as they are (no control characters, at most 4096 UTF-16 units). */
    private static boolean usable(String t) {
        return t != null && !t.isBlank() && t.length() <= 4096
                && t.chars().noneMatch(c -> (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || (c >= 0x7F && c < 0xA0));
    }

    /** The events as Kafka records (key = userId), in time order. */
    public List<Map.Entry<String, byte[]>> records() {
        return reviews.stream().sorted(Comparator.comparingLong(Review::ts)).map(r -> {
            ObjectNode n = JSON.createObjectNode().put("eventId", r.eventId()).put("userId", r.userId())
                    .put("type", "review").put("ts", r.ts()).put("itemId", r.itemId()).put("categoryId", r.categoryId());
            if (r.rating() != null) {
                n.put("rating", r.rating());
            }
            if (r.text() != null) {
                n.put("text", r.text());
            }
            return (Map.Entry<String, byte[]>) new AbstractMap.SimpleEntry<>(r.userId(),
                    n.toString().getBytes(StandardCharsets.UTF_8));
        }).toList();
    }

    /** RFC 4180 records of a gzipped CSV: quoted fields may hold commas, newlines and doubled quotes. */
    static List<List<String>> csv(Path file) throws IOException {
        String all;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            all = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int i = 0;
        while (i < all.length()) {
            char c = all.charAt(i);
            if (c == '"' && field.length() == 0) {
                i++;
                while (i < all.length()) {
                    char q = all.charAt(i++);
                    if (q == '"') {
                        if (i < all.length() && all.charAt(i) == '"') {
                            field.append('"');
                            i++;
                        } else {
                            break;
                        }
                    } else {
                        field.append(q);
                    }
                }
                continue;
            }
            i++;
            if (c == ',') {
                row.add(field.toString());
                field.setLength(0);
            } else if (c == '\n') {
                row.add(field.toString());
                field.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
            } else if (c != '\r') {
                field.append(c);
            }
        }
        if (field.length() > 0 || !row.isEmpty()) {
            row.add(field.toString());
            rows.add(row);
        }
        return rows;
    }
}
