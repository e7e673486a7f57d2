package com.shopsense.sink;

import com.shopsense.config.JobConfig;
import com.shopsense.config.JobOptions;
import java.io.Serializable;
import java.util.Properties;
import org.apache.flink.connector.base.DeliveryGuarantee;

/**
 * What every Kafka sink of the job shares: brokers, delivery guarantee, transactional-id prefix and producer
 * settings (the job's own, then the kafka.properties.* pass-through: security, tuning).
 */
public record KafkaSinkSettings(String bootstrapServers, DeliveryGuarantee guarantee, String transactionalIdPrefix,
        Properties producerConfig) implements Serializable {

    public static KafkaSinkSettings from(JobConfig cfg) {
        Properties props = new Properties();
        // Must stay below the broker's transaction.max.timeout.ms (15 min default) or the job restart-loops.
        props.setProperty("transaction.timeout.ms", Long.toString(cfg.get(JobOptions.TRANSACTION_TIMEOUT).toMillis()));
        props.setProperty("enable.idempotence", "true");
        // Last, so it may tune what the job leaves open; the keys the job owns are rejected in JobConfig.
        props.putAll(cfg.kafkaClientProperties());
        return new KafkaSinkSettings(cfg.get(JobOptions.KAFKA_BOOTSTRAP), cfg.get(JobOptions.DELIVERY_GUARANTEE),
                cfg.get(JobOptions.TRANSACTIONAL_ID_PREFIX), props);
    }
}
