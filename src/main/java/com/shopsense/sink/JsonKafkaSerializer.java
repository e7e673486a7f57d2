package com.shopsense.sink;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Any record type to a JSON Kafka value, keyed by a field of it (userId, so one user's records stay in order). */
public final class JsonKafkaSerializer<T> implements KafkaRecordSerializationSchema<T> {
    private final String topic;
    private final SerializableFunction<T, String> key;
    private transient ObjectMapper mapper;

    public JsonKafkaSerializer(String topic, SerializableFunction<T, String> key) {
        this.topic = topic;
        this.key = key;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(T element, KafkaSinkContext context, Long timestamp) {
        if (mapper == null) {
            mapper = new ObjectMapper();
        }
        try {
            return new ProducerRecord<>(topic, key.apply(element).getBytes(StandardCharsets.UTF_8),
                    mapper.writeValueAsBytes(element));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + element, e);
        }
    }
}
