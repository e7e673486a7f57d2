package com.shopsense.tools.kafka;

import com.shopsense.config.JobConfig;
import com.shopsense.config.JobOptions;
import java.util.Properties;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Client settings shared by the replay producer, the local run's counters, the CLIs and the tests. The
 * {@code JobConfig} variants add the job's kafka.properties.* (security, tuning) so every tool reaches a
 * secured cluster with the same options as the job.
 */
public final class KafkaClientProps {
    private KafkaClientProps() {
    }

    /** Admin client of the job's brokers with the job's client properties. */
    public static Properties admin(JobConfig cfg) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cfg.get(JobOptions.KAFKA_BOOTSTRAP));
        p.putAll(cfg.kafkaClientProperties());
        return p;
    }

    /** {@link #bytesProducer(String)} for the job's brokers, with the job's client properties. */
    public static Properties bytesProducer(JobConfig cfg) {
        Properties p = bytesProducer(cfg.get(JobOptions.KAFKA_BOOTSTRAP));
        p.putAll(cfg.kafkaClientProperties());
        return p;
    }

    /** {@link #committedBytesConsumer(String)} for the job's brokers, with the job's client properties. */
    public static Properties committedBytesConsumer(JobConfig cfg) {
        Properties p = committedBytesConsumer(cfg.get(JobOptions.KAFKA_BOOTSTRAP));
        p.putAll(cfg.kafkaClientProperties());
        return p;
    }

    /**
     * Bytes in, acks=all, room for the 1 MB malformed test payloads, one request in flight so order
     * holds without the idempotent producer: in a CI run the idempotent producer got stuck on
     * OutOfOrderSequenceException (incoming sequence 0 after 568) until its delivery timeout and
     * silently dropped the batches; callers check every send's result.
     */
    public static Properties bytesProducer(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, "2000000");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
        return p;
    }

    /** Bytes out, read_committed: what a reader of the job's transactional topics must use. */
    public static Properties committedBytesConsumer(String bootstrap) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, "4000000");
        return p;
    }
}
