package com.shopsense.sink;

import com.shopsense.config.JobConfig;
import com.shopsense.config.JobOptions;
import java.util.Properties;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;

/** Builds the job's Kafka sinks. Exactly-once sinks are transactional: readers use read_committed. */
public final class KafkaSinks {
    private KafkaSinks() {
    }

    /**
     * @param name distinguishes the transactional-id prefix of each sink (ids must not collide)
     */
    public static <T> KafkaSink<T> create(JobConfig cfg, String name, KafkaRecordSerializationSchema<T> schema) {
        DeliveryGuarantee guarantee = cfg.get(JobOptions.DELIVERY_GUARANTEE);
        return KafkaSink.<T>builder()
                .setBootstrapServers(cfg.get(JobOptions.KAFKA_BOOTSTRAP))
                .setRecordSerializer(schema)
                .setDeliveryGuarantee(guarantee)
                .setTransactionalIdPrefix(cfg.get(JobOptions.TRANSACTIONAL_ID_PREFIX) + "-" + name)
                .setKafkaProducerConfig(producerConfig(cfg))
                .build();
    }

    /** The sinks' producer settings: the job's own, then the kafka.properties.* pass-through (security, tuning). */
    public static Properties producerConfig(JobConfig cfg) {
        Properties props = new Properties();
        // Must stay below the broker's transaction.max.timeout.ms (15 min default) or the job restart-loops.
        props.setProperty("transaction.timeout.ms",
                Long.toString(cfg.get(JobOptions.TRANSACTION_TIMEOUT).toMillis()));
        props.setProperty("enable.idempotence", "true");
        // Last, so it may tune what the job leaves open; the keys the job owns are rejected in JobConfig.
        props.putAll(cfg.kafkaClientProperties());
        return props;
    }
}
