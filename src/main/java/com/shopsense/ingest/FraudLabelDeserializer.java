package com.shopsense.ingest;

import com.shopsense.event.DeadLetter;
import com.shopsense.event.EventLimits;
import com.shopsense.event.InvalidEventException;
import com.shopsense.event.LabelParser;
import com.shopsense.event.ParsedLabel;
import com.shopsense.event.UnexpectedErrors;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Kafka value bytes of the label topic to {@link ParsedLabel}; never throws on a record (bad records become
 * dead letters; one the parser throws on unexpectedly becomes an unexpected_error dead letter, within the
 * budget, like {@link ShopEventDeserializer}).
 */
public final class FraudLabelDeserializer implements KafkaRecordDeserializationSchema<ParsedLabel> {
    private static final long serialVersionUID = 1L;

    private final EventLimits limits;
    private final UnexpectedErrors errors;
    private transient LabelParser parser;

    public FraudLabelDeserializer(EventLimits limits, int maxUnexpectedPerMinute) {
        this.limits = limits;
        this.errors = new UnexpectedErrors(DeadLetter.STAGE_LABEL, maxUnexpectedPerMinute);
    }

    public FraudLabelDeserializer(EventLimits limits) {
        this(limits, ShopEventDeserializer.DEFAULT_MAX_UNEXPECTED_PER_MINUTE);
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        MetricGroup metrics = context == null ? new UnregisteredMetricsGroup() : context.getMetricGroup();
        parser = new LabelParser(limits, System::currentTimeMillis);
        errors.open(metrics);
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<ParsedLabel> out) {
        out.collect(parse(record));
    }

    ParsedLabel parse(ConsumerRecord<byte[], byte[]> record) {
        if (parser == null) {
            open(null);
        }
        byte[] raw = record.value();
        try {
            return new ParsedLabel(parser.parse(raw, record.topic(), record.partition(), record.offset()), null);
        } catch (InvalidEventException e) {
            return new ParsedLabel(null, new DeadLetter(raw == null ? new byte[0] : raw, e.getMessage(), record.topic(),
                    record.partition(), record.offset(), DeadLetter.STAGE_LABEL));
        } catch (RuntimeException | StackOverflowError e) {
            return new ParsedLabel(null, errors.deadLetter(e, raw, record.topic(), record.partition(), record.offset()));
        }
    }

    @Override
    public TypeInformation<ParsedLabel> getProducedType() {
        return TypeInformation.of(ParsedLabel.class);
    }
}
