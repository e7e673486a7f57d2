package com.shopsense.sink;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.shopsense.scoring.FraudAlert;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Fraud alert to Kafka: key = userId (one user's alerts stay in order on one partition), value =
 * the alert JSON of README "Fraud alert JSON" (schemaVersion 1; eventTime and emittedAt in epoch ms),
 * record timestamp = emittedAt: with the event time, alerts raised while replaying old data would be
 * older than the topic's retention and deleted by the broker within minutes.
 */
public final class FraudAlertSerializer implements KafkaRecordSerializationSchema<FraudAlert> {
    private static final long serialVersionUID = 1L;
    private final String topic;
    private transient ObjectMapper mapper;

    public FraudAlertSerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(FraudAlert a, KafkaSinkContext context, Long timestamp) {
        if (mapper == null) {
            mapper = new ObjectMapper();
        }
        try {
            return new ProducerRecord<>(topic, null, a.emittedAt(), a.userId().getBytes(StandardCharsets.UTF_8),
                    mapper.writeValueAsBytes(RedisWrites.alertNode(a)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
