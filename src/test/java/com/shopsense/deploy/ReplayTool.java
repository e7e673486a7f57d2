package com.shopsense.deploy;

import com.shopsense.config.JobConfig;
import com.shopsense.config.JobOptions;
import com.shopsense.event.ShopEvent;
import com.shopsense.sink.RedisSettings;
import com.shopsense.testing.Datasets;
import com.shopsense.testing.KafkaTestClient;
import com.shopsense.testing.RedisState;
import com.shopsense.tools.replay.MalformedRecords;
import com.shopsense.tools.replay.ReplayProducer;
import com.shopsense.tools.replay.SyntheticPayments;
import com.shopsense.tools.replay.TaobaoConverter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import redis.clients.jedis.UnifiedJedis;

/**
 * The data side of deploy/cluster/e2e.sh: replays the Taobao slice plus synthetic payments to Kafka,
 * follows a consumer group's committed offsets, dumps a run's outputs (Redis state, fraud alerts,
 * closed sessions, dead letters) to text files and compares two dumps.
 *
 * <pre>
 * topics    BOOTSTRAP PARTITIONS TOPIC...
 * produce   BOOTSTRAP TOPIC ROWS FRAUD_EVERY RATE        replays, prints "produced N"
 * count     ROWS FRAUD_EVERY                             prints the number of records produce sends
 * committed BOOTSTRAP GROUP TOPIC                        prints "committed C end E"
 * await     BOOTSTRAP GROUP TOPIC MIN TIMEOUT_S          until the group committed >= MIN records (-1: the end)
 * dump      BOOTSTRAP REDIS_HOST:PORT DB PREFIX SESSIONS ALERTS DLQ OUT_DIR
 * compare   DIR_EXPECTED DIR_ACTUAL                      exit 1 when they differ
 * </pre>
 */
public final class ReplayTool {
    private ReplayTool() {
    }

    public static void main(String[] a) throws Exception {
        switch (a[0]) {
            case "topics" -> {
                String[] topics = java.util.Arrays.copyOfRange(a, 3, a.length);
                new KafkaTestClient(a[1]).createTopics(Integer.parseInt(a[2]), topics);
            }
            case "count" -> System.out.println(records(Integer.parseInt(a[1]), Integer.parseInt(a[2])).total());
            case "produce" -> {
                ReplayProducer p = records(Integer.parseInt(a[3]), Integer.parseInt(a[4]))
                        .producer(a[1], a[2], Double.parseDouble(a[5]));
                p.run();
                System.out.printf(Locale.ROOT, "produced %d records (%d malformed)%n", p.sent(), p.malformedSent());
            }
            case "committed" -> {
                long[] ce = committed(a[1], a[2], a[3]);
                System.out.printf(Locale.ROOT, "committed %d end %d%n", ce[0], ce[1]);
            }
            case "await" -> {
                long min = Long.parseLong(a[4]);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.parseLong(a[5]));
                long[] ce = committed(a[1], a[2], a[3]);
                long target = min < 0 ? ce[1] : min;
                while (ce[0] < target) {
                    if (System.nanoTime() > deadline) {
                        System.out.printf(Locale.ROOT, "TIMEOUT committed %d of %d%n", ce[0], target);
                        System.exit(1);
                    }
                    Thread.sleep(250);
                    ce = committed(a[1], a[2], a[3]);
                }
                System.out.printf(Locale.ROOT, "committed %d end %d%n", ce[0], ce[1]);
            }
            case "dump" -> dump(a[1], a[2], Integer.parseInt(a[3]), a[4], a[5], a[6], a[7], Path.of(a[8]));
            case "compare" -> System.exit(compare(Path.of(a[1]), Path.of(a[2])) ? 0 : 1);
            default -> throw new IllegalArgumentException("unknown command " + a[0]);
        }
    }

    /** The replay: Taobao rows in time order, one synthetic payment per order, planted fraud, malformed records. */
    record Replay(List<ShopEvent> events, List<byte[]> malformed) {
        long total() {
            return events.size() + malformed.size();
        }

        ReplayProducer producer(String bootstrap, String topic, double rate) {
            return new ReplayProducer(bootstrap, topic, events, malformed, 1, rate);
        }
    }

    static Replay records(int rows, int fraudEvery) throws Exception {
        SyntheticPayments.Result r = SyntheticPayments.addTo(
                TaobaoConverter.read(Datasets.file("taobao-userbehavior/UserBehavior_slice.csv"), rows), fraudEvery);
        return new Replay(r.events(), MalformedRecords.handWritten());
    }

    /** {sum of committed offsets of the group, sum of end offsets} over the topic's partitions. */
    static long[] committed(String bootstrap, String group, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic).partitions()
                    .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
            long end = 0;
            for (var e : admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).values()) {
                end += e.offset();
            }
            long committed = 0;
            Map<TopicPartition, OffsetAndMetadata> c =
                    admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            for (TopicPartition tp : latest.keySet()) {
                OffsetAndMetadata o = c.get(tp);
                committed += o == null ? 0 : o.offset();
            }
            return new long[] {committed, end};
        }
    }

    private static final Pattern EMITTED_AT = Pattern.compile(",?\"emittedAt\":-?\\d+");

    /** Wall-clock fields are not part of the result: alerts' emittedAt (README, fraud alert JSON). */
    static String normalize(String s) {
        return EMITTED_AT.matcher(s).replaceAll("");
    }

    static void dump(String bootstrap, String redisAddress, int db, String prefix, String sessions, String alerts,
            String dlq, Path out) throws Exception {
        Files.createDirectories(out);
        Map<String, String> m = new HashMap<>();
        m.put(JobOptions.REDIS_NODES.key(), redisAddress);
        m.put(JobOptions.REDIS_DATABASE.key(), Integer.toString(db));
        m.put(JobOptions.REDIS_KEY_PREFIX.key(), prefix);
        Map<String, String> redis;
        try (UnifiedJedis jedis = RedisSettings.fromConfig(JobConfig.of(m)).createClient("e2e-dump")) {
            redis = RedisState.dump(jedis, prefix);
        }
        List<String> lines = new ArrayList<>();
        redis.forEach((k, v) -> lines.add(k + "\t" + normalize(v)));
        Files.write(out.resolve("redis.txt"), lines, StandardCharsets.UTF_8);

        KafkaTestClient kafka = new KafkaTestClient(bootstrap);
        Map<String, String> alertById = new TreeMap<>();
        Pattern id = Pattern.compile("\"alertId\":\"([^\"]+)\"");
        for (ConsumerRecord<byte[], byte[]> r : kafka.readAllCommitted(alerts)) {
            String v = new String(r.value(), StandardCharsets.UTF_8);
            Matcher mm = id.matcher(v);
            String key = mm.find() ? mm.group(1) : "?";
            if (alertById.put(key, normalize(v)) != null) {
                alertById.put(key + "#dup" + alertById.size(), normalize(v)); // a duplicate is a defect: keep it visible
            }
        }
        List<String> alertLines = new ArrayList<>();
        alertById.forEach((k, v) -> alertLines.add(k + "\t" + v));
        Files.write(out.resolve("alerts.txt"), alertLines, StandardCharsets.UTF_8);

        List<String> sessionLines = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : kafka.readAllCommitted(sessions)) {
            sessionLines.add(new String(r.value(), StandardCharsets.UTF_8));
        }
        sessionLines.sort(null);
        Files.write(out.resolve("sessions.txt"), sessionLines, StandardCharsets.UTF_8);

        List<String> dlqLines = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : kafka.readAllCommitted(dlq)) {
            dlqLines.add(KafkaTestClient.header(r, "dlq.reason") + "\t" + KafkaTestClient.header(r, "dlq.source.partition")
                    + "/" + KafkaTestClient.header(r, "dlq.source.offset"));
        }
        dlqLines.sort(null);
        Files.write(out.resolve("dlq.txt"), dlqLines, StandardCharsets.UTF_8);
        System.out.printf(Locale.ROOT, "redis keys %d, alerts %d, closed sessions %d, dead letters %d%n",
                redis.size(), alertById.size(), sessionLines.size(), dlqLines.size());
    }

    private static final Pattern NUMBER = Pattern.compile("-?\\d+\\.\\d+(?:[eE][-+]?\\d+)?");

    /** Equal text, except that decimal numbers may differ in their last digits (|a-b| <= 1e-5 + 1e-4 |a|). */
    static boolean sameWithinTolerance(String a, String b) {
        if (a.equals(b)) {
            return true;
        }
        Matcher ma = NUMBER.matcher(a);
        Matcher mb = NUMBER.matcher(b);
        int ia = 0;
        int ib = 0;
        while (true) {
            boolean fa = ma.find();
            boolean fb = mb.find();
            if (fa != fb) {
                return false;
            }
            if (!fa) {
                return a.substring(ia).equals(b.substring(ib));
            }
            if (!a.substring(ia, ma.start()).equals(b.substring(ib, mb.start()))) {
                return false;
            }
            double x = Double.parseDouble(ma.group());
            double y = Double.parseDouble(mb.group());
            if (Math.abs(x - y) > 1e-5 + 1e-4 * Math.abs(x)) {
                return false;
            }
            ia = ma.end();
            ib = mb.end();
        }
    }

    static boolean compare(Path expected, Path actual) throws Exception {
        boolean ok = true;
        for (String f : List.of("redis.txt", "alerts.txt", "sessions.txt", "dlq.txt")) {
            List<String> e = Files.readAllLines(expected.resolve(f));
            List<String> x = Files.readAllLines(actual.resolve(f));
            Map<String, String> em = keyed(e, f);
            Map<String, String> xm = keyed(x, f);
            int equal = 0;
            int tolerant = 0;
            List<String> diffs = new ArrayList<>();
            for (var en : em.entrySet()) {
                String other = xm.get(en.getKey());
                if (other == null) {
                    diffs.add("missing: " + en.getKey());
                } else if (other.equals(en.getValue())) {
                    equal++;
                } else if (sameWithinTolerance(en.getValue(), other)) {
                    tolerant++;
                } else {
                    diffs.add("differs: " + en.getKey() + "\n    expected " + en.getValue() + "\n    actual   " + other);
                }
            }
            for (String k : xm.keySet()) {
                if (!em.containsKey(k)) {
                    diffs.add("extra: " + k);
                }
            }
            boolean same = diffs.isEmpty() && e.size() == x.size();
            ok &= same;
            System.out.printf(Locale.ROOT, "%-13s expected %6d actual %6d  identical %6d  equal-within-float-tolerance %4d  "
                    + "differing %d  %s%n", f.replace(".txt", ""), e.size(), x.size(), equal, tolerant, diffs.size(),
                    same ? "OK" : "MISMATCH");
            diffs.stream().limit(5).forEach(d -> System.out.println("  " + d));
        }
        return ok;
    }

    /** redis/alerts: "key\tvalue" lines; sessions/dlq: whole lines, numbered to keep duplicates. */
    private static Map<String, String> keyed(List<String> lines, String file) {
        Map<String, String> m = new TreeMap<>();
        boolean kv = file.equals("redis.txt") || file.equals("alerts.txt");
        Map<String, Integer> seen = new HashMap<>();
        for (String l : lines) {
            if (kv) {
                int t = l.indexOf('\t');
                m.put(l.substring(0, t), l.substring(t + 1));
            } else {
                int n = seen.merge(l, 1, Integer::sum);
                m.put(l + "#" + n, l);
            }
        }
        return m;
    }
}
