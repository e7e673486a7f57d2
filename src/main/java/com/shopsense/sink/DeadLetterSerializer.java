package com.shopsense.sink;

import com.shopsense.event.DeadLetter;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/** Dead letter to Kafka: the raw bytes as value, reason and provenance as headers (README "Dead-letter topic"). */
public final class DeadLetterSerializer implements KafkaRecordSerializationSchema<DeadLetter> {
    public static final String H_REASON = "dlq.reason";
    public static final String H_STAGE = "dlq.stage";
    public static final String H_TOPIC = "dlq.source.topic";
    public static final String H_PARTITION = "dlq.source.partition";
    public static final String H_OFFSET = "dlq.source.offset";
    /** Only for reason unexpected_error: the exception class and its redacted message. */
    public static final String H_ERROR_CLASS = "dlq.error.class";
    public static final String H_ERROR_MESSAGE = "dlq.error.message";

    private final String topic;

    public DeadLetterSerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(DeadLetter d, KafkaSinkContext context, Long timestamp) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(H_REASON, utf8(d.reason()));
        headers.add(H_STAGE, utf8(d.stage()));
        headers.add(H_TOPIC, utf8(d.sourceTopic()));
        headers.add(H_PARTITION, utf8(Integer.toString(d.sourcePartition())));
        headers.add(H_OFFSET, utf8(Long.toString(d.sourceOffset())));
        if (d.errorClass() != null) {
            headers.add(H_ERROR_CLASS, utf8(d.errorClass()));
            headers.add(H_ERROR_MESSAGE, utf8(d.errorMessage()));
        }
        return new ProducerRecord<>(topic, null, null, null, d.raw(), headers);
    }

    private static byte[] utf8(String s) {
        return (s == null ? "" : s).getBytes(StandardCharsets.UTF_8);
    }
}
