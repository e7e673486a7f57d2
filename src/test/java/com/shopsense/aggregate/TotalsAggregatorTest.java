package com.shopsense.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.clusterframework.types.ResourceID;
import org.apache.flink.runtime.executiongraph.ExecutionAttemptID;
import org.apache.flink.runtime.metrics.groups.TaskManagerMetricGroup;
import org.apache.flink.runtime.metrics.util.TestingMetricRegistry;
import org.apache.flink.runtime.operators.testutils.MockEnvironment;
import org.apache.flink.runtime.operators.testutils.MockEnvironmentBuilder;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class TotalsAggregatorTest {
    private static final long T = 1_700_000_000_000L;

    /** A delta: add {@code amount} to {@code key}'s sum. */
    public record Add(String key, long amount, long time) {
    }

    /** The keyed state, a Flink POJO. */
    public static class Sum {
        public long sum;
        public long count;

        public Sum() {
        }
    }

    public record Total(String key, long sum, long count) {
        double mean() {
            return count == 0 ? 0.0 : (double) sum / count;
        }
    }

    private static Totals<Add, Sum, Total> spec() {
        return Totals.<Add, Sum, Total>inState("test-sum", Sum.class, Sum::new)
                .add((s, d) -> {
                    s.sum += d.amount();
                    s.count++;
                })
                .snapshot((key, s) -> new Total(key, s.sum, s.count))
                .gauges(Gauges.<Total>under("testKey").gauge("sum", Total::sum).gauge("mean", Total::mean));
    }

    /** Gauges registered through the harness's metric group, by "<group value>.<name>". */
    private final Map<String, Gauge<?>> gauges = new ConcurrentHashMap<>();

    private KeyedOneInputStreamOperatorTestHarness<String, Add, Total> harness(Totals<Add, Sum, Total> spec)
            throws Exception {
        TestingMetricRegistry registry = TestingMetricRegistry.builder()
                .setRegisterConsumer((metric, name, group) -> {
                    String key = group.getAllVariables().get("<testKey>");
                    if (key != null && metric instanceof Gauge<?> g) {
                        gauges.put(key + "." + name, g);
                    }
                }).build();
        MockEnvironment env = new MockEnvironmentBuilder()
                .setMetricGroup(TaskManagerMetricGroup.createTaskManagerMetricGroup(registry, "localhost",
                        ResourceID.generate()).addJob(new JobID(), "job").addTask(ExecutionAttemptID.randomId(), "task"))
                .build();
        return new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new TotalsAggregator<>(spec)),
                Add::key, Types.STRING, env);
    }

    private Object gauge(String name) {
        assertThat(gauges).as("registered gauges").containsKey(name);
        return gauges.get(name).getValue();
    }

    @Test
    void sumsPerKeyAndEmitsTheTotalsAfterEveryChange() throws Exception {
        try (var h = harness(spec())) {
            h.open();
            h.processElement(new StreamRecord<>(new Add("a", 5, T), T));
            h.processElement(new StreamRecord<>(new Add("b", 1, T), T));
            h.processElement(new StreamRecord<>(new Add("a", -2, T + 1), T + 1));
            h.processElement(new StreamRecord<>(new Add("a", 10, T + 2), T + 2));

            assertThat(h.extractOutputValues()).containsExactly(new Total("a", 5, 1), new Total("b", 1, 1),
                    new Total("a", 3, 2), new Total("a", 13, 3));
        }
    }

    @Test
    void gaugesAreRegisteredOncePerKeyAndReadTheLatestTotals() throws Exception {
        try (var h = harness(spec())) {
            h.open();
            assertThat(gauges).isEmpty();
            h.processElement(new StreamRecord<>(new Add("a", 4, T), T));
            Gauge<?> sumOfA = gauges.get("a.sum");
            assertThat(gauges.keySet()).containsExactlyInAnyOrder("a.sum", "a.mean");
            assertThat(gauge("a.sum")).isEqualTo(4L);

            h.processElement(new StreamRecord<>(new Add("a", 2, T), T));
            h.processElement(new StreamRecord<>(new Add("b", 7, T), T));
            assertThat(gauges.get("a.sum")).as("not registered again").isSameAs(sumOfA);
            assertThat(gauge("a.sum")).isEqualTo(6L);
            assertThat(gauge("a.mean")).isEqualTo(3.0);
            assertThat(gauge("b.sum")).isEqualTo(7L);
            assertThat(gauges).hasSize(4);
        }
    }

    @Test
    void totalsContinueAfterASnapshotAndRestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness(spec())) {
            h.open();
            h.processElement(new StreamRecord<>(new Add("a", 5, T), T));
            h.processElement(new StreamRecord<>(new Add("b", 1, T), T));
            h.processElement(new StreamRecord<>(new Add("a", 2, T), T));
            snapshot = h.snapshot(1L, T);
            h.processElement(new StreamRecord<>(new Add("a", 1_000, T), T)); // after the snapshot: lost by the restore
        }
        gauges.clear();
        try (var h = harness(spec())) {
            h.initializeState(snapshot);
            h.open();
            h.processElement(new StreamRecord<>(new Add("a", 3, T + 1), T + 1));
            h.processElement(new StreamRecord<>(new Add("b", 4, T + 1), T + 1));
            h.processElement(new StreamRecord<>(new Add("c", 9, T + 1), T + 1));

            assertThat(h.extractOutputValues()).as("a and b continue, c starts").containsExactly(
                    new Total("a", 10, 3), new Total("b", 5, 2), new Total("c", 9, 1));
            assertThat(gauge("a.sum")).as("a restored key's gauges come back with its next delta").isEqualTo(10L);
            assertThat(gauge("b.sum")).isEqualTo(5L);
        }
    }

    @Test
    void emitEveryCoalescesEmissionsPerKeyAndIntervalOfEventTimeWhileGaugesFollowEveryChange() throws Exception {
        try (var h = harness(spec().emitEvery(Duration.ofSeconds(1)))) {
            h.open();
            h.processElement(new StreamRecord<>(new Add("a", 1, T), T));
            h.processElement(new StreamRecord<>(new Add("a", 1, T + 400), T + 400));
            h.processElement(new StreamRecord<>(new Add("b", 1, T + 900), T + 900));
            assertThat(gauge("a.sum")).isEqualTo(2L);
            h.processWatermark(new Watermark(T + 999));
            assertThat(h.extractOutputValues()).as("nothing before the interval ends").isEmpty();
            h.processWatermark(new Watermark(T + 1_000));
            assertThat(h.extractOutputValues()).containsExactlyInAnyOrder(new Total("a", 2, 2), new Total("b", 1, 1));

            h.processElement(new StreamRecord<>(new Add("a", 5, 0))); // no timestamp: emitted at once
            assertThat(h.extractOutputValues()).last().isEqualTo(new Total("a", 7, 3));
        }
    }

    @Test
    void timersSurviveARestoreAndEmitTheRestoredTotals() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness(spec().emitEvery(Duration.ofSeconds(1)))) {
            h.open();
            h.processElement(new StreamRecord<>(new Add("a", 3, T + 10), T + 10));
            snapshot = h.snapshot(1L, T + 10);
        }
        try (var h = harness(spec().emitEvery(Duration.ofSeconds(1)))) {
            h.initializeState(snapshot);
            h.open();
            h.processWatermark(new Watermark(T + 1_000));
            assertThat(h.extractOutputValues()).containsExactly(new Total("a", 3, 1));
        }
    }

    @Test
    void aSnapshotCanCarrySomethingOfTheDelta() throws Exception {
        Totals<Add, Sum, Total> withTime = Totals.<Add, Sum, Total>inState("test-sum", Sum.class, Sum::new)
                .add((s, d) -> s.sum += d.amount())
                .snapshotAfter((key, s, d) -> new Total(key, s.sum, d.time()));
        try (var h = harness(withTime)) {
            h.open();
            h.processElement(new StreamRecord<>(new Add("a", 2, 77), T));
            h.processElement(new StreamRecord<>(new Add("a", 3, 88), T));
            assertThat(h.extractOutputValues()).containsExactly(new Total("a", 2, 77), new Total("a", 5, 88));
            assertThat(gauges).as("no gauges declared").isEmpty();
        }
    }

    @Test
    void anIncompleteOrContradictorySpecFailsWhenTheFunctionIsBuilt() {
        Totals<Add, Sum, Total> noAdd = Totals.<Add, Sum, Total>inState("s", Sum.class, Sum::new)
                .snapshot((k, s) -> new Total(k, s.sum, s.count));
        assertThatThrownBy(() -> new TotalsAggregator<>(noAdd)).hasMessageContaining("add(...)");
        Totals<Add, Sum, Total> noSnapshot = Totals.<Add, Sum, Total>inState("s", Sum.class, Sum::new)
                .add((s, d) -> s.sum += d.amount());
        assertThatThrownBy(() -> new TotalsAggregator<>(noSnapshot)).hasMessageContaining("snapshot(...)");
        Totals<Add, Sum, Total> timerWithoutDelta = noSnapshot
                .snapshotAfter((k, s, d) -> new Total(k, s.sum, d.time())).emitEvery(Duration.ofSeconds(1));
        assertThatThrownBy(() -> new TotalsAggregator<>(timerWithoutDelta)).hasMessageContaining("emitEvery");
        assertThatThrownBy(() -> Gauges.<Total>under("k").gauge("x", Total::sum).gauge("x", Total::count))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theSpecSurvivesJavaSerialization() throws Exception {
        TotalsAggregator<Add, Sum, Total> f = new TotalsAggregator<>(spec().emitEvery(Duration.ofSeconds(1)));
        TotalsAggregator<Add, Sum, Total> copy = org.apache.flink.util.InstantiationUtil.clone(f);
        try (var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(copy), Add::key,
                Types.STRING)) {
            h.open();
            h.processElement(new StreamRecord<>(new Add("a", 2, T)));
            assertThat(h.extractOutputValues()).isEqualTo(List.of(new Total("a", 2, 1)));
        }
    }
}
