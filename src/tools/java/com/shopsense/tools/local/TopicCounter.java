package com.shopsense.tools.local;

import com.shopsense.config.JobConfig;
import com.shopsense.tools.kafka.KafkaClientProps;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/** Counts the committed records of a topic incrementally (read_committed), for progress lines. */
final class TopicCounter implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Consumer<ConsumerRecord<byte[], byte[]>> onRecord;
    private long count;

    TopicCounter(JobConfig cfg, String topic, Consumer<ConsumerRecord<byte[], byte[]>> onRecord) {
        this.consumer = new KafkaConsumer<>(KafkaClientProps.committedBytesConsumer(cfg));
        this.onRecord = onRecord;
        var parts = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(i -> new TopicPartition(topic, i.partition())).collect(Collectors.toList());
        consumer.assign(parts);
        consumer.seekToBeginning(parts);
    }

    long poll() {
        for (int i = 0; i < 20; i++) {
            var records = consumer.poll(Duration.ofMillis(50));
            if (records.isEmpty()) {
                break;
            }
            for (ConsumerRecord<byte[], byte[]> r : records) {
                count++;
                onRecord.accept(r);
            }
        }
        return count;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
