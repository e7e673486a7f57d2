package com.shopsense.sink;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.shopsense.scoring.JourneyAction;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A journey action to Kafka (docs/actions.md): key = userId (one user's actions stay in order on one partition;
 * the product's id for a product's action),
 * value = the action's JSON without the fields its type does not have. No record timestamp: the broker's append
 * time keeps actions raised while replaying old data inside the topic's retention, and the value stays the same
 * on every replay.
 */
public final class JourneyActionSerializer implements KafkaRecordSerializationSchema<JourneyAction> {
    private static final long serialVersionUID = 1L;
    private final String topic;
    private transient ObjectMapper mapper;

    public JourneyActionSerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(JourneyAction a, KafkaSinkContext context, Long timestamp) {
        if (mapper == null) {
            mapper = new ObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_NULL);
        }
        try {
            return new ProducerRecord<>(topic, null, null, a.key().getBytes(StandardCharsets.UTF_8),
                    mapper.writeValueAsBytes(a));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + a, e);
        }
    }
}
