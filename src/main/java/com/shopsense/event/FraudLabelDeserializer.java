package com.shopsense.event;

import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Kafka value bytes of the label topic to {@link ParsedLabel}; never throws (bad records become dead letters). */
public final class FraudLabelDeserializer implements KafkaRecordDeserializationSchema<ParsedLabel> {
    private static final long serialVersionUID = 1L;

    private final EventLimits limits;
    private transient LabelParser parser;

    public FraudLabelDeserializer(EventLimits limits) {
        this.limits = limits;
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        parser = new LabelParser(limits, System::currentTimeMillis);
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<ParsedLabel> out) {
        if (parser == null) {
            open(null);
        }
        byte[] raw = record.value() == null ? new byte[0] : record.value();
        try {
            out.collect(new ParsedLabel(parser.parse(raw, record.topic(), record.partition(), record.offset()), null));
        } catch (InvalidEventException e) {
            out.collect(new ParsedLabel(null, new DeadLetter(raw, e.getMessage(), record.topic(), record.partition(),
                    record.offset(), DeadLetter.STAGE_LABEL)));
        }
    }

    @Override
    public TypeInformation<ParsedLabel> getProducedType() {
        return TypeInformation.of(ParsedLabel.class);
    }
}
