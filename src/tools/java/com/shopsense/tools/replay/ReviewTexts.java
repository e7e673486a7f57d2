package com.shopsense.tools.replay;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The real reviews of the two public review sets, as the data has them: the English Women's E-Commerce
 * Clothing Reviews (per product, 1-5 stars) and the Chinese online_shopping_10_cats (per category, label
 * 1 positive / 0 negative). Read from the bundled slices (deploy/demo-data) or the full files with the same
 * rule {@code cut.py} applies, so both give the same reviews for what they share. Records are real CSV records
 * (quoted texts span lines: {@link CsvRecords}). Reviews without text are skipped (a review event is its text).
 */
public final class ReviewTexts {
    /** Which set a review comes from. */
    public enum Language { EN, ZH }

    /**
     * One real review.
     *
     * @param id     stable across the slice and the full file: {@code en-<the file's index column>},
     *               {@code zh-<record number in the full file, 1-based>}
     * @param group  the English product (Clothing ID) or the Chinese category, as in the data
     * @param rating stars 1..5 (English), null (the Chinese set has none)
     * @param text   English: Title + "\n" + Review Text (the review text alone when it has no title); Chinese: the review
     * @param negativeInData English: rating <= 2; Chinese: label 0 (the review model's definition of negative)
     */
    public record Review(String id, Language language, String group, Integer rating, String text,
            boolean negativeInData) {
    }

    /** The English products with at least this many reviews with text ... (cut.py REVIEWS_EN_MIN_PER_PRODUCT) */
    public static final int EN_MIN_PER_PRODUCT = 300;
    /** ... keep their first this many, in file order (cut.py REVIEWS_EN_PER_PRODUCT; the set has no timestamps). */
    public static final int EN_PER_PRODUCT = 250;

    private ReviewTexts() {
    }

    /** The bundled slice ({@link DemoData#REVIEWS_EN}): already cut, all of it. */
    public static List<Review> englishSlice() throws IOException {
        return english(DemoData.require(DemoData.REVIEWS_EN, "the review slice bundled in the repository; run from its root"),
                1);
    }

    /**
     * The English reviews of the products with at least {@code minPerProduct} reviews with text in this file
     * ({@link #EN_MIN_PER_PRODUCT} for the full file, 1 for the bundled slice, which is that cut), their first
     * {@link #EN_PER_PRODUCT} each, in file order.
     */
    public static List<Review> english(Path csv, int minPerProduct) throws IOException {
        List<List<String>> withText = new ArrayList<>();
        try (BufferedReader r = DemoData.open(csv)) {
            CsvRecords records = new CsvRecords(r);
            records.next(); // header: index, Clothing ID, Age, Title, Review Text, Rating, ...
            for (List<String> f = records.next(); f != null; f = records.next()) {
                if (f.size() > 5 && !f.get(4).isBlank()) {
                    withText.add(f);
                }
            }
        }
        Map<String, Integer> perProduct = new LinkedHashMap<>();
        withText.forEach(f -> perProduct.merge(f.get(1), 1, Integer::sum));
        Map<String, Integer> taken = new LinkedHashMap<>();
        List<Review> out = new ArrayList<>();
        for (List<String> f : withText) {
            String product = f.get(1);
            if (perProduct.get(product) >= minPerProduct && taken.merge(product, 1, Integer::sum) <= EN_PER_PRODUCT) {
                Integer rating = parseRating(f.get(5));
                String title = f.get(3);
                String text = title.isBlank() ? f.get(4) : title + "\n" + f.get(4);
                out.add(new Review("en-" + f.get(0), Language.EN, product, rating, text, rating != null && rating <= 2));
            }
        }
        return out;
    }

    /**
     * The Chinese reviews of a file whose records are every {@code every}-th record of the full file (1 for the full
     * file, {@link DemoData#REVIEWS_ZH_EVERY} for the bundled slice), in file order; ids keep the full file's numbers.
     */
    public static List<Review> chinese(Path csv, int every) throws IOException {
        List<Review> out = new ArrayList<>();
        try (BufferedReader r = DemoData.open(csv)) {
            CsvRecords records = new CsvRecords(r);
            records.next(); // header: cat, label, review
            long n = 0;
            for (List<String> f = records.next(); f != null; f = records.next()) {
                long record = n++ * every + 1;
                if (f.size() > 2 && !f.get(2).isBlank()) {
                    out.add(new Review("zh-" + record, Language.ZH, f.get(0), null, f.get(2), "0".equals(f.get(1))));
                }
            }
        }
        return out;
    }

    private static Integer parseRating(String s) {
        try {
            return Integer.valueOf(s.trim());
        } catch (NumberFormatException notANumber) {
            return null; // the event then has no rating (the contract allows it)
        }
    }
}
