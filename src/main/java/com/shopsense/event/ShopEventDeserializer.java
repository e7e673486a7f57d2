package com.shopsense.event;

import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Kafka value bytes to {@link ParsedRecord}. Never throws: a record that breaks the contract
 * becomes a dead letter carrying its raw bytes, the reason and its topic/partition/offset.
 */
public final class ShopEventDeserializer implements KafkaRecordDeserializationSchema<ParsedRecord> {
    private static final long serialVersionUID = 1L;

    private final EventLimits limits;
    private transient EventParser parser;

    public ShopEventDeserializer(EventLimits limits) {
        this.limits = limits;
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        parser = new EventParser(limits, System::currentTimeMillis);
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<ParsedRecord> out) {
        if (parser == null) {
            open(null);
        }
        byte[] raw = record.value();
        try {
            out.collect(ParsedRecord.ok(parser.parse(raw)));
        } catch (InvalidEventException e) {
            out.collect(ParsedRecord.rejected(new DeadLetter(raw == null ? new byte[0] : raw, e.getMessage(),
                    record.topic(), record.partition(), record.offset(), DeadLetter.STAGE_PARSE)));
        }
    }

    @Override
    public TypeInformation<ParsedRecord> getProducedType() {
        return TypeInformation.of(ParsedRecord.class);
    }
}
