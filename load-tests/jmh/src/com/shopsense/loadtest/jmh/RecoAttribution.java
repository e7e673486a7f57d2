package com.shopsense.loadtest.jmh;

import com.shopsense.event.EventType;
import com.shopsense.event.ShopEvent;
import com.shopsense.feedback.RecoAbAggregator;
import com.shopsense.feedback.RecoDelta;
import com.shopsense.feedback.RecoDeltaCombiner;
import com.shopsense.feedback.RecoFeedbackTracker;
import com.shopsense.feedback.RecoShown;
import com.shopsense.feedback.RecoUserEvent;
import com.shopsense.scoring.Recommendation;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Recommendation attribution per list on RocksDB (issue 21): the slim mapping of a 20-item list, the tracker
 * (keyed state and timers, including the expiry firings as event time moves on) and the delta combiner. One
 * operation is one list for the next of 5,000 users (a list each 10 s of a user's event time), with a reco_click
 * every 10th list and a watermark every 100th. Excludes the network shuffles (which the slim record and the
 * combiner shrink). Time per list in microseconds; on a shared machine the {@link #main} run is steadier: it
 * reports the process CPU time per list (all threads, RocksDB's included).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
public class RecoAttribution {
    private static final int USERS = 5_000;
    private static final long T0 = 1_700_000_000_000L;

    private KeyedTwoInputStreamOperatorTestHarness<String, RecoShown, RecoUserEvent, RecoDelta> tracker;
    private OneInputStreamOperatorTestHarness<RecoDelta, RecoDelta> combiner;
    private String[] users;
    private String[][] items;
    private long n;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        tracker = new KeyedTwoInputStreamOperatorTestHarness<>(
                new KeyedCoProcessOperator<>(new RecoFeedbackTracker(Duration.ofMinutes(10), 16,
                        Duration.ofMinutes(10), Duration.ofMinutes(10))),
                RecoShown::userId, RecoUserEvent::userId, Types.STRING);
        tracker.setStateBackend(new EmbeddedRocksDBStateBackend());
        tracker.open();
        combiner = new OneInputStreamOperatorTestHarness<>(new RecoDeltaCombiner(RecoAbAggregator.EMIT_EVERY));
        combiner.open();
        users = new String[USERS];
        for (int u = 0; u < USERS; u++) {
            users[u] = "user-" + u;
        }
        items = new String[64][20];
        for (int l = 0; l < items.length; l++) {
            for (int i = 0; i < 20; i++) {
                items[l][i] = Integer.toString(1_000_000 + l * 37 + i * 101);
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        tracker.close();
        combiner.close();
    }

    @Benchmark
    public void list() throws Exception {
        long i = n++;
        String user = users[(int) (i % USERS)];
        long ts = T0 + i * 2; // 10 s per user's list
        String[] ids = items[(int) (i % items.length)];
        Recommendation r = new Recommendation(user, ids, new float[20], Recommendation.MODEL, "recommend", "v1", ts,
                "e" + i, new String[0]);
        tracker.processElement1(new StreamRecord<>(RecoShown.of(r), ts));
        if (i % 10 == 0) {
            tracker.processElement2(new StreamRecord<>(RecoUserEvent.of(ShopEvent.builder("c" + i, user,
                    EventType.RECO_CLICK, ts + 1).itemId(ids[3]).build()), ts + 1));
        }
        if (i % 100 == 99) {
            tracker.processBothWatermarks(new Watermark(ts - 1_000));
            forward();
        }
    }

    /** Process CPU per list: {@code java -cp ... com.shopsense.loadtest.jmh.RecoAttribution [lists]}. */
    public static void main(String[] args) throws Exception {
        int lists = args.length > 0 ? Integer.parseInt(args[0]) : 300_000;
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean();
        RecoAttribution b = new RecoAttribution();
        b.setUp();
        for (int i = 0; i < lists / 2; i++) {
            b.list(); // warm-up, and state for every user
        }
        long cpu = os.getProcessCpuTime();
        long wall = System.nanoTime();
        for (int i = 0; i < lists; i++) {
            b.list();
        }
        System.out.printf("lists %d: %.1f us CPU per list (process), %.1f us wall%n", lists,
                (os.getProcessCpuTime() - cpu) / 1e3 / lists, (System.nanoTime() - wall) / 1e3 / lists);
        b.tearDown();
    }

    private void forward() throws Exception {
        for (Object o : tracker.getOutput()) {
            if (o instanceof StreamRecord<?> rec) {
                @SuppressWarnings("unchecked")
                StreamRecord<RecoDelta> d = (StreamRecord<RecoDelta>) rec;
                combiner.processElement(d);
            } else if (o instanceof Watermark w) {
                combiner.processWatermark(w);
            }
        }
        tracker.getOutput().clear();
        combiner.getOutput().clear();
    }
}
