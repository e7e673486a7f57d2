package com.shopsense.tools.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.shopsense.scoring.JourneyAction;
import com.shopsense.sink.RedisSettings;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * The local run summary's journey lines: the churn scores over customers (read from the score hashes in Redis:
 * quantiles, how many distinct values, and prospects with a churn score, which must be none) and the journey actions
 * by type (counted on the actions topic, read_committed, like the alerts).
 */
final class JourneySummary {
    private static final double[] QUANTILES = {0.10, 0.25, 0.50, 0.75, 0.90};

    /** Customers (users with a churn score) and their scores' quantiles p10, p25, p50, p75, p90 (nearest rank). */
    record Churn(long customers, long distinct, double[] quantiles, long prospectsWithChurn) {
        /** The churn model tells customers apart: more than one value, and no prospect carries a score. */
        boolean healthy() {
            return customers > 0 && distinct > 1 && prospectsWithChurn == 0;
        }

        static Churn of(List<Double> scores, long prospectsWithChurn) {
            double[] sorted = scores.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            double[] q = new double[QUANTILES.length];
            for (int i = 0; i < q.length && sorted.length > 0; i++) {
                q[i] = sorted[Math.max(0, (int) Math.ceil(QUANTILES[i] * sorted.length) - 1)];
            }
            return new Churn(sorted.length, Arrays.stream(sorted).distinct().count(), q, prospectsWithChurn);
        }
    }

    private final Map<String, LongAdder> actions = new ConcurrentHashMap<>();
    private final ObjectMapper json = new ObjectMapper();

    /** Counts one record of the actions topic by its type (for {@link TopicCounter}). */
    Consumer<ConsumerRecord<byte[], byte[]>> actionCounter() {
        return r -> {
            String type;
            try {
                type = json.readTree(r.value()).path("type").asText("?");
            } catch (IOException e) {
                type = "unreadable";
            }
            actions.computeIfAbsent(type, t -> new LongAdder()).increment();
        };
    }

    /** Actions by type, every documented type listed (0 when none came). */
    Map<String, Long> actionCounts() {
        Map<String, Long> m = new TreeMap<>();
        JourneyAction.TYPES.forEach(t -> m.put(t, 0L));
        actions.forEach((t, n) -> m.put(t, n.sum()));
        return m;
    }

    /** Reads every score hash's churn and segment; empty when Redis does not answer. */
    static Optional<Churn> readChurn(RedisSettings settings) {
        try (UnifiedJedis jedis = settings.createClient("local-run-churn")) {
            List<Double> scores = new ArrayList<>();
            long prospectsWithChurn = 0;
            String cursor = ScanParams.SCAN_POINTER_START;
            do {
                ScanResult<String> page = jedis.scan(cursor,
                        new ScanParams().match(settings.keyPrefix() + ":*").count(5000));
                List<Response<List<String>>> fields = new ArrayList<>();
                try (AbstractPipeline p = jedis.pipelined()) {
                    for (String k : page.getResult()) {
                        if (k.endsWith("}:scores")) {
                            fields.add(p.hmget(k, "churn", "segment"));
                        }
                    }
                    p.sync();
                }
                for (Response<List<String>> f : fields) {
                    String churn = f.get().get(0);
                    if (churn != null) {
                        scores.add(Double.parseDouble(churn));
                        if ("prospect".equals(f.get().get(1))) {
                            prospectsWithChurn++;
                        }
                    }
                }
                cursor = page.getCursor();
            } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
            return Optional.of(Churn.of(scores, prospectsWithChurn));
        } catch (JedisException unreachable) {
            return Optional.empty();
        }
    }

    /** The summary's lines. */
    void print(Optional<Churn> churn) {
        if (churn.isEmpty()) {
            System.out.println("churn over customers       Redis unreachable");
        } else {
            Churn c = churn.get();
            System.out.printf(Locale.ROOT, "churn over customers       %,d customers, %,d distinct scores, p10 %.4f p25 %.4f "
                    + "p50 %.4f p75 %.4f p90 %.4f; prospects with a churn score %,d%s%n", c.customers(), c.distinct(),
                    c.quantiles()[0], c.quantiles()[1], c.quantiles()[2], c.quantiles()[3], c.quantiles()[4],
                    c.prospectsWithChurn(), c.healthy() ? "" : " (NOT OK)");
        }
        StringBuilder b = new StringBuilder();
        actionCounts().forEach((t, n) -> b.append(b.length() == 0 ? "" : ", ").append(t).append(' ')
                .append(String.format(Locale.ROOT, "%,d", n)));
        System.out.println("journey actions (topic)    " + b);
    }
}
