package com.shopsense.loadtest.jmh;

import com.shopsense.config.JobConfig;
import com.shopsense.config.JobOptions;
import com.shopsense.scoring.Recommendation;
import com.shopsense.scoring.UserScoreUpdate;
import com.shopsense.sink.RedisBatchWriter;
import com.shopsense.sink.RedisKeys;
import com.shopsense.sink.RedisSettings;
import com.shopsense.sink.RedisWrites;
import com.shopsense.tools.local.RedisServerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;

/**
 * The Redis write path of the two per-event writes, in writes per second (one thread): encode and pipeline
 * {@value #BATCH} writes (the default redis.batch-size) of distinct users (nothing coalesces) to a local redis-server started here on a free
 * loopback port ({@code --save "" --appendonly no}), one server per trial. {@code lua}: the sink before issue 21,
 * an intent update through the SCORES script (per-field versions in scores:ts) and a list through the RECO script
 * (GET + pattern + SET PX, copied below as it was); {@code plain}: HSET + PEXPIRE and SET PX. At the end of a trial
 * it prints redis-server's own CPU per write ({@code INFO cpu}: used_cpu_user + used_cpu_sys of the server process,
 * so parsing and replies included) and the command time per write ({@code INFO commandstats}).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
public class RedisWritePath {
    static final int BATCH = 500;
    static final int USERS = 100_000;
    /** The RECO script of the sink before issue 21: replace unless the stored list is newer. */
    static final String OLD_RECO = "local cur = redis.call('GET', KEYS[1])\n"
            + "if cur then\n"
            + "  local ts = tonumber(string.match(cur, '^{\"generatedAt\":(%-?%d+)'))\n"
            + "  if ts and ts > tonumber(ARGV[1]) then return 0 end\n"
            + "end\n"
            + "redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])\n"
            + "return 1\n";

    @Param({"lua", "plain"})
    public String path;

    private RedisServerProcess server;
    private RedisSettings settings;
    private RedisKeys keys;
    private RedisBatchWriter writer;
    private UnifiedJedis client;
    private String oldRecoSha;
    private long next;
    private long writes;
    private double cpuAtStart;
    private Recommendation[] lists;

    @Setup(Level.Trial)
    public void start() throws Exception {
        server = RedisServerProcess.start(Files.createTempDirectory("jmh-redis"));
        settings = RedisSettings.fromConfig(JobConfig.of(Map.of(JobOptions.REDIS_NODES.key(), server.address(),
                JobOptions.REDIS_BATCH_SIZE.key(), Integer.toString(BATCH + 1)))); // flushed by the benchmark
        keys = settings.keys();
        writer = new RedisBatchWriter(settings.createClient("jmh"), settings, new RedisBatchWriter.Listener() {
        });
        client = settings.createClient("jmh-old-reco");
        oldRecoSha = client.scriptLoad(OLD_RECO);
        lists = new Recommendation[64];
        for (int i = 0; i < lists.length; i++) {
            String[] items = new String[10];
            float[] scores = new float[10];
            for (int j = 0; j < 10; j++) {
                items[j] = Integer.toString(100_000_000 + 7919 * (i * 10 + j));
                scores[j] = 1f - j / 11f;
            }
            lists[i] = new Recommendation("u" + i, items, scores, "recommend", "3f2a9c1b", 0, "e-" + i);
        }
    }

    @Setup(Level.Iteration)
    public void resetStats() {
        try (UnifiedJedis admin = settings.createClient("jmh-admin")) {
            admin.sendCommand(Protocol.Command.CONFIG, "RESETSTAT"); // per iteration: each prints its own
        }
        cpuAtStart = usedCpu();
        writes = 0;
    }

    private double usedCpu() {
        try (UnifiedJedis admin = settings.createClient("jmh-admin")) {
            String info = admin.info("cpu");
            return field(info, "used_cpu_user") + field(info, "used_cpu_sys");
        }
    }

    private static double field(String info, String name) {
        for (String line : info.split("\r?\n")) {
            if (line.startsWith(name + ":")) {
                return Double.parseDouble(line.substring(name.length() + 1).trim());
            }
        }
        return Double.NaN;
    }

    @TearDown(Level.Iteration)
    public void report() {
        double cpuUs = (usedCpu() - cpuAtStart) * 1e6 / writes;
        // Scripts' inner redis.call()s are counted in commandstats too: for lua only EVALSHA (which includes them).
        String top = path.equals("lua") ? "cmdstat_evalsha:" : "cmdstat_";
        long usec = 0;
        long calls = 0;
        try (UnifiedJedis admin = settings.createClient("jmh-admin")) {
            for (String line : admin.info("commandstats").split("\r?\n")) {
                if (line.startsWith(top) && !line.matches("cmdstat_(info|config|client|hello|script)[|:].*")) {
                    usec += Long.parseLong(line.replaceAll(".*[:,]usec=([0-9]+),.*", "$1"));
                    calls += Long.parseLong(line.replaceAll(".*:calls=([0-9]+),.*", "$1"));
                }
            }
        }
        System.out.printf("%n[redis-server %s] %d writes: %.2f us CPU/write (used_cpu_user+sys), %.2f us in top-level"
                + " commands/write (commandstats), %.2f commands/write%n", path, writes, cpuUs, usec / (double) writes,
                calls / (double) writes);
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
        writer.close();
        client.close();
        server.close();
    }

    private String user() {
        return "u" + (next++ % USERS);
    }

    /** One intent update per write (UserScoreUpdate of Decisions.intent; in order for the plain path). */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void intentWrite() throws Exception {
        for (int i = 0; i < BATCH; i++) {
            long t = 1_700_000_000_000L + next;
            writer.add(RedisWrites.scores(new UserScoreUpdate(user(), new String[] {"intent", "intentModel"},
                    new String[] {"0.4217", "intent:3f2a9c1b0d4e"}, t, path.equals("plain")), keys, settings));
        }
        writer.flush();
        writes += BATCH;
    }

    /** One recommendation (10 items) per write. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void recoWrite() throws Exception {
        if (path.equals("plain")) {
            for (int i = 0; i < BATCH; i++) {
                writer.add(RedisWrites.recommendation(list(), keys, settings));
            }
            writer.flush();
        } else {
            List<Response<Object>> rs = new ArrayList<>(BATCH);
            try (AbstractPipeline p = client.pipelined()) {
                for (int i = 0; i < BATCH; i++) {
                    Recommendation r = list();
                    rs.add(p.evalsha(oldRecoSha, List.of(keys.reco(r.userId())), List.of(
                            Long.toString(r.generatedAt()), RedisWrites.recommendationJson(r),
                            Long.toString(settings.recoTtlMs()))));
                }
                p.sync();
            }
            for (Response<Object> r : rs) {
                r.get();
            }
        }
        writes += BATCH;
    }

    private Recommendation list() {
        Recommendation r = lists[(int) (next % lists.length)];
        return new Recommendation(user(), r.itemIds(), r.scores(), r.model(), r.modelVersion(),
                1_700_000_000_000L + next, r.eventId());
    }
}
