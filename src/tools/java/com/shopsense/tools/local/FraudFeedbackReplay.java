package com.shopsense.tools.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.shopsense.config.JobConfig;
import com.shopsense.config.JobOptions;
import com.shopsense.event.EventJson;
import com.shopsense.event.ShopEvent;
import com.shopsense.job.ShopSenseJob;
import com.shopsense.sink.DeadLetterSerializer;
import com.shopsense.sink.RedisSettings;
import com.shopsense.tools.kafka.KafkaClientProps;
import com.shopsense.tools.replay.AlertOutcomes;
import com.shopsense.tools.replay.DemoData;
import com.shopsense.tools.replay.FraudHandbook;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import redis.clients.jedis.UnifiedJedis;

/**
 * The risk feedback loop measured end to end (README "Fraud labels"): the Fraud Detection Handbook's
 * payments replayed through the whole job with their chargeback labels on the label topic, decided a
 * configurable number of days after each payment. At the end, alert precision and recall are
 * computed from the alert topic and the labels that were sent, and compared with the job's own
 * totals in Redis. Run it twice, with {@code --fraud.feedback-features true} and {@code false}.
 *
 * <p>Options: --from 2018-06-01 --to 2018-08-01 (payments replayed), --evaluate-from 2018-07-01
 * (payments the precision/recall are reported on: the model's test month), --label-delay-days 7,
 * --out FILE (JSON), --workdir, --datasets, plus any job option as --key value.
 */
public final class FraudFeedbackReplay {
    private final Map<String, String> options = new HashMap<>();
    private final Map<String, String> jobOverrides = new HashMap<>();

    /** What the replay measured; {@code consistent} says Kafka-derived and Redis totals agree. */
    public record Result(AlertOutcomes evaluated, AlertOutcomes all, Map<String, String> redisQuality,
            Map<String, Long> deadLettersByReason, long labelsSent, boolean consistent) {
    }

    private FraudFeedbackReplay(String[] args) {
        options.put("from", "2018-06-01");
        options.put("to", "2018-08-01");
        options.put("evaluate-from", "2018-07-01");
        options.put("label-delay-days", "7");
        options.put("workdir", ".fraud-replay");
        options.put("out", "");
        LocalRun.readArgs(args, options, jobOverrides);
    }

    public static void main(String[] args) {
        try {
            Result r = new FraudFeedbackReplay(args).run();
            System.exit(r.consistent() ? 0 : 1);
        } catch (WorkDir.Refused e) {
            System.err.println("Fraud feedback replay failed: " + e.getMessage());
            System.exit(2);
        } catch (Exception e) {
            System.err.println("Fraud feedback replay failed: " + e);
            e.printStackTrace();
            System.exit(2);
        }
    }

    public static Result run(String[] args) throws Exception {
        return new FraudFeedbackReplay(args).run();
    }

    private static long day(String isoDate) {
        return LocalDate.parse(isoDate).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    }

    private Result run() throws Exception {
        Path work = WorkDir.prepare(Path.of(options.get("workdir")), "--workdir"); // refuses a folder not its own
        long started = System.nanoTime();
        // Months of payments: the full file, not the bundled two-day demo slice.
        FraudHandbook.Replay replay = FraudHandbook.read(DemoData.require(Path.of(LocalRun.datasetsOrDefault(options),
                        "fraud-handbook-simulated", "transactions_2018-04_to_07.csv.gz"),
                "the full public datasets: --datasets DIR or SHOPSENSE_DATASETS (default ../shared/datasets)"),
                day(options.get("from")), day(options.get("to")),
                Duration.ofMillis((long) (Double.parseDouble(options.get("label-delay-days")) * 86_400_000L)));
        System.out.printf(Locale.ROOT, "Fraud Detection Handbook %s..%s: %,d payments, %,d chargeback labels (delay %s d)%n",
                options.get("from"), options.get("to"), replay.payments().size(), replay.labels().size(),
                options.get("label-delay-days"));

        try (KafkaBrokerProcess kafka = KafkaBrokerProcess.start(work.resolve("kafka"));
                RedisServerProcess redis = RedisServerProcess.start(work.resolve("redis"))) {
            Map<String, String> job = new HashMap<>();
            job.put(JobOptions.KAFKA_BOOTSTRAP.key(), kafka.bootstrapServers());
            job.put(JobOptions.REDIS_NODES.key(), redis.address());
            job.put(JobOptions.STARTING_OFFSETS.key(), "earliest");
            job.put(JobOptions.BOUNDED.key(), "true");
            job.put(JobOptions.PSEUDONYMIZATION_DEV_KEY.key(), "true");
            // Two source readers may start minutes of event time apart on a backlog (README, Known issues).
            job.put(JobOptions.OUT_OF_ORDERNESS.key(), "10 min");
            job.putAll(jobOverrides);
            JobConfig cfg = JobConfig.of(job);
            LocalRun.createTopics(cfg);
            produce(cfg, replay);

            StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(
                    LocalRun.flinkConf(work, 0, BindAddress.LOOPBACK));
            env.setParallelism(2);
            ShopSenseJob.startUp(env, cfg);
            System.out.println("Job running (bounded); feedback features " + cfg.get(JobOptions.FEEDBACK_FEATURES));
            env.execute("ShopSense fraud feedback replay");

            Set<String> alerted = ConcurrentHashMap.newKeySet();
            ObjectMapper json = new ObjectMapper();
            Map<String, Long> dlq = new TreeMap<>();
            String version;
            Set<String> versions = ConcurrentHashMap.newKeySet();
            try (TopicCounter alerts = new TopicCounter(cfg, cfg.get(JobOptions.TOPIC_ALERTS), r -> {
                try {
                    var n = json.readTree(r.value());
                    alerted.add(n.get("eventId").asText());
                    versions.add(n.get("modelVersion").asText());
                } catch (java.io.IOException e) {
                    throw new IllegalStateException("unreadable alert", e);
                }
            });
                    TopicCounter dead = new TopicCounter(cfg, cfg.get(JobOptions.TOPIC_DLQ), r -> {
                        var h = r.headers().lastHeader(DeadLetterSerializer.H_REASON);
                        String reason = h == null ? "?" : new String(h.value(), StandardCharsets.UTF_8);
                        int colon = reason.indexOf(':');
                        dlq.merge(colon < 0 ? reason : reason.substring(0, colon), 1L, Long::sum);
                    })) {
                drain(alerts);
                drain(dead);
            }
            RedisSettings rs = RedisSettings.fromConfig(cfg);
            Map<String, String> quality;
            try (UnifiedJedis jedis = rs.createClient("fraud-replay")) {
                version = versions.size() == 1 ? versions.iterator().next() : null;
                String key = version == null ? null : rs.keys().alertQuality(version);
                quality = key == null ? Map.of() : new TreeMap<>(jedis.hgetAll(key));
            }
            AlertOutcomes all = AlertOutcomes.of(replay.payments(), replay.labels(), alerted, Long.MIN_VALUE);
            AlertOutcomes eval = AlertOutcomes.of(replay.payments(), replay.labels(), alerted,
                    day(options.get("evaluate-from")));
            boolean consistent = version != null
                    && Long.toString(all.alerts()).equals(quality.get("alerts"))
                    && Long.toString(all.alertedFraud()).equals(quality.get("alertsConfirmedFraud"))
                    && Long.toString(all.fraud()).equals(quality.get("confirmedFraud"));
            Result res = new Result(eval, all, quality, dlq, replay.labels().size(), consistent);
            print(res, cfg, (System.nanoTime() - started) / 1e9);
            if (!options.get("out").isEmpty()) {
                write(Path.of(options.get("out")), res, cfg);
            }
            return res;
        }
    }

    private static void drain(TopicCounter c) throws InterruptedException {
        long last = -1;
        for (int quiet = 0; quiet < 3; ) {
            long n = c.poll();
            quiet = n == last ? quiet + 1 : 0;
            last = n;
            Thread.sleep(200);
        }
    }

    /** Labels first, then payments: what a payment may use is decided by decision time, not arrival. */
    private static void produce(JobConfig cfg, FraudHandbook.Replay r) throws Exception {
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(KafkaClientProps.bytesProducer(cfg))) {
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            for (FraudHandbook.Label l : r.labels()) {
                acks.add(p.send(new ProducerRecord<>(cfg.get(JobOptions.TOPIC_LABELS),
                        l.eventId().getBytes(StandardCharsets.UTF_8), l.toJson())));
            }
            for (ShopEvent e : r.payments()) {
                acks.add(p.send(new ProducerRecord<>(cfg.get(JobOptions.TOPIC_EVENTS),
                        e.userId().getBytes(StandardCharsets.UTF_8), EventJson.toBytes(e))));
            }
            p.flush();
            for (Future<RecordMetadata> f : acks) {
                f.get(); // a lost record would make the accounting meaningless
            }
        }
    }

    private static void print(Result r, JobConfig cfg, double seconds) {
        System.out.println();
        System.out.println("=== Fraud feedback replay (feedback features " + cfg.get(JobOptions.FEEDBACK_FEATURES) + ") ===");
        for (var e : Map.of("evaluated", r.evaluated(), "all replayed", r.all()).entrySet()) {
            AlertOutcomes o = e.getValue();
            System.out.printf(Locale.ROOT, "%-13s payments %,d, fraud %,d, alerts %,d (%.2f%%), alerted fraud %,d: "
                    + "precision %.4f, recall %.4f%n", e.getKey(), o.payments(), o.fraud(), o.alerts(),
                    100 * o.alertRate(), o.alertedFraud(), o.precision(), o.recall());
        }
        System.out.println("Redis alert quality: " + r.redisQuality());
        System.out.println("Dead letters by reason: " + r.deadLettersByReason());
        System.out.printf(Locale.ROOT, "Kafka-derived and Redis totals agree: %s; %.0f s%n", r.consistent(), seconds);
    }

    private static void write(Path out, Result r, JobConfig cfg) throws java.io.IOException {
        ObjectMapper m = new ObjectMapper();
        ObjectNode n = m.createObjectNode();
        n.put("feedbackFeatures", cfg.get(JobOptions.FEEDBACK_FEATURES));
        n.set("evaluated", m.valueToTree(r.evaluated()));
        n.set("all", m.valueToTree(r.all()));
        n.put("evaluatedPrecision", r.evaluated().precision());
        n.put("evaluatedRecall", r.evaluated().recall());
        n.set("redisQuality", m.valueToTree(r.redisQuality()));
        n.set("deadLettersByReason", m.valueToTree(r.deadLettersByReason()));
        n.put("consistent", r.consistent());
        Files.createDirectories(out.toAbsolutePath().getParent());
        m.writerWithDefaultPrettyPrinter().writeValue(out.toFile(), n);
    }
}
