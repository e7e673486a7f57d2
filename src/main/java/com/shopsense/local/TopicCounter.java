package com.shopsense.local;

import java.time.Duration;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Counts the committed records of a topic incrementally (read_committed), for progress lines. */
final class TopicCounter implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Consumer<ConsumerRecord<byte[], byte[]>> onRecord;
    private long count;

    TopicCounter(String bootstrap, String topic, Consumer<ConsumerRecord<byte[], byte[]>> onRecord) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, "4000000");
        this.consumer = new KafkaConsumer<>(p);
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
