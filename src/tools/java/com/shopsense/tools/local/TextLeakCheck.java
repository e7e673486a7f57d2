package com.shopsense.tools.local;

import com.shopsense.sink.RedisSettings;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * The local run's privacy check (issue 22: review text never leaves the job): a distinctive substring of each of a
 * sample of the replayed review texts is searched in every Redis key name and value (strings, hashes, lists, sets,
 * sorted sets) and in every record (key and value) of the output topics it is given. A hit names the review and where
 * it was found, never the text. The dead-letter topic is not an output here: it holds bad records as sent, by design
 * (docs/event-contract.md), and is protected like the input topic.
 */
final class TextLeakCheck {
    /** Latin text: this many characters; CJK text: a third of it (a CJK character is 3 bytes in UTF-8). */
    static final int NEEDLE_CHARS = 24;

    private final Map<String, String> needles; // review id -> substring
    private final TreeSet<String> leaks = new TreeSet<>();
    private final List<Map.Entry<String, String>> pending = new ArrayList<>();
    private int pendingChars;
    private long scanned;

    /** @param texts review id -> its text; {@code sample} of them (evenly spaced) are checked */
    TextLeakCheck(Map<String, String> texts, int sample) {
        needles = new LinkedHashMap<>();
        List<Map.Entry<String, String>> all = new ArrayList<>(texts.entrySet());
        int n = Math.min(sample, all.size());
        for (int i = 0; i < n; i++) {
            Map.Entry<String, String> t = all.get((int) ((long) i * all.size() / n));
            needle(t.getValue()).ifPresent(s -> needles.put(t.getKey(), s));
        }
    }

    /**
     * A substring that only this text is likely to hold and that any copy of it keeps: inside the text's longest run of
     * characters that JSON writes as they are (no quote, backslash or control character), from the run's middle;
     * empty when the run is too short to be distinctive.
     */
    static Optional<String> needle(String text) {
        int bestFrom = 0;
        int bestLen = 0;
        int from = 0;
        for (int i = 0; i <= text.length(); i++) {
            char c = i < text.length() ? text.charAt(i) : '"';
            if (c == '"' || c == '\\' || Character.isISOControl(c) || Character.isSurrogate(c)) {
                if (i - from > bestLen) {
                    bestFrom = from;
                    bestLen = i - from;
                }
                from = i + 1;
            }
        }
        String run = text.substring(bestFrom, bestFrom + bestLen);
        int want = run.codePoints().anyMatch(cp -> cp >= 0x2E80) ? NEEDLE_CHARS / 3 : NEEDLE_CHARS;
        if (run.strip().length() < want) {
            return Optional.empty();
        }
        int start = (run.length() - want) / 2;
        return Optional.of(run.substring(start, start + want));
    }

    int needles() {
        return needles.size();
    }

    /** What was checked: Redis values and topic records. */
    long scanned() {
        return scanned;
    }

    /** Where review text was found: {@code "<review id> in <place>"}, sorted. */
    List<String> leaks() {
        flush();
        return List.copyOf(leaks);
    }

    /** Checks every record of a topic (for {@link TopicCounter}). */
    Consumer<ConsumerRecord<byte[], byte[]>> topic(String name) {
        return r -> {
            if (r.key() != null) {
                check("topic " + name, new String(r.key(), StandardCharsets.UTF_8));
            }
            if (r.value() != null) {
                check("topic " + name, new String(r.value(), StandardCharsets.UTF_8));
            }
        };
    }

    /** Checks every key of the server (not only the job's prefix); false when Redis did not answer. */
    boolean scanRedis(RedisSettings settings) {
        try (UnifiedJedis jedis = settings.createClient("local-run-privacy")) {
            String cursor = ScanParams.SCAN_POINTER_START;
            do {
                ScanResult<String> page = jedis.scan(cursor, new ScanParams().count(2000));
                List<String> keys = page.getResult();
                List<Response<String>> types = new ArrayList<>();
                try (AbstractPipeline p = jedis.pipelined()) {
                    keys.forEach(k -> types.add(p.type(k)));
                    p.sync();
                }
                List<Response<?>> values = new ArrayList<>();
                try (AbstractPipeline p = jedis.pipelined()) {
                    for (int i = 0; i < keys.size(); i++) {
                        String k = keys.get(i);
                        values.add(switch (types.get(i).get()) {
                            case "string" -> p.get(k);
                            case "hash" -> p.hgetAll(k);
                            case "list" -> p.lrange(k, 0, -1);
                            case "set" -> p.smembers(k);
                            case "zset" -> p.zrange(k, 0, -1);
                            default -> null;
                        });
                    }
                    p.sync();
                }
                for (int i = 0; i < keys.size(); i++) {
                    String where = "Redis key " + keys.get(i);
                    check(where, keys.get(i));
                    Object v = values.get(i) == null ? null : values.get(i).get();
                    if (v != null) {
                        check(where, v.toString()); // a map's or collection's toString holds every field and member
                    }
                }
                cursor = page.getCursor();
            } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
            flush();
            return true;
        } catch (JedisException unreachable) {
            return false;
        }
    }

    /** Buffers values and searches them together, one pass per needle per megabyte; a hit then names its place. */
    private void check(String where, String value) {
        scanned++;
        pending.add(Map.entry(where, value));
        pendingChars += value.length();
        if (pendingChars > 1 << 20) {
            flush();
        }
    }

    private void flush() {
        if (pending.isEmpty()) {
            return;
        }
        StringBuilder all = new StringBuilder(pendingChars + pending.size());
        pending.forEach(e -> all.append(e.getValue()).append('\n'));
        String haystack = all.toString();
        needles.forEach((id, s) -> {
            if (haystack.contains(s)) {
                pending.stream().filter(e -> e.getValue().contains(s))
                        .forEach(e -> leaks.add(id + " in " + e.getKey()));
            }
        });
        pending.clear();
        pendingChars = 0;
    }
}
