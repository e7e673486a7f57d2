package com.shopsense.job;

import com.shopsense.config.JobConfig;
import com.shopsense.config.JobOptions;
import com.shopsense.event.EventLimits;
import com.shopsense.event.ParsedRecord;
import com.shopsense.event.ShopEvent;
import com.shopsense.sink.RedisKeys;
import com.shopsense.testing.ExpectedKpis;
import com.shopsense.testing.FlinkTestConfig;
import com.shopsense.testing.KafkaTestClient;
import com.shopsense.testing.ReplayFixture;
import com.shopsense.testing.SharedKafka;
import com.shopsense.testing.SharedRedis;
import com.shopsense.testing.TestTopics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.UnifiedJedis;

/**
 * Live KPIs through the whole job on a real Taobao slice (views, carts, orders) with the synthetic
 * payment layer and planted fraud: every 1-minute tumbling and 1-hour sliding window in Redis must equal
 * the one computed here from the input events, with its own sessionization and counting.
 */
@ExtendWith({SharedKafka.class, SharedRedis.class})
class KpiIT {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
                    .build());

    @TempDir
    Path dir;

    @Test
    void kpiWindowsEqualThoseComputedFromTheInput() throws Exception {
        ReplayFixture fixture = ReplayFixture.taobaoWithPayments(8_000, 6);
        TestTopics topics = TestTopics.fresh("kpi");
        KafkaTestClient kafka = new KafkaTestClient(SharedKafka.bootstrap());
        kafka.createTopics(2, topics.allTopics());
        kafka.produce(topics.events(), fixture.records);

        JobConfig cfg = topics.jobConfig(Map.of("redis.kpi-retention", "400 d", "redis.alerts-per-user", "100000"));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                FlinkTestConfig.rocksDbWithCheckpoints(dir, Duration.ofMillis(500)));
        env.setParallelism(2);
        DataStream<ParsedRecord> records = env.fromSource(ShopSenseJob.source(cfg), ShopSenseJob.watermarks(cfg),
                "Kafka shop-events").uid("kafka-shop-events");
        ShopSenseJob.attachSinks(ShopSenseJob.defineWorkflow(records, cfg), cfg);
        env.execute("kpi-it"); // bounded: the final watermark closes every session and window

        List<ShopEvent> valid = fixture.events.stream().filter(e -> e.timestampMs() >= EventLimits.YEAR_2000_MS).toList();
        RedisKeys keys = new RedisKeys(topics.redisPrefix());
        Duration gap = cfg.get(JobOptions.SESSION_GAP);
        Duration max = cfg.get(JobOptions.SESSION_MAX_DURATION);
        try (UnifiedJedis redis = SharedRedis.settings("kpi").createClient("kpi")) {
            Set<String> alerted = ExpectedKpis.alertedEventIds(redis, keys,
                    valid.stream().map(ShopEvent::userId).distinct().toList());
            org.assertj.core.api.Assertions.assertThat(alerted).as("planted fraud raised alerts").isNotEmpty();
            Map<String, List<Long>> actions = ExpectedKpis.actionTimes(new KafkaTestClient(SharedKafka.bootstrap()),
                    topics.actions(), user -> true);
            org.assertj.core.api.Assertions.assertThat(actions).as("journey actions raised")
                    .containsKeys("cart_abandoned", "high_intent");
            var oneMinute = ExpectedKpis.compute(valid, alerted, actions, Duration.ofMinutes(1), Duration.ofMinutes(1),
                    gap, max);
            var oneHour = ExpectedKpis.compute(valid, alerted, actions, Duration.ofHours(1), Duration.ofMinutes(5), gap,
                    max);
            org.assertj.core.api.Assertions.assertThat(oneHour.values().stream()
                    .filter(w -> w.get("cartAbandonment") != null && (Double) w.get("cartAbandonment") > 0).count())
                    .as("windows with abandoned carts").isPositive();
            ExpectedKpis.assertSame(ExpectedKpis.fromRedis(redis, keys.kpi("1m")), oneMinute, "1m");
            ExpectedKpis.assertSame(ExpectedKpis.fromRedis(redis, keys.kpi("1h")), oneHour, "1h");
        }
    }
}
