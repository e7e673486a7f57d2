package com.shopsense.tools.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.shopsense.sink.DeadLetterSerializer;
import com.shopsense.sink.RedisSettings;
import com.shopsense.tools.replay.MalformedRecords;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * The local run summary's review lines (issue 22): reviews replayed, the review aggregates the job wrote to Redis
 * (per product {@code prefix:review:item:<itemId>}, per category {@code prefix:review:cat:<categoryId>}, hash tags
 * allowed anywhere in the name; docs/redis.md), the share negative over all, the {@code negative_review_surge}
 * actions, the bad review records in the DLQ with their reasons, and the privacy check ({@link TextLeakCheck}).
 *
 * <p>The review stage is expected exactly when the job's models directory has a {@code review} model in its
 * manifest ({@link #stageInBuild}): then at least one aggregate is required; without it the lines say the stage is
 * not in this build and only the privacy and DLQ checks count. The privacy check always counts.
 */
final class ReviewSummary {
    static final String SURGE = "negative_review_surge";
    /** The manifest entry whose presence means the job runs the review stage (the model engineer's "review"). */
    static final String REVIEW_MODEL = "review";

    /** What the job wrote: hashes per product and per category, and the category windows' totals. */
    record Aggregates(long items, long categories, long reviewsInCategoryWindows, double shareNegative) {
    }

    private final Map<ByteBuffer, String> expectedBad = new ConcurrentHashMap<>();
    private final Map<ByteBuffer, String> badSeen = new ConcurrentHashMap<>();

    ReviewSummary(List<MalformedRecords.Expected> injectedBadReviews) {
        injectedBadReviews.forEach(e -> expectedBad.put(ByteBuffer.wrap(e.bytes()), e.reason()));
    }

    /** Records the reason of each injected bad review that reaches the DLQ (for the DLQ's {@link TopicCounter}). */
    Consumer<ConsumerRecord<byte[], byte[]>> deadLetters() {
        return r -> {
            ByteBuffer raw = ByteBuffer.wrap(r.value() == null ? new byte[0] : r.value());
            if (expectedBad.containsKey(raw)) {
                Header reason = r.headers().lastHeader(DeadLetterSerializer.H_REASON);
                String code = reason == null ? "?" : new String(reason.value(), StandardCharsets.UTF_8).split(":", 2)[0];
                badSeen.put(raw, code);
            }
        };
    }

    /** The injected bad reviews not dead-lettered with their expected reason: "expected X, got Y" each. */
    List<String> badReviewMismatches() {
        List<String> out = new ArrayList<>();
        expectedBad.forEach((raw, reason) -> {
            String got = badSeen.get(raw);
            if (!reason.equals(got)) {
                out.add("expected " + reason + ", got " + (got == null ? "nothing in the DLQ" : got));
            }
        });
        return out;
    }

    int badReviewsInjected() {
        return expectedBad.size();
    }

    /** Whether {@code modelsDir}'s manifest.json names a review model (a classpath: or missing manifest: no). */
    static boolean stageInBuild(String modelsDir) {
        Path manifest = Path.of(modelsDir, "manifest.json");
        try {
            return Files.isRegularFile(manifest)
                    && new ObjectMapper().readTree(manifest.toFile()).path("models").has(REVIEW_MODEL);
        } catch (IOException unreadable) {
            return false;
        }
    }

    /** The review aggregate hashes under the prefix; empty when Redis does not answer. */
    static Optional<Aggregates> read(RedisSettings settings) {
        String prefix = settings.keyPrefix();
        try (UnifiedJedis jedis = settings.createClient("local-run-reviews")) {
            long items = 0;
            long categories = 0;
            double reviews = 0;
            double negative = 0;
            String cursor = ScanParams.SCAN_POINTER_START;
            do {
                ScanResult<String> page = jedis.scan(cursor, new ScanParams().match("*review*").count(5000));
                List<Response<List<String>>> cats = new ArrayList<>();
                try (AbstractPipeline p = jedis.pipelined()) {
                    for (String k : page.getResult()) {
                        switch (kind(prefix, k)) {
                            case "item" -> items++;
                            case "cat" -> {
                                categories++;
                                cats.add(p.hmget(k, "count", "shareNegative"));
                            }
                            default -> { }
                        }
                    }
                    p.sync();
                }
                for (Response<List<String>> c : cats) {
                    double n = number(c.get().get(0));
                    reviews += n;
                    negative += n * number(c.get().get(1));
                }
                cursor = page.getCursor();
            } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
            return Optional.of(new Aggregates(items, categories, (long) reviews, reviews > 0 ? negative / reviews : Double.NaN));
        } catch (JedisException unreachable) {
            return Optional.empty();
        }
    }

    /** "item", "cat" or "" for a key name: {@code prefix:review:item:<id>} and the like, braces ignored. */
    static String kind(String prefix, String key) {
        String k = key.replace("{", "").replace("}", "");
        if (k.startsWith(prefix + ":review:item:")) {
            return "item";
        }
        return k.startsWith(prefix + ":review:cat:") ? "cat" : "";
    }

    private static double number(String s) {
        try {
            return s == null ? 0 : Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * The facts the lines print and the exit status reads.
     *
     * @param privacyChecked whether Redis answered the privacy scan (a check that did not run does not pass)
     */
    record Result(long reviewsInReplay, long reviewsSent, long negativeInData, boolean stageExpected,
            Optional<Aggregates> aggregates, long surges, int badInjected, List<String> badMismatches, int needles,
            long valuesChecked, boolean privacyChecked, List<String> leaks) {

        boolean privacyOk() {
            // a replay with reviews must have texts to look for; one without (--reviews false) has none to leak
            return privacyChecked && (needles > 0 || reviewsInReplay == 0) && leaks.isEmpty();
        }

        boolean healthy() {
            boolean aggregatesOk = !stageExpected || aggregates.map(a -> a.items() > 0 && a.categories() > 0).orElse(false);
            return privacyOk() && badMismatches.isEmpty() && aggregatesOk;
        }

        List<String> lines() {
            List<String> l = new ArrayList<>();
            l.add(String.format(Locale.ROOT, "reviews replayed           %,d of %,d (real texts on synthetic users and items; "
                    + "negative in the data %.3f)", reviewsSent, reviewsInReplay,
                    reviewsInReplay == 0 ? 0.0 : (double) negativeInData / reviewsInReplay));
            if (aggregates.isEmpty()) {
                l.add("review aggregates          not read (Redis unreachable)");
            } else if (aggregates.get().items() + aggregates.get().categories() == 0) {
                l.add("review aggregates          0" + (stageExpected
                        ? " (NOT OK: the manifest has a review model, the review stage wrote nothing)"
                        : ": the review stage is not in this build (no review model in the manifest)"));
            } else {
                Aggregates a = aggregates.get();
                l.add(String.format(Locale.ROOT, "review aggregates          products %,d, categories %,d; share negative "
                        + "(model) %.3f over the %,d reviews in the category windows", a.items(), a.categories(),
                        a.shareNegative(), a.reviewsInCategoryWindows()));
            }
            l.add(String.format(Locale.ROOT, "review surges (topic)      %s %,d", SURGE, surges));
            l.add(String.format(Locale.ROOT, "bad review records (DLQ)   %d of %d with their reason%s", badInjected - badMismatches.size(),
                    badInjected, badMismatches.isEmpty() ? "" : " (NOT OK: " + String.join("; ", badMismatches) + ")"));
            String privacy = !privacyChecked ? "NOT CHECKED (Redis unreachable)"
                    : reviewsInReplay == 0 ? "no reviews replayed: nothing to look for"
                    : needles == 0 ? "NOT OK: no replayed text long enough to look for"
                    : leaks.isEmpty() ? String.format(Locale.ROOT, "no review text in Redis or on the output topics (%,d "
                            + "texts' substrings in %,d keys, values and records)", needles, valuesChecked)
                    : "NOT OK: review text found: " + String.join("; ", leaks.subList(0, Math.min(5, leaks.size())))
                            + (leaks.size() > 5 ? " ... (" + leaks.size() + " in all)" : "");
            l.add("review privacy             " + privacy);
            return l;
        }
    }
}
