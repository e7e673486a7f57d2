package com.shopsense.tools.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.shopsense.tools.kafka.KafkaClientProps;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The progress line's broker monitors against a real broker of its own that stalls (SIGSTOP) for a
 * while: the lag is "n/a" before the group has committed offsets, "broker unreachable" within a few
 * seconds of the stall (no exception, no endless wait), and known again once the broker continues;
 * the topic counters neither throw nor block meanwhile.
 */
class KafkaLagIT {
    @TempDir
    Path dir;

    @Test
    void lagIsNotAvailableThenKnownThenUnreachableWhileStalledThenKnownAgain() throws Exception {
        try (KafkaBrokerProcess broker = KafkaBrokerProcess.start(dir.resolve("kafka"))) {
            String bootstrap = broker.bootstrapServers();
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
                admin.createTopics(List.of(new NewTopic("events", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }
            try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(KafkaClientProps.bytesProducer(bootstrap))) {
                for (int i = 0; i < 10; i++) {
                    p.send(new ProducerRecord<>("events", ("e" + i).getBytes(StandardCharsets.UTF_8))).get();
                }
            }
            try (KafkaLag lag = new KafkaLag(bootstrap, "the-job");
                    TopicCounter counter = new TopicCounter(com.shopsense.config.JobConfig.of(java.util.Map.of("kafka.bootstrap-servers", bootstrap)), "events", r -> { })) {
                assertThat(lag.read()).as("no offsets committed yet").isEqualTo(KafkaLag.Lag.NO_OFFSETS);
                commit(bootstrap, "the-job", new TopicPartition("events", 0), 4);
                assertThat(lag.read()).isEqualTo(new KafkaLag.Lag(KafkaLag.Kind.KNOWN, 6));
                long counted = counter.poll();
                for (int i = 0; i < 100 && counted < 10; i++) {
                    counted = counter.poll(); // an incremental count: the first polls may fetch nothing yet
                }
                assertThat(counted).isEqualTo(10);

                LocalRunChild.signal(broker.pid(), "STOP");
                try {
                    long t0 = System.nanoTime();
                    assertThat(lag.read()).isEqualTo(KafkaLag.Lag.UNREACHABLE);
                    assertThat(counter.poll()).as("the last count, without blocking").isEqualTo(10);
                    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).as("ms for both").isLessThan(10_000);
                } finally {
                    LocalRunChild.signal(broker.pid(), "CONT");
                }
                KafkaLag.Lag after = lag.read();
                for (int i = 0; i < 10 && after.kind() != KafkaLag.Kind.KNOWN; i++) {
                    after = lag.read();
                }
                assertThat(after).isEqualTo(new KafkaLag.Lag(KafkaLag.Kind.KNOWN, 6));
            }
        }
    }

    private static void commit(String bootstrap, String group, TopicPartition tp, long offset) {
        Properties p = KafkaClientProps.committedBytesConsumer(bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
            c.assign(List.of(tp));
            c.commitSync(Map.of(tp, new OffsetAndMetadata(offset)));
        }
    }
}
