package com.shopsense.sink;

import com.shopsense.config.JobConfig;
import com.shopsense.config.JobOptions;
import com.shopsense.scoring.Recommendation;
import com.shopsense.scoring.UserScoreUpdate;
import com.shopsense.testing.RedisTestData;
import com.shopsense.tools.local.RedisServerProcess;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.UnifiedJedis;

/**
 * Redis sink throughput next to raw {@code redis-benchmark} on the same machine and server
 * (load-tests/redis-sink/run.sh runs it; results in load-tests/RESULTS.md). Not a test: a main.
 * Starts its own cache-only redis-server.
 */
public final class RedisSinkBenchmark {
    private RedisSinkBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 400_000;
        try (RedisServerProcess redis = RedisServerProcess.start(Files.createTempDirectory("redis-bench-"))) {
            System.out.println("redis-server " + redis.address() + ", " + Runtime.getRuntime().availableProcessors()
                    + " cores, " + n + " writes per run");
            for (String p : new String[] {"1", "64"}) {
                String cmd = "redis-benchmark -h 127.0.0.1 -p " + redis.port() + " -t set -P " + p
                        + " -d 300 -c 1 -n " + (p.equals("1") ? 100_000 : 2_000_000) + " -q";
                System.out.printf(Locale.ROOT, "%-58s %s%n", cmd.replace(" -p " + redis.port(), ""), run(cmd));
            }
            String cmd4 = "redis-benchmark -h 127.0.0.1 -p " + redis.port() + " -t set -P 64 -d 300 -c 4 -n 4000000 -q";
            System.out.printf(Locale.ROOT, "%-58s %s%n", cmd4.replace(" -p " + redis.port(), ""), run(cmd4));

            JobConfig cfg = JobConfig.of(Map.of(JobOptions.REDIS_NODES.key(), redis.address()));
            RedisSettings base = RedisSettings.fromConfig(cfg);
            List<Recommendation> recos = new ArrayList<>();
            for (int i = 0; i < 100_000; i++) {
                recos.add(RedisTestData.reco("u" + (i % 100_000), i / 100_000 + 1, 10));
            }
            System.out.println("reco JSON bytes (10 items): " + RedisWrites.recommendationJson(recos.get(0)).length());
            for (int batch : new int[] {64, 500}) {
                plainSet(base, n, batch);
                RedisSettings s = settings(base, batch, "bench" + batch);
                RedisKeys k = s.keys();
                List<RedisWrite> writes = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    Recommendation r = recos.get(i % recos.size());
                    writes.add(RedisWrites.recommendation(new Recommendation(r.userId(), r.itemIds(), r.scores(),
                            r.source(), r.model(), r.modelVersion(), r.generatedAt() + i, r.eventId(), r.recentItems()), k, s));
                }
                report("RedisBatchWriter reco SET PX, batch " + batch, n, writer(s, writes));
                writes.clear();
                for (int i = 0; i < n; i++) {
                    writes.add(RedisWrites.scores(RedisTestData.intent("u" + (i % 100_000), i / 100_000 + 1), k, s));
                }
                report("RedisBatchWriter intent HSET+PEXPIRE, batch " + batch, n, writer(s, writes));
                writes.clear();
                for (int i = 0; i < n; i++) { // the same update through the SCORES script (fraud/churn/segment path)
                    UserScoreUpdate u = RedisTestData.intent("u" + (i % 100_000), i / 100_000 + 1);
                    writes.add(RedisWrites.scores(new UserScoreUpdate(u.userId(), u.fields(), u.values(), u.updatedAt()),
                            k, s));
                }
                report("RedisBatchWriter SCORES script, batch " + batch, n, writer(s, writes));
                try (UnifiedJedis c = s.createClient("flush")) {
                    c.flushDB();
                }
            }
            for (int parallelism : new int[] {1, 2}) {
                RedisSettings s = settings(base, 500, "flink" + parallelism);
                Configuration conf = new Configuration();
                conf.setString("execution.checkpointing.interval", "1 s");
                StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(parallelism, conf);
                env.fromSequence(0, n - 1).map(i -> {
                    Recommendation r = RedisTestData.reco("u" + (i % 100_000), (int) (i / 100_000) + 1, 10);
                    return r;
                }).returns(TypeInformation.of(Recommendation.class)).sinkTo(RedisSink.recommendations(s));
                long t0 = System.nanoTime();
                env.execute("redis-sink-bench");
                report("Flink job: fromSequence -> map -> RedisSink reco, p=" + parallelism + ", batch 500", n,
                        System.nanoTime() - t0);
            }
        }
    }

    private static RedisSettings settings(RedisSettings base, int batch, String prefix) {
        return new RedisSettings(false, base.nodes(), 0, "", "", false, 5000, prefix, base.recoTtlMs(),
                base.scoresTtlMs(), base.alertsTtlMs(), base.alertsPerUser(), base.alertsShopWide(), batch, 100, 3, 100, 1000);
    }

    private static long writer(RedisSettings s, List<RedisWrite> writes) throws Exception {
        try (RedisBatchWriter w = new RedisBatchWriter(s.createClient("bench"), s, new RedisBatchWriter.Listener() {
        })) {
            for (int i = 0; i < Math.min(2000, writes.size()); i++) { // warm-up (JIT, script cache)
                w.add(writes.get(i));
            }
            w.flush();
            long t0 = System.nanoTime();
            for (RedisWrite x : writes) {
                w.add(x);
            }
            w.flush();
            return System.nanoTime() - t0;
        }
    }

    private static void plainSet(RedisSettings s, int n, int batch) {
        String value = "x".repeat(300);
        try (UnifiedJedis c = s.createClient("plain")) {
            long t0 = 0;
            for (int round = 0; round < 2; round++) { // round 0 is warm-up
                int count = round == 0 ? Math.min(n, 50_000) : n;
                t0 = System.nanoTime();
                for (int i = 0; i < count; i += batch) {
                    try (AbstractPipeline p = c.pipelined()) {
                        for (int j = i; j < Math.min(count, i + batch); j++) {
                            p.set("plain:" + j, value);
                        }
                        p.sync();
                    }
                }
            }
            report("Jedis pipelined SET 300 B (no script), batch " + batch, n, System.nanoTime() - t0);
            c.flushDB();
        }
    }

    private static void report(String what, int n, long nanos) {
        System.out.printf(Locale.ROOT, "%-58s %,10.0f writes/s%n", what, n / (nanos / 1e9));
    }

    private static String run(String cmd) throws Exception {
        Process p = new ProcessBuilder("bash", "-c", cmd).redirectErrorStream(true).start();
        StringBuilder out = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                int cr = line.lastIndexOf('\r');
                out.append(cr >= 0 ? line.substring(cr + 1) : line).append(' ');
            }
        }
        p.waitFor();
        String all = out.toString().trim();
        int last = all.lastIndexOf("SET: ");
        return last >= 0 ? all.substring(last) : all; // the final summary, not the progress lines

    }
}
