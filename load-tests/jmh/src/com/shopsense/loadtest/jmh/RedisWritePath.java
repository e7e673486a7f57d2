package com.shopsense.loadtest.jmh;

import com.shopsense.config.JobConfig;
import com.shopsense.config.JobOptions;
import com.shopsense.insight.TrendingList;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
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
import redis.clients.jedis.params.SetParams;

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
            lists[i] = new Recommendation("u" + i, items, scores, Recommendation.MODEL, "recommend", "3f2a9c1b", 0,
                    "e-" + i, new String[] {items[0], items[1]});
        }
    }

    @Setup(Level.Iteration)
    public void resetStats() {
        try (UnifiedJedis admin = settings.createClient("jmh-admin")) {
            admin.sendCommand(Protocol.Command.CONFIG, "RESETSTAT"); // per iteration: each prints its own
        }
        cpuAtStart = usedCpu(settings);
        writes = 0;
    }

    static double usedCpu(RedisSettings settings) {
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
        double cpuUs = (usedCpu(settings) - cpuAtStart) * 1e6 / writes;
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
        return new Recommendation(user(), r.itemIds(), r.scores(), r.source(), r.model(), r.modelVersion(),
                1_700_000_000_000L + next, r.eventId(), r.recentItems());
    }

    /**
     * Trending lists (issue 21): {@value #TRENDING_BATCH} lists per pipeline, each a whole replace of one scope's
     * ZSET of {@code members} members (50: trending.top-k), over {@value #SCOPES} scopes so that every write replaces an
     * existing list as in the job (one write per scope and pane). Items are Taobao-like ids (1..5,163,070), scores
     * decayed sums of 1/3/5 weights over 60 one-minute panes (half-life 30 min) as {@link Double#toString} writes
     * them, best first (the order of a {@link TrendingList}). {@code protocol}:
     * <ul>
     * <li>{@code script}: the TRENDING script before this change (GET guard, DEL, ZADD, SET guard PX, PEXPIRE);
     * <li>{@code slim-script}: a script without the guard (DEL, ZADD, PEXPIRE);
     * <li>{@code multi}: MULTI, DEL, ZADD, PEXPIRE, EXEC (standalone only: Jedis's cluster pipeline has no MULTI);
     * <li>{@code rename-guard}: DEL tmp, ZADD tmp, PEXPIRE tmp, RENAME tmp key, SET guard PX;
     * <li>{@code rename}: the same without the guard;
     * <li>{@code rename-short}: {@code rename} with 4-decimal score strings (does the score text's length matter?);
     * <li>{@code rename-int}: {@code rename} with integral scores (decayed score x 10^6, rounded): does the
     * formatting of the stored score matter?
     * <li>{@code rename-skiplist}: {@code rename} on a server with {@code zset-max-listpack-entries 0} (every sorted
     * set a skiplist, scores stored as doubles: no formatting; more memory, for every sorted set of the server);
     * <li>{@code rename-ascending}: {@code rename} with the members sent worst first (does ZADD's order matter?);
     * <li>{@code sink}: {@link RedisWrites#trending} through the sink's {@link RedisBatchWriter}, what the job sends.
     * </ul>
     */
    @State(Scope.Benchmark)
    public static class Trending {
        static final int TRENDING_BATCH = 100;
        static final int SCOPES = 1000;
        static final String OLD_TRENDING = "local cur = tonumber(redis.call('GET', KEYS[2]))\n"
                + "if cur and cur > tonumber(ARGV[1]) then return 0 end\n"
                + "redis.call('DEL', KEYS[1])\n"
                + "if #ARGV > 2 then redis.call('ZADD', KEYS[1], unpack(ARGV, 3)) end\n"
                + "redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2])\n"
                + "if #ARGV > 2 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end\n"
                + "return 1\n";
        static final String SLIM_TRENDING = "redis.call('DEL', KEYS[1])\n"
                + "if #ARGV > 1 then redis.call('ZADD', KEYS[1], unpack(ARGV, 2)) end\n"
                + "if #ARGV > 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end\n"
                + "return 1\n";

        @Param({"script", "slim-script", "multi", "rename-guard", "rename", "rename-short", "rename-int",
                "rename-ascending", "rename-skiplist", "sink"})
        public String protocol;

        /** Members per list: trending.top-k (50), or a category with few items at the minimum support. */
        @Param({"50"})
        public int members;

        private final ServerCpu server = new ServerCpu();
        private RedisBatchWriter writer;
        private UnifiedJedis client;
        private String oldSha;
        private String slimSha;
        private TrendingList[] lists;
        private long ttlMs;
        private long next;

        @Setup(Level.Trial)
        public void start() throws Exception {
            server.start();
            writer = new RedisBatchWriter(server.settings.createClient("jmh"), server.settings,
                    new RedisBatchWriter.Listener() {
                    });
            client = server.settings.createClient("jmh-trending");
            oldSha = client.scriptLoad(OLD_TRENDING);
            slimSha = client.scriptLoad(SLIM_TRENDING);
            if (protocol.equals("rename-skiplist")) {
                client.configSet("zset-max-listpack-entries", "0");
            }
            ttlMs = 86_400_000L;
            Random rnd = new Random(21);
            lists = new TrendingList[64];
            for (int i = 0; i < lists.length; i++) {
                lists[i] = list(rnd, i, members);
            }
        }

        /** One scope's list: 200 candidate items with 1..30 events each, the best k by decayed score. */
        private static TrendingList list(Random rnd, int i, int k) {
            int n = 200;
            String[] items = new String[n];
            double[] scores = new double[n];
            for (int j = 0; j < n; j++) {
                items[j] = Integer.toString(1 + rnd.nextInt(5_163_070));
                int events = 1 + rnd.nextInt(30);
                for (int e = 0; e < events; e++) {
                    int w = new int[] {1, 1, 1, 1, 3, 5}[rnd.nextInt(6)];
                    int age = rnd.nextInt(60);
                    scores[j] += w * Math.pow(2, -age / 30.0);
                }
            }
            Integer[] order = new Integer[n];
            for (int j = 0; j < n; j++) {
                order[j] = j;
            }
            java.util.Arrays.sort(order, (a, b) -> Double.compare(scores[b], scores[a]));
            String[] topItems = new String[k];
            double[] topScores = new double[k];
            for (int j = 0; j < k; j++) {
                topItems[j] = items[order[j]];
                topScores[j] = scores[order[j]];
            }
            return new TrendingList("cat:" + i, "c" + i, 0, topItems, topScores, 0);
        }

        @Setup(Level.Iteration)
        public void resetStats() {
            server.resetStats();
        }

        @TearDown(Level.Iteration)
        public void report() {
            // Scripts' inner redis.call()s are counted in commandstats too: for scripts only EVALSHA.
            server.report("trending " + protocol, protocol.endsWith("script") ? "cmdstat_evalsha:" : "cmdstat_");
        }

        @TearDown(Level.Trial)
        public void stop() throws Exception {
            writer.close();
            client.close();
            server.stop();
        }

        /** One scope's list per write. */
        @Benchmark
        @OperationsPerInvocation(TRENDING_BATCH)
        public void trendingWrite() throws Exception {
            if (protocol.equals("sink")) {
                for (int i = 0; i < TRENDING_BATCH; i++) {
                    writer.add(RedisWrites.trending(nextList(), server.keys, ttlMs));
                }
                writer.flush();
            } else {
                List<Response<?>> rs = new ArrayList<>(6 * TRENDING_BATCH);
                try (AbstractPipeline p = client.pipelined()) {
                    for (int i = 0; i < TRENDING_BATCH; i++) {
                        queue(p, nextList(), rs);
                    }
                    p.sync();
                }
                for (Response<?> r : rs) {
                    r.get();
                }
            }
            server.writes += TRENDING_BATCH;
        }

        private TrendingList nextList() {
            TrendingList l = lists[(int) (next % lists.length)];
            String category = Long.toString(next % SCOPES);
            next++;
            return new TrendingList("cat:" + category, category, 1_700_000_000_000L + 60_000L * next, l.itemIds(),
                    l.scores(), 0);
        }

        private void queue(AbstractPipeline p, TrendingList l, List<Response<?>> rs) {
            String key = server.keys.popularCategory(l.categoryId());
            String guard = "{" + key + "}:end";
            String tmp = "{" + key + "}:tmp";
            String end = Long.toString(l.windowEnd());
            String ttl = Long.toString(ttlMs);
            switch (protocol) {
                case "script" -> {
                    List<String> args = new ArrayList<>(2 + 2 * l.itemIds().length);
                    args.add(end);
                    args.add(ttl);
                    addScored(args, l, false);
                    rs.add(p.evalsha(oldSha, List.of(key, guard), args));
                }
                case "slim-script" -> {
                    List<String> args = new ArrayList<>(1 + 2 * l.itemIds().length);
                    args.add(ttl);
                    addScored(args, l, false);
                    rs.add(p.evalsha(slimSha, List.of(key), args));
                }
                case "multi" -> { // raw commands: inside MULTI each answers QUEUED, EXEC answers them all
                    List<String> zadd = new ArrayList<>(1 + 2 * l.itemIds().length);
                    zadd.add(key);
                    addScored(zadd, l, false);
                    rs.add(p.sendCommand(Protocol.Command.MULTI, new String[0]));
                    rs.add(p.sendCommand(Protocol.Command.DEL, key));
                    rs.add(p.sendCommand(Protocol.Command.ZADD, zadd.toArray(new String[0])));
                    rs.add(p.sendCommand(Protocol.Command.PEXPIRE, key, ttl));
                    rs.add(p.sendCommand(Protocol.Command.EXEC, new String[0]));
                }
                default -> {
                    rs.add(p.del(tmp));
                    rs.add(p.zadd(tmp, members(l)));
                    rs.add(p.pexpire(tmp, ttlMs));
                    rs.add(p.rename(tmp, key));
                    if (protocol.equals("rename-guard")) {
                        rs.add(p.set(guard, end, SetParams.setParams().px(ttlMs)));
                    }
                }
            }
        }

        private static void addScored(List<String> args, TrendingList l, boolean shortScores) {
            for (int i = 0; i < l.itemIds().length; i++) {
                args.add(shortScores ? String.format(Locale.ROOT, "%.4f", l.scores()[i]) : Double.toString(l.scores()[i]));
                args.add(l.itemIds()[i]);
            }
        }

        /** member -> score in the order sent (Jedis writes a double as Double.toString does). */
        private Map<String, Double> members(TrendingList l) {
            Map<String, Double> m = new LinkedHashMap<>();
            int n = l.itemIds().length;
            for (int k = 0; k < n; k++) {
                int i = protocol.equals("rename-ascending") ? n - 1 - k : k;
                double s = l.scores()[i];
                m.put(l.itemIds()[i], switch (protocol) {
                    case "rename-short" -> Math.round(s * 1e4) / 1e4; // e.g. 37.8453
                    case "rename-int" -> (double) Math.round(s * 1e6); // integral: Redis stores it as an integer
                    default -> s;
                });
            }
            return m;
        }
    }

    /** A cache-only redis-server of one trial and its CPU and command time per write over each iteration. */
    static final class ServerCpu {
        RedisServerProcess process;
        RedisSettings settings;
        RedisKeys keys;
        long writes;
        private double cpuAtStart;

        void start() throws Exception {
            process = RedisServerProcess.start(Files.createTempDirectory("jmh-redis"));
            settings = RedisSettings.fromConfig(JobConfig.of(Map.of(JobOptions.REDIS_NODES.key(), process.address(),
                    JobOptions.REDIS_BATCH_SIZE.key(), Integer.toString(BATCH + 1)))); // flushed by the benchmark
            keys = settings.keys();
        }

        void resetStats() {
            try (UnifiedJedis admin = settings.createClient("jmh-admin")) {
                admin.sendCommand(Protocol.Command.CONFIG, "RESETSTAT"); // per iteration: each prints its own
            }
            cpuAtStart = usedCpu(settings);
            writes = 0;
        }

        void report(String label, String top) {
            double cpuUs = (usedCpu(settings) - cpuAtStart) * 1e6 / writes;
            long usec = 0;
            long calls = 0;
            StringBuilder perCommand = new StringBuilder();
            try (UnifiedJedis admin = settings.createClient("jmh-admin")) {
                for (String line : admin.info("commandstats").split("\r?\n")) {
                    if (line.startsWith("cmdstat_") && !line.matches("cmdstat_(info|config|client|hello|script)[|:].*")) {
                        long u = Long.parseLong(line.replaceAll(".*[:,]usec=([0-9]+),.*", "$1"));
                        long c = Long.parseLong(line.replaceAll(".*:calls=([0-9]+),.*", "$1"));
                        perCommand.append(String.format(Locale.ROOT, " %s %.2f us/call",
                                line.substring("cmdstat_".length(), line.indexOf(':')), u / (double) c));
                        if (line.startsWith(top)) {
                            usec += u;
                            calls += c;
                        }
                    }
                }
            }
            System.out.printf("%n[redis-server %s] %d writes: %.2f us CPU/write (used_cpu_user+sys), %.2f us in top-level"
                    + " commands/write (commandstats), %.2f commands/write;%s%n", label, writes, cpuUs,
                    usec / (double) writes, calls / (double) writes, perCommand);
        }

        void stop() throws Exception {
            process.close();
        }
    }
}
