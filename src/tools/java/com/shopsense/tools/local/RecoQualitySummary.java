package com.shopsense.tools.local;

import com.shopsense.sink.RedisKeys;
import com.shopsense.sink.RedisSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * The summary's online recommendation quality: HitRate@20 and MRR@20 per recommender version and source, as the
 * job wrote them to {@code prefix:{reco-ab}:<version>} (docs/models.md, "Online recommendation quality").
 */
final class RecoQualitySummary {
    private static final String[] SOURCES = {"model", "trending", "all"};

    private RecoQualitySummary() {
    }

    /** The summary lines read from Redis; one line saying so when it does not answer. */
    static List<String> read(RedisSettings settings) {
        String keyStart = new RedisKeys(settings.keyPrefix()).recoAb("x");
        keyStart = keyStart.substring(0, keyStart.length() - 1); // prefix:{reco-ab}:
        Map<String, Map<String, String>> byVersion = new TreeMap<>();
        try (UnifiedJedis jedis = settings.createClient("local-run-quality")) {
            String cursor = ScanParams.SCAN_POINTER_START;
            do {
                ScanResult<String> page = jedis.scan(cursor, new ScanParams().match(keyStart + "*").count(1000));
                for (String key : page.getResult()) {
                    byVersion.put(key.substring(keyStart.length()), jedis.hgetAll(key));
                }
                cursor = page.getCursor();
            } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        } catch (JedisException unreachable) {
            return List.of("online reco quality        Redis unreachable");
        }
        return lines(byVersion);
    }

    /** One line per version and source: lists evaluated, hits, HitRate@20, MRR@20 (the hash's own values). */
    static List<String> lines(Map<String, Map<String, String>> byVersion) {
        List<String> out = new ArrayList<>();
        out.add("online reco quality        @20, lists evaluated against the user's next item event:");
        if (byVersion.isEmpty()) {
            out.add("  no recommender version in Redis");
        }
        byVersion.forEach((version, hash) -> {
            for (String source : SOURCES) {
                String p = "quality." + source + ".";
                out.add(String.format(Locale.ROOT, "  version %-16s %-8s %,9d lists %,9d hits  HitRate@20 %s  MRR@20 %s",
                        version, source, parse(hash.get(p + "lists")), parse(hash.get(p + "hits")),
                        hash.getOrDefault(p + "hitRate", "-"), hash.getOrDefault(p + "mrr", "-")));
            }
        });
        return out;
    }

    private static long parse(String v) {
        return v == null ? 0 : Long.parseLong(v);
    }
}
