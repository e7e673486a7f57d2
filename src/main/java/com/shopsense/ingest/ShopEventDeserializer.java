package com.shopsense.ingest;

import com.shopsense.event.DeadLetter;
import com.shopsense.event.EventLimits;
import com.shopsense.event.EventParser;
import com.shopsense.event.InvalidEventException;
import com.shopsense.event.ParsedRecord;
import com.shopsense.event.ShopEvent;
import com.shopsense.event.UnexpectedErrors;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Kafka value bytes to {@link ParsedRecord}. Never throws on a record: one that breaks the contract becomes a
 * dead letter carrying its raw bytes, the reason and its topic/partition/offset; one the parser throws on
 * unexpectedly (a bug) becomes a dead letter with reason unexpected_error, within the
 * {@code dlq.max-unexpected-per-minute} budget (see {@link UnexpectedErrors}). Metrics under the source
 * reader's {@code deserializer} group: keyMismatch, keyMissing, unexpectedErrors.
 */
public final class ShopEventDeserializer implements KafkaRecordDeserializationSchema<ParsedRecord> {
    private static final long serialVersionUID = 1L;
    public static final int DEFAULT_MAX_UNEXPECTED_PER_MINUTE = 100;

    private final EventLimits limits;
    private final UnexpectedErrors errors;
    private transient EventParser parser;
    private transient KeyCheck keys;

    public ShopEventDeserializer(EventLimits limits, int maxUnexpectedPerMinute) {
        this.limits = limits;
        this.errors = new UnexpectedErrors(DeadLetter.STAGE_PARSE, maxUnexpectedPerMinute);
    }

    public ShopEventDeserializer(EventLimits limits) {
        this(limits, DEFAULT_MAX_UNEXPECTED_PER_MINUTE);
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        MetricGroup metrics = context == null ? new UnregisteredMetricsGroup() : context.getMetricGroup();
        parser = new EventParser(limits, System::currentTimeMillis);
        keys = new KeyCheck(metrics);
        errors.open(metrics);
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<ParsedRecord> out) {
        out.collect(parse(record)); // outside the guard: a downstream failure is not this record's fault
    }

    ParsedRecord parse(ConsumerRecord<byte[], byte[]> record) {
        if (parser == null) {
            open(null);
        }
        byte[] raw = record.value();
        try {
            ShopEvent e = parser.parse(raw);
            keys.check(record.key(), e);
            return ParsedRecord.ok(e);
        } catch (InvalidEventException e) {
            return ParsedRecord.rejected(new DeadLetter(raw == null ? new byte[0] : raw, e.getMessage(),
                    record.topic(), record.partition(), record.offset(), DeadLetter.STAGE_PARSE));
        } catch (RuntimeException | StackOverflowError e) {
            return ParsedRecord.rejected(errors.deadLetter(e, raw, record.topic(), record.partition(), record.offset()));
        }
    }

    KeyCheck keyCheck() {
        return keys;
    }

    @Override
    public TypeInformation<ParsedRecord> getProducedType() {
        return TypeInformation.of(ParsedRecord.class);
    }
}
