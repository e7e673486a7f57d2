package com.shopsense.tools.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.shopsense.config.JobConfig;
import com.shopsense.config.JobOptions;
import com.shopsense.inference.BatchStats;
import com.shopsense.inference.SharedModels;
import com.shopsense.job.ShopSenseJob;
import com.shopsense.sink.RedisSettings;
import com.shopsense.tools.kafka.KafkaClientProps;
import com.shopsense.tools.readers.StorefrontReader;
import com.shopsense.tools.replay.DemoData;
import com.shopsense.tools.replay.MalformedRecords;
import com.shopsense.tools.replay.ReplayProducer;
import com.shopsense.tools.replay.ReviewReplay;
import com.shopsense.tools.replay.SyntheticPayments;
import com.shopsense.tools.replay.TaobaoConverter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * The whole pipeline on one machine: a real Kafka broker (KRaft, child JVM), a local redis-server,
 * the job in a Flink MiniCluster with RocksDB, checkpoints and the web UI, and a replay of real Taobao
 * sessions (the demo slice in deploy/demo-data, or the full slice under {@code --datasets}) with the
 * synthetic payment layer and planted fraud. Prints progress every few
 * seconds (job state and restarts, replay, Redis and broker reachability: a stall is reported, not
 * fatal), stops everything it started on Ctrl-C, SIGINT or SIGTERM or after {@code --duration}, and
 * ends with a summary read from Kafka and Redis. Every port listens on {@code --bind-address}
 * (default 127.0.0.1).
 *
 * <pre>
 * deploy/run-local.sh [--duration SECONDS] [--rate EVENTS_PER_S] [--copies N] [--rows N]
 *                     [--fraud-every N] [--malformed true|false] [--demo-rule true|false] [--reviews true|false]
 *                     [--workdir DIR] [--web-ui-port P]
 *                     [--demo-port P] [--bind-address 127.0.0.1] [--datasets DIR] [--job.option value ...]
 * </pre>
 */
public final class LocalRun {
    /** Facts read back from Kafka and Redis at the end of a run. */
    public record Summary(long eventsReplayed, long sendFailures, long malformedInjected, long invalidInData, long deadLetters,
            long sessionsClosed, long usersWithRecommendations, long usersWithScores, long alerts,
            Set<String> plantedFraudUsers, Set<String> alertedUsers, Optional<RecoCatalogue> recoCatalogue,
            TrendingKeys.Count trending, ReviewSummary.Result reviews) {

        public long plantedFraudUsersAlerted() {
            return plantedFraudUsers.stream().filter(alertedUsers::contains).count();
        }

        public boolean healthy() {
            return eventsReplayed > 0 && sendFailures == 0 && sessionsClosed > 0 && usersWithRecommendations > 0 && usersWithScores > 0
                    && alerts > 0 && plantedFraudUsersAlerted() > 0 && deadLetters == malformedInjected + invalidInData
                    && recoCatalogue.map(RecoCatalogue::allInCatalogue).orElse(false)
                    && trending.total() > 0 && reviews.healthy();
        }
    }

    private final Map<String, String> options = new HashMap<>();
    private final Map<String, String> jobOverrides = new HashMap<>();
    /** The exit status a signal asked for (128 + its number), 0 when the run ended by itself. */
    private int stoppedBy;

    private LocalRun(String[] args) {
        options.put("duration", "0");
        options.put("rate", "3000");
        options.put("copies", "1");
        options.put("rows", "100000");
        options.put("fraud-every", "20");
        options.put("malformed", "true");
        options.put("demo-rule", "true");
        options.put("reviews", "true");
        options.put("workdir", ".local-run");
        options.put("web-ui-port", "8081");
        options.put("demo-port", "8088");
        options.put("bind-address", "127.0.0.1");
        readArgs(args, options, jobOverrides);
    }

    /**
     * {@code --key value} pairs: keys already in {@code options} (the run's own, with their defaults) are
     * set there, any other key is a job option override. Adds {@code datasets}: SHOPSENSE_DATASETS, else
     * empty (see {@link #datasetsOrDefault}).
     */
    static void readArgs(String[] args, Map<String, String> options, Map<String, String> jobOverrides) {
        String datasets = System.getenv("SHOPSENSE_DATASETS");
        options.put("datasets", datasets != null ? datasets : "");
        for (int i = 0; i + 1 < args.length; i += 2) {
            String key = args[i].replaceFirst("^--", "");
            (options.containsKey(key) ? options : jobOverrides).put(key, args[i + 1]);
        }
    }

    public static void main(String[] args) {
        try {
            LocalRun run = new LocalRun(args);
            Summary s = run.run();
            System.exit(run.stoppedBy != 0 ? run.stoppedBy : s.healthy() ? 0 : 1);
        } catch (WorkDir.Refused e) {
            System.err.println("Local run failed: " + e.getMessage());
            System.exit(2);
        } catch (java.nio.file.NoSuchFileException e) {
            // A wrong data path is the caller's to fix: the message names the file, a stack trace adds nothing.
            System.err.println("Local run failed: file not found: " + e.getMessage());
            System.exit(2);
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

    /**
     * The Taobao file to replay: the full slice in --datasets / SHOPSENSE_DATASETS when given, else the later part
     * of the demo slice bundled in the repository (a bare clone has no ../shared/datasets), the part the demo
     * recommender was not trained on. Missing: an exception naming it.
     */
    static Path replayFile(Map<String, String> options) throws java.nio.file.NoSuchFileException {
        String datasets = options.get("datasets");
        if (datasets == null || datasets.isEmpty()) {
            return DemoData.require(DemoData.TAOBAO_LATER, "the demo slice bundled in the repository; run from its root");
        }
        return DemoData.require(Path.of(datasets, "taobao-userbehavior", "UserBehavior_slice.csv"),
                "--datasets / SHOPSENSE_DATASETS name the folder of the full public datasets; leave both unset "
                        + "to replay the bundled demo slice (" + DemoData.DIR + ")");
    }

    /** The datasets folder for tools that need the full files: --datasets, SHOPSENSE_DATASETS, else ../shared/datasets. */
    static String datasetsOrDefault(Map<String, String> options) {
        String datasets = options.get("datasets");
        return datasets == null || datasets.isEmpty() ? "../shared/datasets" : datasets;
    }

    private Summary run() throws Exception {
        Path replayFile = replayFile(options); // before starting anything: a wrong path fails at once
        // Emptied only when a local run made it (WorkDir): an existing folder of the user's is refused.
        Path work = WorkDir.prepare(Path.of(options.get("workdir")), "--workdir");
        long durationS = Long.parseLong(options.get("duration"));
        BindAddress bind = BindAddress.of(options.get("bind-address"));
        System.out.println("ShopSense local run, work dir " + work);
        if (!bind.isLoopback()) {
            System.out.println("WARNING: --bind-address " + bind.host() + ": the web UI, demo page, Kafka broker and "
                    + "redis-server (no passwords, a public pseudonymisation key) are reachable from the network");
        }

        // Closed last (declared first): its hook waits for the closes below, or stops the children itself.
        try (StopOnSignal stop = new StopOnSignal(Duration.ofSeconds(45));
                KafkaBrokerProcess kafka = stop.child(KafkaBrokerProcess.start(work.resolve("kafka"), bind));
                RedisServerProcess redis = stop.child(RedisServerProcess.start(work.resolve("redis"), bind))) {
            System.out.println("Kafka broker " + kafka.bootstrapServers() + " (pid " + kafka.pid() + "), redis-server "
                    + redis.address() + " (pid " + redis.pid() + ")");
            Map<String, String> job = new HashMap<>();
            job.put(JobOptions.KAFKA_BOOTSTRAP.key(), kafka.bootstrapServers());
            job.put(JobOptions.REDIS_NODES.key(), redis.address());
            job.put(JobOptions.STARTING_OFFSETS.key(), "earliest");
            job.put(JobOptions.PSEUDONYMIZATION_DEV_KEY.key(), "true");
            // The demo shows every output, the closed-sessions topic included (off by default in a deployment).
            job.put(JobOptions.PUBLISH_SESSIONS.key(), "true");
            // One shop: its recommender was trained on the Taobao slice's first 50,000 rows (docs/local-run.md).
            job.put(JobOptions.RECOMMEND_MODELS_DIR.key(), DemoData.DEMO_RECOMMENDER.toString());
            // Review insight scaled to a replay of under an hour with at most ~35 reviews per product: the
            // deployment defaults (a 30-day window sliding by a day, surges over the last 20 after 30) would write
            // their first window after the replay's end (docs/local-run.md).
            job.put(JobOptions.REVIEW_WINDOW.key(), "1 h");
            job.put(JobOptions.REVIEW_SLIDE.key(), "5 min");
            job.put(JobOptions.REVIEW_SURGE_LAST_N.key(), "10");
            job.put(JobOptions.REVIEW_SURGE_MIN_REVIEWS.key(), "15");
            job.putAll(jobOverrides);
            JobConfig cfg = JobConfig.of(job);
            createTopics(cfg);

            List<com.shopsense.event.ShopEvent> real = TaobaoConverter.read(replayFile,
                    Integer.parseInt(options.get("rows")),
                    replayFile.equals(DemoData.TAOBAO_LATER) ? DemoData.TAOBAO_LATER_FIRST_ROW : 1);
            SyntheticPayments.Result replay = SyntheticPayments.addTo(real, Integer.parseInt(options.get("fraud-every")));
            // Real review texts on synthetic reviewers of the replayed shop (docs/replay-data.md).
            ReviewReplay.Result reviews = Boolean.parseBoolean(options.get("reviews"))
                    ? ReviewReplay.build(real, reviewTexts(options, true), reviewTexts(options, false))
                    : ReviewReplay.none();
            List<com.shopsense.event.ShopEvent> events = ReviewReplay.mix(replay.events(), reviews);
            int copies = Integer.parseInt(options.get("copies"));
            boolean injectMalformed = Boolean.parseBoolean(options.get("malformed"));
            List<MalformedRecords.Expected> badReviews = injectMalformed ? MalformedRecords.badReviews() : List.of();
            List<byte[]> malformed = new java.util.ArrayList<>(injectMalformed ? MalformedRecords.handWritten() : List.of());
            badReviews.forEach(b -> malformed.add(b.bytes()));
            // Real rows the contract rejects, kept as the data has them: the Taobao 1970 row, a review text with a
            // control character (one in the full Chinese set).
            com.shopsense.event.EventParser contract = new com.shopsense.event.EventParser(cfg.eventLimits(),
                    System::currentTimeMillis);
            long invalidInData = (replay.events().stream()
                    .filter(e -> e.timestampMs() < com.shopsense.event.EventLimits.YEAR_2000_MS).count()
                    + reviews.reviews().stream().filter(e -> !acceptedBy(contract, e)).count()) * copies;
            ReplayProducer producer = new ReplayProducer(KafkaClientProps.bytesProducer(cfg),
                    cfg.get(JobOptions.TOPIC_EVENTS), events, malformed, copies,
                    Double.parseDouble(options.get("rate")));
            System.out.printf(Locale.ROOT, "Replaying %d events (%s: %d real + synthetic payments, %d users with "
                    + "planted fraud, %d real reviews on %d products and %d categories) x %d copies + %d malformed "
                    + "records at %s events/s%n", events.size(), replayFile, real.size(), replay.fraudUsers().size(),
                    reviews.reviews().size(), reviews.products().size(), reviews.categories().size(), copies,
                    malformed.size(), options.get("rate"));

            int uiPort = bind.firstFreePort(Integer.parseInt(options.get("web-ui-port")), 9);
            StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(
                    flinkConf(work, uiPort, bind));
            env.setParallelism(2);
            ShopSenseJob.startUp(env, cfg);
            JobClient client = env.executeAsync("ShopSense (local)");
            URI webUi = URI.create("http://" + bind.connectHost() + ":" + uiPort);
            System.out.println("Flink web UI: " + webUi);
            StorefrontReader storefront = new StorefrontReader(RedisSettings.fromConfig(cfg), List.of(), 20,
                    com.shopsense.tools.readers.Catalogue.load(CatalogueFile.write(shopItems(real, replayFile),
                            work.resolve("catalogue.csv"))),
                    StorefrontReader.thresholdsOf(cfg.get(JobOptions.MODELS_DIR)));
            com.sun.net.httpserver.HttpServer demo = serveDemo(storefront, bind,
                    Integer.parseInt(options.get("demo-port")));
            System.out.println("Storefront demo page: http://" + bind.connectHost() + ":" + demo.getAddress().getPort() + "/");
            // Before the replay: the rule applies from its first event (docs/local-run.md "The risk team's rule").
            DemoFraudRule demoRule = !Boolean.parseBoolean(options.get("demo-rule")) ? null
                    : DemoFraudRule.publish(cfg, replay.events().stream().mapToLong(e -> e.timestampMs())
                            .filter(t -> t >= com.shopsense.event.EventLimits.YEAR_2000_MS).min().orElse(0L));
            ReviewSummary reviewSummary = new ReviewSummary(badReviews);
            Map<String, String> reviewTexts = new java.util.LinkedHashMap<>();
            reviews.texts().forEach((id, r) -> reviewTexts.put(id, r.text()));
            TextLeakCheck leakCheck = new TextLeakCheck(reviewTexts, 200);
            Thread producerThread = new Thread(producer, "replay");
            producerThread.setDaemon(true);
            producerThread.start();

            Set<String> alertedUsers = ConcurrentHashMap.newKeySet();
            ObjectMapper json = new ObjectMapper();
            RedisSettings redisSettings = RedisSettings.fromConfig(cfg);
            JobWatch jobWatch = new JobWatch(client, webUi);
            JourneySummary journey = new JourneySummary();
            Optional<JourneySummary.Churn> churn;
            long deadLetters;
            long sessions;
            long alerts;
            Optional<RedisKeyCounts.Counts> redisCounts;
            try (TopicCounter dlq = new TopicCounter(cfg, cfg.get(JobOptions.TOPIC_DLQ), reviewSummary.deadLetters());
                    TopicCounter closed = new TopicCounter(cfg, cfg.get(JobOptions.TOPIC_SESSIONS),
                            leakCheck.topic(cfg.get(JobOptions.TOPIC_SESSIONS)));
                    TopicCounter alertTopic = new TopicCounter(cfg, cfg.get(JobOptions.TOPIC_ALERTS), r -> {
                        leakCheck.topic(cfg.get(JobOptions.TOPIC_ALERTS)).accept(r);
                        try {
                            alertedUsers.add(json.readTree(r.value()).get("userId").asText());
                        } catch (java.io.IOException ignored) {
                            // counted anyway
                        }
                    });
                    TopicCounter actionTopic = new TopicCounter(cfg, cfg.get(JobOptions.TOPIC_ACTIONS),
                            journey.actionCounter().andThen(leakCheck.topic(cfg.get(JobOptions.TOPIC_ACTIONS))));
                    RedisKeyCounts keyCounts = new RedisKeyCounts(redisSettings);
                    KafkaLag lag = new KafkaLag(KafkaClientProps.admin(cfg), cfg.get(JobOptions.KAFKA_GROUP))) {
                long start = System.nanoTime();
                long lastSent = 0;
                long lastTime = start;
                // The monitors answer "unreachable" or "unknown" instead of throwing: only the job's own end,
                // --duration or a signal ends the run (Flink restarts the job through Redis or broker stalls).
                while (!stop.await(Duration.ofSeconds(5))) {
                    JobWatch.State state = jobWatch.read();
                    long now = System.nanoTime();
                    long sent = producer.sent();
                    ProgressLine line = new ProgressLine((now - start) / 1e9, state, sent,
                            (sent - lastSent) / ((now - lastTime) / 1e9), producer.finished(), closed.poll(),
                            keyCounts.read(), alertTopic.poll(), dlq.poll(), lag.read(), inferenceLine());
                    System.out.println(line.format());
                    lastSent = sent;
                    lastTime = now;
                    if (state.ended()) {
                        System.out.println("job ended: " + state.status().get());
                        break;
                    }
                    if (durationS > 0 && now - start >= TimeUnit.SECONDS.toNanos(durationS)) {
                        break;
                    }
                }
                producer.stop();
                if (!stop.requested()) {
                    Thread.sleep(3_000); // let the last checkpoint commit the transactional outputs
                }
                deadLetters = dlq.poll();
                sessions = closed.poll();
                alerts = alertTopic.poll();
                actionTopic.poll();
                // Just after a stall Redis may need a moment; on a signal, one try (the user wants out).
                redisCounts = stop.requested() ? keyCounts.read() : readWithin(keyCounts, Duration.ofSeconds(20));
            }
            TrendingKeys.Count trending = TrendingKeys.read(redisSettings);
            Optional<ReviewSummary.Aggregates> reviewAggregates = ReviewSummary.read(redisSettings);
            boolean privacyChecked = leakCheck.scanRedis(redisSettings);
            churn = JourneySummary.readChurn(redisSettings);
            demo.stop(0);
            storefront.close();
            cancel(client);
            if (redisCounts.isEmpty()) {
                System.out.println("Redis unreachable at the end: its counts below are 0");
            }
            RedisKeyCounts.Counts rc = redisCounts.orElse(new RedisKeyCounts.Counts(0, 0));
            Optional<RecoCatalogue> recoCatalogue = redisCounts.isEmpty() ? Optional.empty()
                    : RecoCatalogue.read(redisSettings, RecoCatalogue.catalogue(replayFile),
                            RecoCatalogue.vocabulary(cfg.recommendRuntimeOptions().modelsDir()));
            Summary s = new Summary(producer.sent() - producer.malformedSent(), producer.failed(),
                    producer.malformedSent(), invalidInData,
                    deadLetters, sessions, rc.reco(), rc.scores(), alerts, replay.fraudUsers(), Set.copyOf(alertedUsers),
                    recoCatalogue, trending, new ReviewSummary.Result(reviews.reviews().size() * (long) copies,
                            producer.reviewsSent(), reviews.texts().values().stream().filter(r -> r.negativeInData()).count()
                                    * copies, ReviewSummary.stageInBuild(cfg.get(JobOptions.MODELS_DIR)), reviewAggregates,
                            journey.actionCounts().getOrDefault(ReviewSummary.SURGE, 0L), reviewSummary.badReviewsInjected(),
                            reviewSummary.badReviewMismatches(), leakCheck.needles(), leakCheck.scanned(), privacyChecked,
                            leakCheck.leaks()));
            List<String> quality = RecoQualitySummary.read(redisSettings);
            String ruleLine = demoRule == null ? null : demoRule.line(redisSettings);
            printSummary(s, () -> {
                if (ruleLine != null) {
                    System.out.println(ruleLine);
                }
                quality.forEach(System.out::println);
                journey.print(churn);
            });
            stoppedBy = stop.exitStatus();
            return s;
        }
    }

    private static Optional<RedisKeyCounts.Counts> readWithin(RedisKeyCounts counts, Duration d) throws InterruptedException {
        long deadline = System.nanoTime() + d.toNanos();
        Optional<RedisKeyCounts.Counts> c = counts.read();
        while (c.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(1_000);
            c = counts.read();
        }
        return c;
    }

    /**
     * The shop's items the page names categories for: the replayed rows, plus the Taobao history the demo
     * recommender was trained on when the later part is replayed (its lists hold items of that history).
     */
    private static List<com.shopsense.event.ShopEvent> shopItems(List<com.shopsense.event.ShopEvent> replayed,
            Path replayFile) throws java.io.IOException {
        if (!replayFile.equals(DemoData.TAOBAO_LATER) || !Files.isRegularFile(DemoData.TAOBAO)) {
            return replayed;
        }
        List<com.shopsense.event.ShopEvent> all = new java.util.ArrayList<>(replayed);
        all.addAll(TaobaoConverter.read(DemoData.TAOBAO, Integer.MAX_VALUE));
        return all;
    }

    /**
     * The real reviews to replay: the bundled slices, or with --datasets the full files (the same rule as cut.py's).
     */
    private static List<com.shopsense.tools.replay.ReviewTexts.Review> reviewTexts(Map<String, String> options,
            boolean english) throws java.io.IOException {
        String datasets = options.get("datasets");
        boolean bundled = datasets == null || datasets.isEmpty();
        if (english) {
            return bundled ? com.shopsense.tools.replay.ReviewTexts.englishSlice()
                    : com.shopsense.tools.replay.ReviewTexts.english(DemoData.require(Path.of(datasets,
                            DemoData.REVIEWS_EN_FULL), "the full English review set"),
                            com.shopsense.tools.replay.ReviewTexts.EN_MIN_PER_PRODUCT);
        }
        return com.shopsense.tools.replay.ReviewTexts.chinese(bundled
                ? DemoData.require(DemoData.REVIEWS_ZH, "the review slice bundled in the repository; run from its root")
                : DemoData.require(Path.of(datasets, DemoData.REVIEWS_ZH_FULL), "the full Chinese review set"),
                bundled ? DemoData.REVIEWS_ZH_EVERY : 1);
    }

    private static boolean acceptedBy(com.shopsense.event.EventParser contract, com.shopsense.event.ShopEvent e) {
        try {
            contract.parse(com.shopsense.event.EventJson.toBytes(e));
            return true;
        } catch (com.shopsense.event.InvalidEventException rejected) {
            return false;
        }
    }

    /** Cancels the job unless it already ended; a cancel that fails is reported, not thrown (cleanup goes on). */
    private static void cancel(JobClient client) {
        try {
            if (!client.getJobStatus().get(10, TimeUnit.SECONDS).isGloballyTerminalState()) {
                client.cancel().get(60, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            System.err.println("local run: cancelling the job: " + e);
        }
    }

    /** The demo page on the given port, or the next free one (port 0: any). */
    private static com.sun.net.httpserver.HttpServer serveDemo(StorefrontReader reader, BindAddress bind, int port)
            throws java.io.IOException {
        for (int p = port; ; p++) {
            try {
                return reader.serve(bind.address(), p);
            } catch (java.net.BindException taken) {
                if (port == 0 || p >= port + 9) {
                    throw taken;
                }
            }
        }
    }

    /** @param extraLines the summary lines of parts with their own reader (journey actions, churn) */
    private static void printSummary(Summary s, Runnable extraLines) {
        System.out.println();
        System.out.println("=== ShopSense local run summary (read from Kafka and Redis) ===");
        System.out.printf(Locale.ROOT, "events replayed            %,d (not acknowledged by Kafka: %,d)%n",
                s.eventsReplayed(), s.sendFailures());
        System.out.printf(Locale.ROOT, "sessions closed            %,d%n", s.sessionsClosed());
        System.out.printf(Locale.ROOT, "users with scores (Redis)  %,d%n", s.usersWithScores());
        System.out.printf(Locale.ROOT, "users with recommendations %,d%n", s.usersWithRecommendations());
        s.recoCatalogue().ifPresentOrElse(r -> r.print(System.out),
                () -> System.out.println("reco lists                 not read (Redis unreachable)"));
        System.out.printf(Locale.ROOT, "fraud alerts (topic)       %,d%n", s.alerts());
        System.out.printf(Locale.ROOT, "planted fraud users        %,d, alerted %,d%n", s.plantedFraudUsers().size(),
                s.plantedFraudUsersAlerted());
        System.out.printf(Locale.ROOT, "dead letters               %,d (malformed injected %,d + invalid rows in the data %,d)%n",
                s.deadLetters(), s.malformedInjected(), s.invalidInData());
        System.out.println(s.trending().line());
        extraLines.run();
        s.reviews().lines().forEach(System.out::println);
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

    /** flink-conf/ adapted to one process; {@code ui}: the web UI port (0: any). Every server on {@code bind}. */
    static Configuration flinkConf(Path work, int ui, BindAddress bind) {
        Configuration c = GlobalConfiguration.loadConfiguration("flink-conf");
        // A laptop, not a cluster: local paths, short checkpoint interval, no Prometheus jar needed.
        c.setString("execution.checkpointing.dir", work.resolve("checkpoints").toUri().toString());
        c.setString("execution.checkpointing.savepoint-dir", work.resolve("savepoints").toUri().toString());
        c.setString("execution.checkpointing.interval", "3 s");
        c.setString("state.backend.rocksdb.localdir", work.resolve("rocksdb").toString());
        c.setString("rest.port", Integer.toString(ui)); // chosen free by the caller, so the line can name it
        // flink-conf binds the REST endpoint to 0.0.0.0 for a cluster; the MiniCluster's blob server and
        // the TaskManager's data port listen on the bind hosts too (all interfaces when unset).
        c.setString("rest.bind-address", bind.host());
        c.setString("rest.address", bind.connectHost());
        c.setString("jobmanager.bind-host", bind.host());
        c.setString("jobmanager.rpc.address", bind.connectHost());
        c.setString("taskmanager.bind-host", bind.host());
        c.setString("taskmanager.host", bind.connectHost());
        c.setString("metrics.fetcher.update-interval", "2 s"); // numRestarts on the progress line, not 10 s late
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
                    cfg.get(JobOptions.TOPIC_LABELS), cfg.get(JobOptions.TOPIC_ACTIONS),
                    cfg.get(JobOptions.TOPIC_RULES)).stream()
                    .map(t -> new NewTopic(t, 2, (short) 1)).toList()).all().get(30, TimeUnit.SECONDS);
        }
    }
}
