package com.shopsense.loadtest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.shopsense.config.JobConfig;
import com.shopsense.config.JobOptions;
import com.shopsense.event.EventJson;
import com.shopsense.event.EventLimits;
import com.shopsense.event.EventType;
import com.shopsense.event.RouteInvalidRecords;
import com.shopsense.event.ShopEvent;
import com.shopsense.features.SessionFeatures;
import com.shopsense.inference.BatchStats;
import com.shopsense.inference.ModelSource;
import com.shopsense.inference.SharedModels;
import com.shopsense.job.ShopSenseJob;
import com.shopsense.session.RecoRefreshPolicy;
import com.shopsense.session.SessionConfig;
import com.shopsense.session.SessionTracker;
import com.shopsense.tools.local.KafkaBrokerProcess;
import com.shopsense.tools.local.RedisServerProcess;
import com.shopsense.tools.local.WorkDir;
import com.shopsense.tools.replay.MalformedRecords;
import com.shopsense.tools.replay.ReplayProducer;
import com.shopsense.tools.replay.SyntheticPayments;
import com.shopsense.tools.replay.TaobaoConverter;
import com.shopsense.tools.replay.YooChooseConverter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;

/**
 * Load test of the whole pipeline and of its Kafka/RocksDB stages, in one JVM (job in a Flink
 * MiniCluster with RocksDB, like {@code LocalRun}), against a real Kafka broker (child JVM) and a
 * local redis-server. Not a test: a main, run by {@code load-tests/run-all.sh}.
 *
 * <ol>
 *   <li>Pre-loads the workload x {@code --copies} (remapped users) into a topic: {@code --workload taobao} (default)
 *       the Taobao slice + synthetic payments (sparse users, ~1.7 events each); {@code --workload yoochoose} the
 *       YooChoose clicks, a session as a user (~4 events each; + synthetic payments for the orders of a buys file,
 *       when there is one).</li>
 *   <li>Stage limits over that topic: consume + parse only; consume + parse + sessionize (RocksDB), on a topic of
 *       {@code --state-copies} copies (many users: state per user) or, with {@code --state-copies 0}, on the
 *       pipeline's own topic (the ratio pipeline / sessionize on the same data).</li>
 *   <li>The full job over the same topic as fast as it goes (every event intent-scored, reco refreshed
 *       per reco.min-interval, payments fraud-scored), with a JFR sample profile, heap/RSS samples and
 *       a canonical savepoint at the end (state bytes per user).</li>
 *   <li>Latency probe: a fresh job on a fresh topic, open-loop producer at {@code --latency-fraction} of
 *       the measured max, marker users whose first score appears in Redis; and alerts on the alert topic.</li>
 * </ol>
 * Writes {@code pipeline.json} ({@code pipeline-<workload>.json} for a workload other than taobao) into
 * {@code --out}, with the workload's shape (events and sessions per user) under {@code workload}.
 */
public final class PipelineLoadHarness {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Map<String, String> opt = new HashMap<>();
    private final Map<String, Object> result = new LinkedHashMap<>();
    private Path work;
    private Path out;
    /** pipeline (the taobao workload) or pipeline-<workload>: the JSON and JFR file names. */
    private String resultName = "pipeline";

    private PipelineLoadHarness(String[] args) {
        opt.put("workload", "taobao");
        opt.put("copies", "4");
        opt.put("state-copies", "17");
        opt.put("rows", "1000000");
        opt.put("fraud-every", "20");
        opt.put("datasets", "../shared/datasets");
        opt.put("workdir", "/tmp/shopsense-loadtest");
        opt.put("out", "load-tests/results");
        opt.put("latency-seconds", "40");
        opt.put("latency-warmup-seconds", "8");
        opt.put("latency-fraction", "0.5");
        opt.put("latency-rate", "0");
        opt.put("checkpoint-interval", "5 s");
        opt.put("parallelism", "2");
        opt.put("latency-tuned", "true");
        opt.put("managed-memory", "1g");
        opt.put("max-minutes-state", "4");
        opt.put("max-minutes-pipeline", "5");
        opt.put("stages", "parse,sessionize,pipeline,latency");
        // A first, unmeasured pipeline job over this many copies in the same JVM before the measured one: the JIT
        // has compiled the hot paths, as in a job that has run for a while (0: none). 5 copies: with 3, C2 still took
        // 27 us per event of the measured job's sustained part (load-tests/RESULTS.md, issue 21 round 3).
        opt.put("warmup-copies", "5");
        // The JSON/JFR file name (default pipeline or pipeline-<workload>): run-all.sh runs the stage jobs and the
        // full pipeline in separate JVMs and merges the two files.
        opt.put("result-name", "");
        // Overrides for what-if runs, key=value[,key=value]: Flink configuration and job options.
        opt.put("flink", "");
        opt.put("job", "");
        for (int i = 0; i + 1 < args.length; i += 2) {
            String key = args[i].replaceFirst("^--", "");
            if (!opt.containsKey(key)) {
                throw new IllegalArgumentException("unknown option --" + key + "; known: " + opt.keySet());
            }
            opt.put(key, args[i + 1]);
        }
    }

    public static void main(String[] args) throws Exception {
        new PipelineLoadHarness(args).run();
        System.exit(0);
    }

    private void run() throws Exception {
        // Emptied only when a run made it (a marker file), as the local run's --workdir.
        work = WorkDir.prepare(Path.of(opt.get("workdir")), "--workdir");
        out = Path.of(opt.get("out")).toAbsolutePath();
        Files.createDirectories(out);
        Set<String> stages = Set.of(opt.get("stages").split(","));
        String workload = opt.get("workload");
        resultName = !opt.get("result-name").isEmpty() ? opt.get("result-name")
                : workload.equals("taobao") ? "pipeline" : "pipeline-" + workload;
        result.put("date", Instant.now().toString());
        result.put("options", new LinkedHashMap<>(opt));
        result.put("loadAverageAtStart", loadAverage());

        List<ShopEvent> real = realEvents(workload);
        SyntheticPayments.Result replay = SyntheticPayments.addTo(real, Integer.parseInt(opt.get("fraud-every")));
        List<ShopEvent> events = replay.events();
        int copies = Integer.parseInt(opt.get("copies"));
        int stateCopies = Integer.parseInt(opt.get("state-copies"));
        SessionConfig sc = JobConfig.of(overrides("job")).sessionConfig();
        Map<String, Object> shape = WorkloadShape.of(workload, events, copies, sc.gap(), sc.maxDuration());
        shape.put("source", workload.equals("taobao")
                ? "taobao-userbehavior/UserBehavior_slice.csv: pv/fav -> view, cart -> add_to_cart, buy -> order"
                : YooChooseConverter.FOLDER + "/" + YooChooseConverter.CLICK_FILES
                        + ": session id -> user yc-<SessionId>, click -> view (time as in the data)"
                        + (real.stream().anyMatch(e -> e.type() == EventType.ORDER)
                                ? ", buy -> order" : "; no buys file: no orders, so no payments"));
        shape.put("synthetic", "payments (one per order) and planted fraud (SyntheticPayments); copies k >= 1: "
                + "user and event ids + \"~k\", timestamps unchanged");
        result.put("workload", shape);
        System.out.println("workload " + workload + ": " + shape);

        try (KafkaBrokerProcess kafka = KafkaBrokerProcess.start(work.resolve("kafka"));
                RedisServerProcess redis = RedisServerProcess.start(work.resolve("redis"))) {
            String bootstrap = kafka.bootstrapServers();
            createTopics(bootstrap, List.of("load-events", "state-events", "probe-events", "probe-events-2", "shop-events-dlq",
                    "shop-sessions", "fraud-alerts", "fraud-rules", "shop-actions"));
            Map<String, Object> preload = preload(bootstrap, "load-events", events, copies);
            result.put("preload", preload);
            write();
            long expectedValid = (long) preload.get("validEvents");
            Map<String, Object> statePreload = null;
            String stateTopic = "state-events";
            if (stages.contains("sessionize") && stateCopies > 0) {
                statePreload = preload(bootstrap, stateTopic, events, stateCopies);
                result.put("preloadState", statePreload);
                write();
            } else if (stages.contains("sessionize")) {
                statePreload = preload; // sessionize the pipeline's own topic: the same data
                stateTopic = "load-events";
            }

            double pipelineRate = 0;
            if (stages.contains("parse")) {
                result.put("stageParse", stageJob(bootstrap, redis, "parse", "load-events", expectedValid, null));
                write();
            }
            if (stages.contains("sessionize")) {
                result.put("stageSessionize", stageJob(bootstrap, redis, "sessionize", stateTopic,
                        (long) statePreload.get("validEvents"), statePreload));
                write();
            }
            if (stages.contains("pipeline")) {
                int warmupCopies = Integer.parseInt(opt.get("warmup-copies"));
                if (warmupCopies > 0) {
                    createTopics(bootstrap, List.of("warmup-events"));
                    Map<String, Object> w = preload(bootstrap, "warmup-events", events, warmupCopies);
                    long t = System.nanoTime();
                    Map<String, Object> wr = fullPipeline(bootstrap, redis, "warmup-events", (long) w.get("validEvents"),
                            w, false);
                    result.put("pipelineWarmup", Map.of("copies", warmupCopies, "events", w.get("validEvents"),
                            "seconds", (System.nanoTime() - t) / 1e9, "eventsPerSecond", wr.get("eventsPerSecond")));
                    write();
                }
                Map<String, Object> p = fullPipeline(bootstrap, redis, "load-events", expectedValid, preload, true);
                result.put("pipeline", p);
                pipelineRate = (double) p.get("eventsPerSecond");
                write();
            }
            if (stages.contains("latency")) {
                double rate = Double.parseDouble(opt.get("latency-rate"));
                if (rate <= 0) {
                    rate = pipelineRate > 0 ? pipelineRate * Double.parseDouble(opt.get("latency-fraction")) : 5000;
                }
                result.put("latency", latencyProbe(bootstrap, redis, events, rate, "probe-events", false));
                write();
                if (Boolean.parseBoolean(opt.get("latency-tuned"))) {
                    // A second probe job with Flink's network buffer timeout at 5 ms and redis.max-delay at 10 ms:
                    // a what-if once, the defaults since (flink-conf, JobOptions), so now the same settings run second
                    result.put("latencyTuned", latencyProbe(bootstrap, redis, events, rate, "probe-events-2", true));
                    write();
                }
            }
        }
        result.put("loadAverageAtEnd", loadAverage());
        write();
        System.out.println("wrote " + out.resolve(resultName + ".json"));
    }

    // ---------------------------------------------------------------- pre-load

    private Map<String, Object> preload(String bootstrap, String topic, List<ShopEvent> events, int copies)
            throws Exception {
        Properties p = producerProps(bootstrap);
        p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, "262144");
        List<byte[]> malformed = MalformedRecords.handWritten();
        long invalid = 0;
        long payments = 0;
        long n = 0;
        long bytes = 0;
        // distinct users after n events: every base user brings its copies with it
        Set<String> baseUsers = new HashSet<>();
        List<long[]> usersCurve = new ArrayList<>();
        long start = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            for (byte[] m : malformed) {
                producer.send(new ProducerRecord<>(topic, "junk".getBytes(StandardCharsets.UTF_8), m));
            }
            for (ShopEvent e : events) {
                baseUsers.add(e.userId());
                for (int k = 0; k < copies; k++) {
                    ShopEvent c = k == 0 ? e : ReplayProducer.remap(e, k);
                    byte[] v = EventJson.toBytes(c);
                    bytes += v.length;
                    producer.send(new ProducerRecord<>(topic, c.userId().getBytes(StandardCharsets.UTF_8), v));
                    n++;
                    if (e.timestampMs() < EventLimits.YEAR_2000_MS) {
                        invalid++;
                    }
                    if (e.amount() != null) {
                        payments++;
                    }
                }
                if (n % 100_000 < copies) {
                    usersCurve.add(new long[] {n, (long) baseUsers.size() * copies});
                }
            }
            producer.flush();
        }
        double secs = (System.nanoTime() - start) / 1e9;
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("events", n);
        r.put("malformed", malformed.size());
        r.put("invalidInData", invalid);
        r.put("validEvents", n - invalid);
        r.put("eventsWithAmount", payments);
        r.put("distinctUsers", (long) baseUsers.size() * copies);
        r.put("baseEvents", events.size());
        r.put("copies", copies);
        r.put("meanEventBytes", n == 0 ? 0 : bytes / n);
        r.put("seconds", secs);
        r.put("producerEventsPerSecond", n / secs);
        r.put("usersAfterEvents", usersCurve);
        System.out.printf(Locale.ROOT, "pre-loaded %,d events (%,d users) in %.1f s (%,.0f/s)%n", n,
                (long) baseUsers.size() * copies, secs, n / secs);
        return r;
    }

    // ---------------------------------------------------------------- stage jobs

    private Map<String, Object> stageJob(String bootstrap, RedisServerProcess redis, String stage, String topic,
            long expected, Map<String, Object> preload) throws Exception {
        Counters.reset();
        boolean measureState = preload != null;
        JobConfig cfg = jobConfig(bootstrap, redis, topic, "g-" + stage, !measureState);
        StreamExecutionEnvironment env = environment(stage);
        DataStream<com.shopsense.event.ParsedRecord> records = env
                .fromSource(ShopSenseJob.source(cfg), ShopSenseJob.watermarks(cfg), "Kafka load-events")
                .uid("kafka-shop-events");
        var events = records.process(new RouteInvalidRecords()).uid("route-invalid").name("Route invalid records");
        if (stage.equals("parse")) {
            events.sinkTo(Counters.sink(stage)).name("count");
        } else {
            SessionFeatures features = new SessionFeatures(new String(
                    new ModelSource(cfg.runtimeOptions().modelsDir()).read("feature_spec.json"), StandardCharsets.UTF_8));
            events.keyBy(ShopEvent::userId)
                    .process(new SessionTracker(cfg.sessionConfig(), features, RecoRefreshPolicy.defaults())).uid("session-tracker").name("Sessionize")
                    .filter(com.shopsense.session.SessionEvent::isEvent).name("accepted events") // not close markers
                    .sinkTo(Counters.sink(stage)).name("count");
        }
        long t0 = System.nanoTime();
        JobClient client = env.executeAsync("load-test " + stage);
        List<Map<String, Object>> samples = new ArrayList<>();
        if (measureState) {
            steady = new Steady(expected);
            awaitDone(client, Counters.get(stage), expected, t0, samples, Long.parseLong(opt.get("max-minutes-state")));
        } else {
            client.getJobExecutionResult().get(30, TimeUnit.MINUTES);
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        Counters.Counter c = Counters.get(stage);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("partialRun", partial);
        partial = false;
        if (measureState) {
            r.put("memory", memory(client, usersAfter(preload, c.count()), stage, samples));
            client.cancel().get(2, TimeUnit.MINUTES);
        }
        r.put("stage", stage);
        r.put("records", c.count());
        r.put("expected", expected);
        r.put("eventsPerSecond", c.ratePerSecond());
        r.put("secondsFirstToLast", (c.lastNanos() - c.firstNanos()) / 1e9);
        r.put("wallSecondsIncludingStartup", wall);
        if (steady != null) {
            r.put("steady", steady.result());
            steady = null;
        }
        r.put("loadAverage", loadAverage());
        System.out.printf(Locale.ROOT, "stage %s: %,d records, %,.0f events/s (first->last), wall %.1f s%n", stage,
                c.count(), c.ratePerSecond(), wall);
        return r;
    }

    // ---------------------------------------------------------------- full pipeline

    /** @param measured false for the warm-up job: no profile, memory samples or savepoints */
    private Map<String, Object> fullPipeline(String bootstrap, RedisServerProcess redis, String topic, long expected,
            Map<String, Object> preload, boolean measured) throws Exception {
        Counters.reset();
        try (Jedis j = new Jedis(redis.host(), redis.port())) {
            // Each job starts on an empty Redis: the warm-up job replays the same event times, so the lists and
            // guards it leaves would make the measured job's writes differ from a fresh deployment's.
            j.flushAll();
            j.configResetStat(); // the pipeline's commands alone in INFO commandstats
        }
        JobConfig cfg = jobConfig(bootstrap, redis, topic, "g-" + topic, false);
        StreamExecutionEnvironment env = environment("pipeline");
        ShopSenseJob.Outputs o = ShopSenseJob.build(env, cfg);
        o.intentScores().sinkTo(Counters.sink("intent")).name("count intent");
        o.recommendations().sinkTo(Counters.sink("reco")).name("count reco");
        o.fraudScores().sinkTo(Counters.sink("fraud")).name("count fraud");
        o.closedSessions().sinkTo(Counters.sink("closed")).name("count closed");

        Path jfr = out.resolve(resultName + ".jfr");
        boolean profile = measured && Boolean.parseBoolean(System.getProperty("loadtest.jfr", "true"));
        Recording rec = new Recording();
        if (profile) {
            rec.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(20));
            rec.start();
        }
        List<Map<String, Object>> samples = new ArrayList<>();
        long t0 = System.nanoTime();
        JobClient client = env.executeAsync("load-test pipeline");
        Counters.Counter intent = Counters.get("intent");
        steady = new Steady(expected);
        awaitDone(client, intent, expected, t0, samples, Long.parseLong(opt.get("max-minutes-pipeline")));
        if (profile) {
            rec.stop();
            rec.dump(jfr);
        }
        rec.close();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("partialRun", partial);
        partial = false;
        r.put("intentScored", intent.count());
        r.put("expectedEvents", expected);
        r.put("eventsPerSecond", intent.ratePerSecond());
        r.put("secondsFirstToLast", (intent.lastNanos() - intent.firstNanos()) / 1e9);
        r.put("secondsSubmitToLast", (intent.lastNanos() - t0) / 1e9);
        r.put("eventsPerSecondIncludingStartup", intent.count() / ((intent.lastNanos() - t0) / 1e9));
        r.put("steady", steady.result());
        steady = null;
        r.put("recommendations", Counters.get("reco").count());
        r.put("fraudScored", Counters.get("fraud").count());
        r.put("sessionsClosed", Counters.get("closed").count());
        r.put("eventsWithAmount", preload.get("eventsWithAmount"));
        r.put("recoPerEvent", Counters.get("reco").count() / (double) Math.max(1, intent.count()));
        r.put("fraudPerEvent", Counters.get("fraud").count() / (double) Math.max(1, intent.count()));
        Map<String, Object> models = new LinkedHashMap<>();
        for (Map.Entry<String, BatchStats> e : SharedModels.stats().entrySet()) {
            BatchStats b = e.getValue();
            models.put(e.getKey(), Map.of("requests", b.requests(), "batches", b.batches(), "meanBatch", b.meanBatchSize(),
                    "meanInferenceMs", b.meanInferenceMillis(), "meanQueueWaitMs", b.meanQueueWaitMillis(),
                    "maxInferenceMs", b.maxInferenceMillis()));
        }
        r.put("batching", models);
        r.put("redisCommands", redisCommands(redis, intent.count()));
        r.put("loadAverage", loadAverage());
        System.out.printf(Locale.ROOT, "pipeline: %,d events intent-scored at %,.0f events/s; reco %,d, fraud %,d%n",
                intent.count(), intent.ratePerSecond(), Counters.get("reco").count(), Counters.get("fraud").count());
        System.out.println("pipeline steady state (25-90 % of events): " + r.get("steady"));

        if (measured) {
            r.put("memory", memory(client, usersAfter(preload, intent.count()), "pipeline", samples));
        }
        client.cancel().get(2, TimeUnit.MINUTES);
        if (profile) {
            r.put("profile", summariseJfr(jfr));
        }
        return r;
    }

    /**
     * What the job asked of redis-server during the run ({@code INFO commandstats}): per command the calls per
     * event and the microseconds inside the server per call (command execution only; parsing and replies are not
     * in it, the process CPU in the steady table has those).
     */
    private static Map<String, Object> redisCommands(RedisServerProcess redis, long events) {
        Map<String, Object> r = new LinkedHashMap<>();
        try (Jedis j = new Jedis(redis.host(), redis.port())) {
            for (String line : j.info("commandstats").split("\r?\n")) {
                // cmdstat_hset:calls=123,usec=456,usec_per_call=3.71,...
                if (!line.startsWith("cmdstat_")) {
                    continue;
                }
                String name = line.substring(8, line.indexOf(':'));
                Map<String, Double> f = new LinkedHashMap<>();
                for (String kv : line.substring(line.indexOf(':') + 1).split(",")) {
                    String[] p = kv.split("=");
                    if (p.length == 2 && (p[0].equals("calls") || p[0].equals("usec"))) {
                        f.put(p[0], Double.parseDouble(p[1]));
                    }
                }
                double calls = f.getOrDefault("calls", 0.0);
                if (calls == 0 || name.equals("info") || name.equals("config")) {
                    continue;
                }
                r.put(name, Map.of("callsPerEvent", calls / Math.max(1, events),
                        "usecPerCall", f.getOrDefault("usec", 0.0) / calls,
                        "usecPerEvent", f.getOrDefault("usec", 0.0) / Math.max(1, events)));
            }
        }
        return r;
    }

    /**
     * The sustained part of a run: the rate and where the CPU went between 25 % and 90 % of the events,
     * leaving out start-up (JIT compilation, empty caches) and the drain at the end.
     */
    private static final class Steady {
        private final long expected;
        private CpuBreakdown.Snapshot first;
        private CpuBreakdown.Snapshot last;
        private long firstCount;
        private long lastCount;

        Steady(long expected) {
            this.expected = expected;
        }

        void observe(long count, long now) {
            if (first == null && count >= expected / 4) {
                first = CpuBreakdown.take();
                firstCount = count;
            } else if (first != null && last == null && count >= expected * 9 / 10) {
                last = CpuBreakdown.take();
                lastCount = count;
            }
        }

        Map<String, Object> result() {
            Map<String, Object> r = new LinkedHashMap<>();
            if (first == null || last == null) {
                return r;
            }
            double seconds = (last.nanos() - first.nanos()) / 1e9;
            r.put("fromEvent", firstCount);
            r.put("toEvent", lastCount);
            r.put("eventsPerSecond", (lastCount - firstCount) / seconds);
            r.put("cpu", CpuBreakdown.between(first, last));
            return r;
        }
    }

    private Steady steady;

    /** Polls the counter until it has been still for 4 s at >= 98 % of the expected count. */
    private void awaitDone(JobClient client, Counters.Counter counter, long expected, long t0,
            List<Map<String, Object>> samples, long maxMinutes) throws Exception {
        long lastCount = -1;
        long stableSince = System.nanoTime();
        long nextSample = 0;
        long limit = TimeUnit.MINUTES.toNanos(maxMinutes);
        while (true) {
            Thread.sleep(250);
            long now = System.nanoTime();
            long cnt = counter.count();
            if (now >= nextSample) {
                nextSample = now + 2_000_000_000L;
                Map<String, Object> s = new LinkedHashMap<>();
                s.put("t", (now - t0) / 1e9);
                s.put("records", cnt);
                s.put("heapUsedBytes", ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
                s.put("rssBytes", rssBytes());
                samples.add(s);
                System.out.printf(Locale.ROOT, "[%5.1fs] %,d of %,d | reco %,d | fraud %,d | rss %,d MB | load %.2f%n",
                        (now - t0) / 1e9, cnt, expected, Counters.get("reco").count(), Counters.get("fraud").count(),
                        rssBytes() >> 20, loadAverage()[0]);
            }
            if (steady != null) {
                steady.observe(cnt, now);
            }
            if (cnt != lastCount) {
                lastCount = cnt;
                stableSince = now;
            } else if (cnt > 0 && now - stableSince > 4_000_000_000L && cnt >= expected * 0.98) {
                return;
            }
            if (client.getJobStatus().get().isGloballyTerminalState()) {
                throw new IllegalStateException("job ended: " + client.getJobStatus().get());
            }
            if (now - t0 > limit) {
                System.out.println("time limit reached, stopping with a partial run");
                partial = true;
                return;
            }
        }
    }

    /** Distinct users among the first {@code records} events of a pre-loaded topic (all of them when complete). */
    @SuppressWarnings("unchecked")
    private static long usersAfter(Map<String, Object> preload, long records) {
        long all = (long) preload.get("distinctUsers");
        if (records >= (long) preload.get("validEvents") * 0.98) {
            return all;
        }
        long users = 0;
        for (long[] point : (List<long[]>) preload.get("usersAfterEvents")) {
            if (point[0] <= records) {
                users = point[1];
            }
        }
        return users;
    }

    /** Heap, RSS and state size (canonical and native savepoints) with the job still running. */
    private Map<String, Object> memory(JobClient client, long users, String name, List<Map<String, Object>> samples)
            throws Exception {
        Map<String, Object> mem = new LinkedHashMap<>();
        mem.put("distinctUsers", users);
        System.gc();
        Thread.sleep(500);
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long heapCommitted = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted();
        long rss = rssBytes();
        mem.put("heapUsedAfterGcBytes", heap);
        mem.put("heapCommittedBytes", heapCommitted);
        mem.put("heapMaxBytes", Runtime.getRuntime().maxMemory());
        mem.put("rssBytes", rss);
        mem.put("rssMinusHeapCommittedBytes", rss - heapCommitted);
        mem.put("rocksdbLocalDirBytes", dirSize(work.resolve("rocksdb-" + name)));
        for (SavepointFormatType type : new SavepointFormatType[] {SavepointFormatType.CANONICAL,
                SavepointFormatType.NATIVE}) {
            String key = type == SavepointFormatType.CANONICAL ? "canonical" : "native";
            try {
                long t = System.nanoTime();
                String sp = client.triggerSavepoint(work.resolve("savepoints-" + name + "-" + key).toUri().toString(),
                        type).get(10, TimeUnit.MINUTES);
                long b = dirSize(Path.of(java.net.URI.create(sp)));
                mem.put(key + "SavepointBytes", b);
                mem.put(key + "SavepointSeconds", (System.nanoTime() - t) / 1e9);
                mem.put(key + "StateBytesPerUser", b / (double) users);
                if (type == SavepointFormatType.CANONICAL) {
                    List<Map<String, Object>> byOperator = SavepointStateSizes.of(Path.of(java.net.URI.create(sp)),
                            users);
                    mem.put("canonicalStateByOperator", byOperator);
                    for (Map<String, Object> row : byOperator) {
                        System.out.printf(Locale.ROOT, "%s:   %7.1f bytes/user  %s (%s)%n", name, row.get("bytesPerUser"),
                                row.get("uid"), row.get("name"));
                    }
                }
                System.out.printf(Locale.ROOT, "%s: %s savepoint %,d bytes = %.0f bytes/user (%,d users), heap %,d MB, "
                        + "rss %,d MB%n", name, key, b, b / (double) users, users, heap >> 20, rss >> 20);
            } catch (Exception e) {
                mem.put(key + "SavepointError", String.valueOf(e));
            }
        }
        mem.put("samples", samples);
        return mem;
    }

    // ---------------------------------------------------------------- latency probe

    private Map<String, Object> latencyProbe(String bootstrap, RedisServerProcess redis, List<ShopEvent> events,
            double rate, String topic, boolean tuned) throws Exception {
        Counters.reset();
        JobConfig cfg = jobConfig(bootstrap, redis, topic, "g-" + topic, false);
        if (tuned) {
            Map<String, String> m = new HashMap<>(cfg.asMap());
            m.put(JobOptions.REDIS_MAX_DELAY.key(), "10 ms");
            cfg = JobConfig.of(m);
        }
        StreamExecutionEnvironment env = environment(tuned ? "latency-tuned" : "latency");
        if (tuned) {
            env.setBufferTimeout(5);
        }
        ShopSenseJob.build(env, cfg);
        JobClient client = env.executeAsync("load-test latency");
        // wait until the job runs and its source has its partitions
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (client.getJobStatus().get() != org.apache.flink.api.common.JobStatus.RUNNING
                && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        Thread.sleep(5_000);

        int seconds = Integer.parseInt(opt.get("latency-seconds"));
        int warmup = Integer.parseInt(opt.get("latency-warmup-seconds"));
        long markerEveryNanos = 20_000_000L; // 50 markers/s
        Map<String, Long> markerSentMs = new ConcurrentHashMap<>();
        Map<String, Long> markerSeenMs = new ConcurrentHashMap<>();
        Map<String, Long> paymentSentMs = new ConcurrentHashMap<>();
        List<Long> alertLatencies = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicLong maxBehindMs = new AtomicLong();
        volatileStop = false;

        Thread poller = new Thread(() -> pollRedis(redis, markerSentMs, markerSeenMs), "redis-poller");
        poller.setDaemon(true);
        poller.start();
        Thread alerts = new Thread(() -> consumeAlerts(bootstrap, paymentSentMs, alertLatencies), "alert-consumer");
        alerts.setDaemon(true);
        alerts.start();

        Properties p = producerProps(bootstrap);
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        long sent = 0;
        long markers = 0;
        int copies = 1000; // remapped users: each base event is replayed for 1000 users side by side (u~k)
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        long nextMarker = start + TimeUnit.SECONDS.toNanos(warmup);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            outer:
            for (ShopEvent e : events) {
                if (e.timestampMs() < EventLimits.YEAR_2000_MS) {
                    continue;
                }
                for (int k = 0; k < copies; k++) {
                    long due = start + (long) (sent * 1e9 / rate);
                    long now = System.nanoTime();
                    if (due > now + 1_000_000) {
                        Thread.sleep((due - now) / 1_000_000);
                    } else if (now - due > 1_000_000) {
                        maxBehindMs.accumulateAndGet((now - due) / 1_000_000, Math::max);
                    }
                    now = System.nanoTime();
                    if (now >= end) {
                        break outer;
                    }
                    ShopEvent c = ReplayProducer.remap(e, k + 100);
                    if (now >= nextMarker) {
                        nextMarker += markerEveryNanos;
                        String user = "probe~" + markers++;
                        ShopEvent m = new ShopEvent("probe-" + markers, user, c.type(), c.timestampMs(), c.itemId(),
                                c.categoryId(), c.price(), c.quantity(), c.amount(), c.currency(), c.query(),
                                c.paymentMethod(), c.cardFingerprint(), c.deviceId(), c.ip(), c.country(), c.rating(),
                                c.text(), c.merchantId());
                        producer.send(new ProducerRecord<>(topic, user.getBytes(StandardCharsets.UTF_8),
                                EventJson.toBytes(m)), (md, ex) -> {
                                    if (ex == null) {
                                        markerSentMs.put(user, md.timestamp()); // producer (CreateTime) timestamp
                                    }
                                });
                    }
                    if (c.amount() != null) {
                        paymentSentMs.put(c.eventId(), System.currentTimeMillis());
                    }
                    producer.send(new ProducerRecord<>(topic, c.userId().getBytes(StandardCharsets.UTF_8),
                            EventJson.toBytes(c)));
                    sent++;
                }
            }
            producer.flush();
        }
        double sendSecs = (System.nanoTime() - start) / 1e9;
        Thread.sleep(5_000); // let the last markers arrive
        volatileStop = true;
        poller.join(2_000);
        alerts.join(12_000);
        client.cancel().get(2, TimeUnit.MINUTES);

        List<Long> lat = new ArrayList<>();
        for (Map.Entry<String, Long> e : markerSentMs.entrySet()) {
            Long seen = markerSeenMs.get(e.getKey());
            if (seen != null) {
                lat.add(seen - e.getValue());
            }
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("targetRate", rate);
        r.put("tuned", tuned ? "execution.buffer-timeout 5 ms, redis.max-delay 10 ms" : "defaults (flink-conf execution.buffer-timeout.interval, redis.max-delay " + com.shopsense.config.OptionsTable.format(JobOptions.REDIS_MAX_DELAY.defaultValue()) + ")");
        r.put("achievedProducerRate", sent / sendSecs);
        r.put("producerMaxBehindScheduleMs", maxBehindMs.get());
        r.put("seconds", seconds);
        r.put("warmupSeconds", warmup);
        r.put("markersSent", markerSentMs.size());
        r.put("markersSeenInRedis", lat.size());
        r.put("redisScoresLatencyMs", percentiles(lat));
        r.put("alertsSeen", alertLatencies.size());
        r.put("alertTopicLatencyMs", percentiles(new ArrayList<>(alertLatencies)));
        r.put("checkpointInterval", opt.get("checkpoint-interval"));
        r.put("loadAverage", loadAverage());
        System.out.println("latency at " + Math.round(rate) + " events/s: " + r.get("redisScoresLatencyMs")
                + " alerts " + r.get("alertTopicLatencyMs"));
        return r;
    }

    private volatile boolean volatileStop;
    private boolean partial;

    private void pollRedis(RedisServerProcess redis, Map<String, Long> sent, Map<String, Long> seen) {
        try (Jedis j = new Jedis(redis.host(), redis.port())) {
            while (!volatileStop) {
                List<String> open = new ArrayList<>();
                for (String u : sent.keySet()) {
                    if (!seen.containsKey(u)) {
                        open.add(u);
                    }
                }
                if (!open.isEmpty()) {
                    Pipeline pl = j.pipelined();
                    List<Response<Boolean>> rs = new ArrayList<>(open.size());
                    for (String u : open) {
                        rs.add(pl.exists("shopsense:{" + u + "}:scores"));
                    }
                    pl.sync();
                    long now = System.currentTimeMillis();
                    for (int i = 0; i < open.size(); i++) {
                        if (rs.get(i).get()) {
                            seen.put(open.get(i), now);
                        }
                    }
                }
                Thread.sleep(2);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void consumeAlerts(String bootstrap, Map<String, Long> sentMs, List<Long> latencies) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "latency-alerts");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        ObjectMapper m = new ObjectMapper();
        long stopAt = Long.MAX_VALUE;
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
            c.subscribe(List.of("fraud-alerts"));
            while (System.currentTimeMillis() < stopAt) {
                if (volatileStop && stopAt == Long.MAX_VALUE) {
                    stopAt = System.currentTimeMillis() + 10_000; // one more checkpoint commits the last alerts
                }
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(100))) {
                    long now = System.currentTimeMillis();
                    try {
                        Long s = sentMs.get(m.readTree(r.value()).get("eventId").asText());
                        if (s != null) {
                            latencies.add(now - s);
                        }
                    } catch (IOException ignored) {
                        // not ours
                    }
                }
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    private JobConfig jobConfig(String bootstrap, RedisServerProcess redis, String topic, String group,
            boolean bounded) {
        Map<String, String> job = new HashMap<>();
        job.put(JobOptions.KAFKA_BOOTSTRAP.key(), bootstrap);
        job.put(JobOptions.REDIS_NODES.key(), redis.address());
        job.put(JobOptions.STARTING_OFFSETS.key(), "earliest");
        job.put(JobOptions.PSEUDONYMIZATION_DEV_KEY.key(), "true");
        job.put(JobOptions.TOPIC_EVENTS.key(), topic);
        job.put(JobOptions.KAFKA_GROUP.key(), group);
        job.put(JobOptions.BOUNDED.key(), Boolean.toString(bounded));
        job.put(JobOptions.TRANSACTIONAL_ID_PREFIX.key(), group);
        if (opt.get("workload").equals("taobao")) {
            // The recommender trained on this shop's catalogue (what the local run serves): the shipped one knows
            // Diginetica's items, so every Taobao request would go to the trending fallback instead of the model.
            job.put(JobOptions.RECOMMEND_MODELS_DIR.key(), "onnx-models/demo-taobao");
        }
        job.putAll(overrides("job"));
        return JobConfig.of(job);
    }

    private Map<String, String> overrides(String option) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String kv : opt.get(option).split(",")) {
            if (!kv.isBlank()) {
                int eq = kv.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("--" + option + " wants key=value[,key=value], got " + kv);
                }
                m.put(kv.substring(0, eq).strip(), kv.substring(eq + 1).strip());
            }
        }
        return m;
    }

    private StreamExecutionEnvironment environment(String name) {
        Configuration c = GlobalConfiguration.loadConfiguration("flink-conf");
        c.setString("execution.checkpointing.dir", work.resolve("checkpoints-" + name).toUri().toString());
        c.setString("execution.checkpointing.savepoint-dir", work.resolve("savepoints").toUri().toString());
        c.setString("execution.checkpointing.interval", opt.get("checkpoint-interval"));
        c.setString("state.backend.rocksdb.localdir", work.resolve("rocksdb-" + name).toString());
        c.setString("taskmanager.numberOfTaskSlots", opt.get("parallelism"));
        // A MiniCluster ignores taskmanager.memory.process.size and gives RocksDB 128 MB of managed memory in
        // all; the cluster config (4 g process, managed fraction 0.35) gives ~1 GB per TaskManager.
        c.setString("taskmanager.memory.managed.size", opt.get("managed-memory"));
        overrides("flink").forEach(c::setString);
        c.removeKey("metrics.reporter.prom.factory.class");
        c.removeKey("metrics.reporter.prom.port");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(c);
        env.setParallelism(Integer.parseInt(opt.get("parallelism")));
        return env;
    }

    private static Properties producerProps(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, "2000000");
        return p;
    }


    private static void createTopics(String bootstrap, List<String> topics) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(topics.stream().map(t -> new NewTopic(t, 2, (short) 1)).toList())
                    .all().get(30, TimeUnit.SECONDS);
        }
    }

    static Map<String, Object> percentiles(List<Long> values) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("n", values.size());
        if (values.isEmpty()) {
            return r;
        }
        long[] v = values.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(v);
        r.put("p50", v[(int) Math.min(v.length - 1, Math.ceil(0.50 * v.length) - 1)]);
        r.put("p95", v[(int) Math.min(v.length - 1, Math.ceil(0.95 * v.length) - 1)]);
        r.put("p99", v[(int) Math.min(v.length - 1, Math.ceil(0.99 * v.length) - 1)]);
        r.put("max", v[v.length - 1]);
        r.put("min", v[0]);
        return r;
    }

    /** Top frames of the JFR execution samples (own frame, and first com.shopsense frame on the stack). */
    static Map<String, Object> summariseJfr(Path jfr) throws IOException {
        Map<String, Long> top = new HashMap<>();
        Map<String, Long> shopsense = new HashMap<>();
        Map<String, Long> threads = new HashMap<>();
        long total = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
            if (!e.getEventType().getName().equals("jdk.ExecutionSample") || e.getStackTrace() == null) {
                continue;
            }
            total++;
            List<RecordedFrame> frames = e.getStackTrace().getFrames();
            if (!frames.isEmpty()) {
                top.merge(frame(frames.get(0)), 1L, Long::sum);
            }
            for (RecordedFrame f : frames) {
                String t = f.getMethod().getType().getName();
                if (t.startsWith("com.shopsense.")) {
                    shopsense.merge(frame(f), 1L, Long::sum);
                    break;
                }
            }
            var th = e.getThread("sampledThread");
            String tn = th == null ? "?" : th.getJavaName();
            tn = tn == null ? "?" : tn.replaceAll("\\(\\d+/\\d+\\)", "").replaceAll("#\\d+", "#").replaceAll("-\\d+$", "-N");
            threads.merge(tn, 1L, Long::sum);
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("executionSamples", total);
        r.put("topFrames", topN(top, 25));
        r.put("firstShopsenseFrame", topN(shopsense, 15));
        r.put("threads", topN(threads, 15));
        return r;
    }

    private static String frame(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }

    private static List<Map<String, Object>> topN(Map<String, Long> m, int n) {
        long total = m.values().stream().mapToLong(Long::longValue).sum();
        return m.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).limit(n)
                .map(e -> {
                    Map<String, Object> x = new LinkedHashMap<>();
                    x.put("name", e.getKey());
                    x.put("samples", e.getValue());
                    x.put("share", e.getValue() / (double) total);
                    return x;
                }).toList();
    }

    static double[] loadAverage() {
        try {
            String[] p = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return new double[] {Double.parseDouble(p[0]), Double.parseDouble(p[1]), Double.parseDouble(p[2])};
        } catch (IOException e) {
            return new double[0];
        }
    }

    static long rssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
        } catch (IOException ignored) {
            // not Linux
        }
        return -1;
    }

    static long dirSize(Path p) {
        if (!Files.exists(p)) {
            return 0;
        }
        try (var s = Files.walk(p)) {
            return s.filter(Files::isRegularFile).mapToLong(f -> {
                try {
                    return Files.size(f);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        } catch (IOException e) {
            return -1;
        }
    }

    private void write() throws IOException {
        JSON.writeValue(out.resolve(resultName + ".json").toFile(), result);
    }

    /** The workload's own events (before the synthetic payments). */
    private List<ShopEvent> realEvents(String workload) throws IOException {
        Path datasets = Path.of(opt.get("datasets"));
        int rows = Integer.parseInt(opt.get("rows"));
        return switch (workload) {
            case "taobao" -> TaobaoConverter.read(datasets.resolve("taobao-userbehavior").resolve("UserBehavior_slice.csv"),
                    rows);
            case "yoochoose" -> YooChooseConverter.readFolder(datasets.resolve(YooChooseConverter.FOLDER), rows);
            default -> throw new IllegalArgumentException("--workload taobao|yoochoose, got " + workload);
        };
    }
}
