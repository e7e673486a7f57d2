package com.shopsense.tools.replay;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * The demo slices bundled in the repository (deploy/demo-data, cut from the public datasets by
 * deploy/demo-data/cut.py; source and terms in its NOTICE.md). Paths are relative to the repository root,
 * where deploy/run-local.sh and the tests run, so a bare clone replays and tests without ../shared/datasets.
 */
public final class DemoData {
    public static final Path DIR = Path.of("deploy", "demo-data");
    /** The first 50,000 rows (in time order) of the Taobao UserBehavior slice, plus its one 1970 row last. */
    public static final Path TAOBAO = DIR.resolve("taobao-userbehavior/UserBehavior_demo.csv.gz");
    public static final int TAOBAO_ROWS = 50_001;
    /**
     * Every row of the Taobao slice after its first 50,000 (02:03:45-02:55 UTC, its 1970 row last): the shop's later
     * part, which the local run replays while its recommender ({@link #DEMO_RECOMMENDER}) knows the earlier part.
     */
    public static final Path TAOBAO_LATER = DIR.resolve("taobao-userbehavior/UserBehavior_later.csv.gz");
    public static final int TAOBAO_LATER_ROWS = 46_169;
    /** The full slice's row number of the later part's first row (event id {@code tb-50001}). */
    public static final int TAOBAO_LATER_FIRST_ROW = 50_001;
    /** The demo recommender: trained on {@link #TAOBAO}'s rows, the models directory for recommend.models-dir. */
    public static final Path DEMO_RECOMMENDER = Path.of("onnx-models", "demo-taobao");
    /** The Fraud Detection Handbook's transactions of 2018-07-01 and 2018-07-02. */
    public static final Path FRAUD_HANDBOOK = DIR.resolve("fraud-handbook-simulated/transactions_2018-07-01_to_02.csv.gz");
    /** The UCI Online Retail invoices of the customers whose id is divisible by 20. */
    public static final Path ONLINE_RETAIL = DIR.resolve("online-retail-uci/online_retail_every20th.csv.gz");
    /**
     * Women's E-Commerce Clothing Reviews: the header and, for each of the 13 products with at least 300 reviews with
     * text, its first 250 reviews with text in file order (whole CSV records; texts span lines).
     */
    public static final Path REVIEWS_EN = DIR.resolve("reviews-womens-clothing/womens_clothing_reviews_top13.csv.gz");
    public static final int REVIEWS_EN_RECORDS = 3_250;
    public static final int REVIEWS_EN_PRODUCTS = 13;
    /** The full English set's file under the datasets folder. */
    public static final String REVIEWS_EN_FULL = "reviews-womens-clothing/womens_clothing_ecommerce_reviews.csv.gz";
    /** online_shopping_10_cats: the header and every {@link #REVIEWS_ZH_EVERY}-th review (records 1, 11, 21, ...). */
    public static final Path REVIEWS_ZH = DIR.resolve("reviews-zh-online-shopping/online_shopping_10_cats_every10th.csv.gz");
    public static final int REVIEWS_ZH_RECORDS = 6_278;
    public static final int REVIEWS_ZH_EVERY = 10;
    public static final int REVIEWS_ZH_CATEGORIES = 10;
    /** The full Chinese set's file under the datasets folder. */
    public static final String REVIEWS_ZH_FULL = "reviews-zh-online-shopping/online_shopping_10_cats.csv.gz";

    private DemoData() {
    }

    /** {@code file}, or an exception that names it and says what a bare clone should have. */
    public static Path require(Path file, String hint) throws NoSuchFileException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toAbsolutePath().normalize().toString(), null, hint);
        }
        return file;
    }

    /** A UTF-8 reader of a data file, decompressed when its name ends in .gz (the bundled slices are). */
    static BufferedReader open(Path file) throws IOException {
        if (file.getFileName().toString().endsWith(".gz")) {
            return new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(file), 1 << 16),
                    StandardCharsets.UTF_8));
        }
        return Files.newBufferedReader(file, StandardCharsets.UTF_8);
    }
}
