package com.shopsense.tools.readers;

import com.shopsense.sink.RedisKeys;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.LongSupplier;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.ScanParams;

/**
 * The shop-wide keys whose names carry a value the page cannot know in advance: the recommender versions
 * ({@code prefix:{reco-ab}:<version>}) and the trending categories ({@code prefix:popular:cat:<categoryId>}).
 * Found with SCAN, which walks the whole keyspace, so at most once per {@code refreshMs} (the page polls far
 * more often). In cluster mode the category scan (no hash tag in its pattern) is skipped: categories then come
 * from the catalogue only. Thread-safe (the HTTP threads share it).
 */
final class KeyDirectory {
    private static final int MAX_PAGES = 500;

    private final UnifiedJedis redis;
    private final RedisKeys keys;
    private final long refreshMs;
    private final LongSupplier clock;
    private long readAt = Long.MIN_VALUE;
    private List<String> versions = List.of();
    private List<String> categories = List.of();

    KeyDirectory(UnifiedJedis redis, RedisKeys keys, long refreshMs, LongSupplier clock) {
        this.redis = redis;
        this.keys = keys;
        this.refreshMs = refreshMs;
        this.clock = clock;
    }

    synchronized List<String> recoVersions() {
        refresh();
        return versions;
    }

    synchronized List<String> trendingCategories() {
        refresh();
        return categories;
    }

    private void refresh() {
        long now = clock.getAsLong();
        if (readAt != Long.MIN_VALUE && now - readAt < refreshMs) {
            return;
        }
        String abPrefix = keys.recoAb("x").substring(0, keys.recoAb("x").length() - 1);
        versions = scan(abPrefix);
        String catPrefix = keys.popular() + ":cat:";
        try {
            categories = scan(catPrefix);
        } catch (IllegalArgumentException clusterNeedsAHashTag) { // jedis: a cluster SCAN needs a hash tag
            categories = List.of();
        }
        readAt = now;
    }

    /** The suffixes of the keys that start with {@code prefix}, sorted. */
    private List<String> scan(String prefix) {
        TreeSet<String> out = new TreeSet<>();
        String cursor = ScanParams.SCAN_POINTER_START;
        int pages = 0;
        do {
            var page = redis.scan(cursor, new ScanParams().match(glob(prefix) + "*").count(5000));
            for (String k : page.getResult()) {
                if (k.startsWith(prefix) && k.length() > prefix.length()) {
                    out.add(k.substring(prefix.length()));
                }
            }
            cursor = page.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START) && ++pages < MAX_PAGES);
        return new ArrayList<>(out);
    }

    /** Escapes the glob characters of a literal prefix (the prefix itself has no braces; MATCH has no brace syntax). */
    static String glob(String literal) {
        return literal.replaceAll("([*?\\[\\]\\\\])", "\\\\$1");
    }
}
