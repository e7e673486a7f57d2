package com.shopsense.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.shopsense.config.JobConfig;
import com.shopsense.config.JobOptions;
import com.shopsense.inference.BatchStats;
import com.shopsense.inference.SharedModels;
import com.shopsense.job.ShopSenseJob;
import com.shopsense.readers.StorefrontReader;
import com.shopsense.replay.MalformedRecords;
import com.shopsense.replay.ReplayProducer;
import com.shopsense.replay.SyntheticPayments;
import com.shopsense.replay.TaobaoConverter;
import com.shopsense.sink.RedisSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * The whole pipeline on one machine: a real Kafka broker (KRaft, child JVM), a local redis-server,
 * the job in a Flink MiniCluster with RocksDB, checkpoints and the web UI, and a replay of the real
 * Taobao slice with the synthetic payment layer and planted fraud. Prints progress every few
 * seconds, stops everything it started on Ctrl-C or after {@code --duration}, and ends with a
 * summary read from Kafka and Redis.
 *
 * <pre>
 * deploy/run-local.sh [--duration SECONDS] [--rate EVENTS_PER_S] [--copies N] [--rows N]
 *                     [--fraud-every N] [--malformed true|false] [--workdir DIR] [--web-ui-port P]
 *                     [--demo-port P] [--datasets DIR] [--job.option value ...]
 * </pre>
 */
public final class LocalRun {
    /** Facts read back from Kafka and Redis at the end of a run. */
    public record Summary(long eventsReplayed, long sendFailures, long malformedInjected, long invalidInData, long deadLetters,
            long sessionsClosed, long usersWithRecommendations, long usersWithScores, long alerts,
            Set<String> plantedFraudUsers, Set<String> alertedUsers) {

        public long plantedFraudUsersAlerted() {
            return plantedFraudUsers.stream().filter(alertedUsers::contains).count();
        }

        public boolean healthy() {
            return eventsReplayed > 0 && sendFailures == 0 && sessionsClosed > 0 && usersWithRecommendations > 0 && usersWithScores > 0
                    && alerts > 0 && plantedFraudUsersAlerted() > 0 && deadLetters == malformedInjected + invalidInData;
        }
    }

    private final Map<String, String> options = new HashMap<>();
    private final Map<String, String> jobOverrides = new HashMap<>();

    private LocalRun(String[] args) {
        options.put("duration", "0");
        options.put("rate", "3000");
        options.put("copies", "1");
        options.put("rows", "100000");
        options.put("fraud-every", "20");
        options.put("malformed", "true");
        options.put("workdir", ".local-run");
        options.put("web-ui-port", "8081");
        options.put("demo-port", "8088");
        readArgs(args, options, jobOverrides);
    }

    /**
     * {@code --key value} pairs: keys already in {@code options} (the run's own, with their defaults) are
     * set there, any other key is a job option override. Adds the datasets default (SHOPSENSE_DATASETS).
     */
    static void readArgs(String[] args, Map<String, String> options, Map<String, String> jobOverrides) {
        String datasets = System.getenv("SHOPSENSE_DATASETS");
        options.put("datasets", datasets != null ? datasets : "../shared/datasets");
        for (int i = 0; i + 1 < args.length; i += 2) {
            String key = args[i].replaceFirst("^--", "");
            (options.containsKey(key) ? options : jobOverrides).put(key, args[i + 1]);
        }
    }

    public static void main(String[] args) {
        try {
            Summary s = new LocalRun(args).run();
            System.exit(s.healthy() ? 0 : 1);
        } catch (Exception e) {
            // Everything this run started is closed by now (try-with-resources); do not let a
            // framework thread keep a failed run alive.
            System.err.println("Local run failed: " + e);
            e.printStackTrace();
            System.exit(2);
        }
    }

    /** Runs with the given arguments and returns the summary (for tests). */
    public static Summary run(String[] args) throws Exception {
        return new LocalRun(args).run();
    }

    private Summary run() throws Exception {
        Path work = Path.of(options.get("workdir")).toAbsolutePath();
        deleteRecursively(work);
        Files.createDirectories(work);
        long durationS = Long.parseLong(options.get("duration"));
        System.out.println("ShopSense local run, work dir " + work);

        try (KafkaBrokerProcess kafka = KafkaBrokerProcess.start(work.resolve("kafka"));
                RedisServerProcess redis = RedisServerProcess.start(work.resolve("redis"))) {
            System.out.println("Kafka broker " + kafka.bootstrapServers() + ", redis-server " + redis.address());
            Map<String, String> job = new HashMap<>();
            job.put(JobOptions.KAFKA_BOOTSTRAP.key(), kafka.bootstrapServers());
            job.put(JobOptions.REDIS_NODES.key(), redis.address());
            job.put(JobOptions.STARTING_OFFSETS.key(), "earliest");
            job.put(JobOptions.PSEUDONYMIZATION_DEV_KEY.key(), "true");
            job.putAll(jobOverrides);
            JobConfig cfg = JobConfig.of(job);
            createTopics(cfg);

            List<com.shopsense.event.ShopEvent> real = TaobaoConverter.read(
                    Path.of(options.get("datasets"), "taobao-userbehavior", "UserBehavior_slice.csv"),
                    Integer.parseInt(options.get("rows")));
            SyntheticPayments.Result replay = SyntheticPayments.addTo(real, Integer.parseInt(options.get("fraud-every")));
            int copies = Integer.parseInt(options.get("copies"));
            List<byte[]> malformed = Boolean.parseBoolean(options.get("malformed")) ? MalformedRecords.handWritten() : List.of();
            long invalidInData = replay.events().stream()
                    .filter(e -> e.timestampMs() < com.shopsense.event.EventLimits.YEAR_2000_MS).count() * copies;
            ReplayProducer producer = new ReplayProducer(KafkaClientProps.bytesProducer(cfg),
                    cfg.get(JobOptions.TOPIC_EVENTS), replay.events(), malformed, copies,
                    Double.parseDouble(options.get("rate")));
            System.out.printf(Locale.ROOT, "Replaying %d events (Taobao slice, %d real + synthetic payments, %d users with "
                    + "planted fraud) x %d copies + %d malformed records at %s events/s%n", replay.events().size(),
                    real.size(), replay.fraudUsers().size(), copies, malformed.size(), options.get("rate"));

            StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(flinkConf(work));
            env.setParallelism(2);
            ShopSenseJob.startUp(env, cfg);
            JobClient client = env.executeAsync("ShopSense (local)");
            System.out.println("Flink web UI: http://localhost:" + options.get("web-ui-port")
                    + " (or the next free port up to +9)");
            StorefrontReader storefront = new StorefrontReader(RedisSettings.fromConfig(cfg), List.of(), 20);
            com.sun.net.httpserver.HttpServer demo = serveDemo(storefront, Integer.parseInt(options.get("demo-port")));
            System.out.println("Storefront demo page: http://localhost:" + demo.getAddress().getPort() + "/");
            Thread producerThread = new Thread(producer, "replay");
            producerThread.setDaemon(true);
            producerThread.start();

            Thread shutdown = new Thread(() -> {
                producer.stop();
                client.cancel();
            });
            Runtime.getRuntime().addShutdownHook(shutdown);

            Set<String> alertedUsers = ConcurrentHashMap.newKeySet();
            ObjectMapper json = new ObjectMapper();
            RedisSettings redisSettings = RedisSettings.fromConfig(cfg);
            long deadLetters;
            long sessions;
            long alerts;
            long[] redisCounts;
            try (TopicCounter dlq = new TopicCounter(cfg, cfg.get(JobOptions.TOPIC_DLQ), r -> { });
                    TopicCounter closed = new TopicCounter(cfg, cfg.get(JobOptions.TOPIC_SESSIONS), r -> { });
                    TopicCounter alertTopic = new TopicCounter(cfg, cfg.get(JobOptions.TOPIC_ALERTS), r -> {
                        try {
                            alertedUsers.add(json.readTree(r.value()).get("userId").asText());
                        } catch (java.io.IOException ignored) {
                            // counted anyway
                        }
                    });
                    UnifiedJedis jedis = redisSettings.createClient("local-run");
                    Admin admin = Admin.create(KafkaClientProps.admin(cfg))) {
                long start = System.nanoTime();
                long lastSent = 0;
                long lastTime = start;
                while (true) {
                    Thread.sleep(5_000);
                    long now = System.nanoTime();
                    double secs = (now - lastTime) / 1e9;
                    long sent = producer.sent();
                    redisCounts = countRedis(jedis, redisSettings.keyPrefix());
                    System.out.printf(Locale.ROOT, "[%4.0fs] in %,d (%,.0f/s) | sessions closed %,d | users scored %,d | "
                                    + "reco lists %,d | alerts %,d | DLQ %,d | lag %,d | %s%n",
                            (now - start) / 1e9, sent, (sent - lastSent) / secs, closed.poll(), redisCounts[1],
                            redisCounts[0], alertTopic.poll(), dlq.poll(), lag(admin, cfg), inferenceLine());
                    lastSent = sent;
                    lastTime = now;
                    if (client.getJobStatus().get().isGloballyTerminalState()) {
                        System.out.println("job ended: " + client.getJobStatus().get());
                        break;
                    }
                    if (durationS > 0 && now - start >= TimeUnit.SECONDS.toNanos(durationS)) {
                        break;
                    }
                }
                producer.stop();
                Thread.sleep(3_000); // let the last checkpoint commit the transactional outputs
                deadLetters = dlq.poll();
                sessions = closed.poll();
                alerts = alertTopic.poll();
                redisCounts = countRedis(jedis, redisSettings.keyPrefix());
            }
            demo.stop(0);
            storefront.close();
            client.cancel().get(60, TimeUnit.SECONDS);
            try {
                Runtime.getRuntime().removeShutdownHook(shutdown);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is running
            }
            Summary s = new Summary(producer.sent() - producer.malformedSent(), producer.failed(),
                    producer.malformedSent(), invalidInData,
                    deadLetters, sessions, redisCounts[0], redisCounts[1], alerts, replay.fraudUsers(), Set.copyOf(alertedUsers));
            printSummary(s);
            return s;
        }
    }

    /** The demo page on the given port, or the next free one (port 0: any). */
    private static com.sun.net.httpserver.HttpServer serveDemo(StorefrontReader reader, int port) throws java.io.IOException {
        for (int p = port; ; p++) {
            try {
                return reader.serve(p);
            } catch (java.net.BindException taken) {
                if (port == 0 || p >= port + 9) {
                    throw taken;
                }
            }
        }
    }

    private static void printSummary(Summary s) {
        System.out.println();
        System.out.println("=== ShopSense local run summary (read from Kafka and Redis) ===");
        System.out.printf(Locale.ROOT, "events replayed            %,d (not acknowledged by Kafka: %,d)%n",
                s.eventsReplayed(), s.sendFailures());
        System.out.printf(Locale.ROOT, "sessions closed            %,d%n", s.sessionsClosed());
        System.out.printf(Locale.ROOT, "users with scores (Redis)  %,d%n", s.usersWithScores());
        System.out.printf(Locale.ROOT, "users with recommendations %,d%n", s.usersWithRecommendations());
        System.out.printf(Locale.ROOT, "fraud alerts (topic)       %,d%n", s.alerts());
        System.out.printf(Locale.ROOT, "planted fraud users        %,d, alerted %,d%n", s.plantedFraudUsers().size(),
                s.plantedFraudUsersAlerted());
        System.out.printf(Locale.ROOT, "dead letters               %,d (malformed injected %,d + invalid rows in the data %,d)%n",
                s.deadLetters(), s.malformedInjected(), s.invalidInData());
        System.out.println(s.healthy() ? "RESULT: OK" : "RESULT: NOT OK (see the counts above)");
    }

    private static String inferenceLine() {
        StringBuilder b = new StringBuilder("batch/latency:");
        for (Map.Entry<String, BatchStats> e : SharedModels.stats().entrySet()) {
            b.append(String.format(Locale.ROOT, " %s %.1f/%.2fms", e.getKey(), e.getValue().meanBatchSize(),
                    e.getValue().meanInferenceMillis() + e.getValue().meanQueueWaitMillis()));
        }
        return b.toString();
    }

    /** {reco keys, score keys} under the prefix. */
    private static long[] countRedis(UnifiedJedis jedis, String prefix) {
        long reco = 0;
        long scores = 0;
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> page = jedis.scan(cursor, new ScanParams().match(prefix + ":*").count(5000));
            for (String k : page.getResult()) {
                if (k.endsWith("}:reco")) {
                    reco++;
                } else if (k.endsWith("}:scores")) {
                    scores++;
                }
            }
            cursor = page.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        return new long[] {reco, scores};
    }

    private static long lag(Admin admin, JobConfig cfg) {
        try {
            var committed = admin.listConsumerGroupOffsets(cfg.get(JobOptions.KAFKA_GROUP))
                    .partitionsToOffsetAndMetadata().get(5, TimeUnit.SECONDS);
            Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> q = new HashMap<>();
            committed.keySet().forEach(tp -> q.put(tp, org.apache.kafka.clients.admin.OffsetSpec.latest()));
            long lag = 0;
            for (var e : admin.listOffsets(q).all().get(5, TimeUnit.SECONDS).entrySet()) {
                lag += e.getValue().offset() - committed.get(e.getKey()).offset();
            }
            return lag;
        } catch (Exception e) {
            return -1;
        }
    }

    private Configuration flinkConf(Path work) {
        return flinkConf(work, Integer.parseInt(options.get("web-ui-port")));
    }

    /** flink-conf/ adapted to one process; {@code ui} is the first web UI port to try (0: any). */
    static Configuration flinkConf(Path work, int ui) {
        Configuration c = GlobalConfiguration.loadConfiguration("flink-conf");
        // A laptop, not a cluster: local paths, short checkpoint interval, no Prometheus jar needed.
        c.setString("execution.checkpointing.dir", work.resolve("checkpoints").toUri().toString());
        c.setString("execution.checkpointing.savepoint-dir", work.resolve("savepoints").toUri().toString());
        c.setString("execution.checkpointing.interval", "3 s");
        c.setString("state.backend.rocksdb.localdir", work.resolve("rocksdb").toString());
        c.setString("rest.port", ui == 0 ? "0" : ui + "-" + (ui + 9)); // the next free port when taken
        c.setString("taskmanager.numberOfTaskSlots", "2");
        // A MiniCluster ignores taskmanager.memory.process.size and would give RocksDB 128 MB in all;
        // 1 GB is what flink-conf gives a cluster TaskManager (4 g x 0.35). Sessionization ran ~4x
        // faster with it (load-tests/RESULTS.md).
        c.setString("taskmanager.memory.managed.size", "1g");
        c.removeKey("metrics.reporter.prom.factory.class");
        c.removeKey("metrics.reporter.prom.port");
        return c;
    }

    static void createTopics(JobConfig cfg) throws Exception {
        try (Admin admin = Admin.create(KafkaClientProps.admin(cfg))) {
            admin.createTopics(List.of(cfg.get(JobOptions.TOPIC_EVENTS), cfg.get(JobOptions.TOPIC_DLQ),
                    cfg.get(JobOptions.TOPIC_SESSIONS), cfg.get(JobOptions.TOPIC_ALERTS),
                    cfg.get(JobOptions.TOPIC_LABELS)).stream()
                    .map(t -> new NewTopic(t, 2, (short) 1)).toList()).all().get(30, TimeUnit.SECONDS);
        }
    }

    static void deleteRecursively(Path p) throws java.io.IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (var files = Files.walk(p)) {
            for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }
}
