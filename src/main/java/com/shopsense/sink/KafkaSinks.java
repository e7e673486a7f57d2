package com.shopsense.sink;

import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;

/** Builds the job's Kafka sinks. Exactly-once sinks are transactional: readers use read_committed. */
public final class KafkaSinks {
    private KafkaSinks() {
    }

    /**
     * @param name distinguishes the transactional-id prefix of each sink (ids must not collide)
     */
    public static <T> KafkaSink<T> create(KafkaSinkSettings s, String name, KafkaRecordSerializationSchema<T> schema) {
        return KafkaSink.<T>builder()
                .setBootstrapServers(s.bootstrapServers())
                .setRecordSerializer(schema)
                .setDeliveryGuarantee(s.guarantee())
                .setTransactionalIdPrefix(s.transactionalIdPrefix() + "-" + name)
                .setKafkaProducerConfig(s.producerConfig())
                .build();
    }
}
