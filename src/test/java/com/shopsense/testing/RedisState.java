package com.shopsense.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import java.util.TreeMap;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/** Everything under a key prefix, as comparable text: key (without prefix) -> type + value (+ whether it has a TTL). */
public final class RedisState {
    private RedisState() {
    }

    public static Map<String, String> dump(UnifiedJedis redis, String prefix) {
        Map<String, String> out = new TreeMap<>();
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> page = redis.scan(cursor, new ScanParams().match(prefix + ":*").count(1000));
            for (String key : page.getResult()) {
                String type = redis.type(key);
                String value = switch (type) {
                    case "string" -> redis.get(key);
                    case "hash" -> new TreeMap<>(redis.hgetAll(key)).toString();
                    case "zset" -> redis.zrangeWithScores(key, 0, -1).toString();
                    default -> "?";
                };
                boolean ttl = redis.pttl(key) > 0;
                out.put(key.substring(prefix.length()), type + (ttl ? " ttl " : " NO-TTL ") + value);
            }
            cursor = page.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        return out;
    }

    /**
     * Same keys and values; model scores may differ in the last digit (another micro-batch composition), no
     * more; an alert body's {@code emittedAt} (wall clock; per user and in the shop-wide latest alerts) and a trending
     * fallback's items are ignored.
     */
    public static void assertSameState(Map<String, String> actual, Map<String, String> expected) {
        assertThat(actual.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
        for (Map.Entry<String, String> e : expected.entrySet()) {
            String a = actual.get(e.getKey());
            if (e.getKey().endsWith(":scores")) {
                Map<String, String> fa = fields(a);
                Map<String, String> fe = fields(e.getValue());
                assertThat(fa.keySet()).isEqualTo(fe.keySet());
                for (String f : fe.keySet()) {
                    if (f.equals("intent") || f.equals("fraud") || f.equals("churn")) {
                        assertThat(Double.parseDouble(fa.get(f))).as("%s %s", e.getKey(), f)
                                .isCloseTo(Double.parseDouble(fe.get(f)), within(2e-3));
                    } else {
                        assertThat(fa.get(f)).as("%s %s", e.getKey(), f).isEqualTo(fe.get(f));
                    }
                }
            } else if (e.getKey().endsWith(":alerts:body") || e.getKey().endsWith(":{alerts}:latest:body")) {
                assertThat(a.replaceAll("\"emittedAt\":[0-9]+", "")).isEqualTo(e.getValue().replaceAll("\"emittedAt\":[0-9]+", ""));
            } else if (e.getKey().endsWith(":reco")) {
                assertThat(recoWithoutNondeterminism(a)).as(e.getKey())
                        .isEqualTo(recoWithoutNondeterminism(e.getValue()));
            } else if (e.getKey().contains(":{reco-ab}:")) {
                assertThat(abWithoutNondeterminism(a)).as(e.getKey())
                        .isEqualTo(abWithoutNondeterminism(e.getValue()));
            } else {
                assertThat(a).as(e.getKey()).isEqualTo(e.getValue());
            }
        }
    }

    /**
     * A list without its scores; a trending fallback's also without its items: they are the trending lists the
     * fallback had received when it served the request (docs/insight.md "Trending items"), which a replay may not
     * have received yet or may have newer ones of. The rest (source, version, event, recent items) is compared.
     */
    private static String recoWithoutNondeterminism(String dumped) {
        String s = dumped.replaceAll("\"score\":[-0-9.eE]+", "");
        return s.contains("\"source\":\"trending\"") ? s.replaceAll("\"items\":\\[[^\\]]*\\]", "\"items\":?") : s;
    }

    /**
     * A version's A/B hash without the hits of trending fallbacks (and so of all lists): which items a fallback
     * holds is not reproducible (above), so neither is whether the next item was among them. The numbers of lists
     * evaluated, and everything about the model's own lists, are compared.
     */
    private static String abWithoutNondeterminism(String dumped) {
        return dumped.replaceAll("quality\\.(trending|all)\\.(hits|hitRate|mrr)=[0-9.]+", "quality.$1.$2=?");
    }

    private static Map<String, String> fields(String dumped) {
        String body = dumped.substring(dumped.indexOf('{') + 1, dumped.lastIndexOf('}'));
        Map<String, String> out = new java.util.TreeMap<>();
        for (String kv : body.split(", ")) {
            int eq = kv.indexOf('=');
            out.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        return out;
    }
}
