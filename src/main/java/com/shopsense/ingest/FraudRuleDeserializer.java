package com.shopsense.ingest;

import com.shopsense.event.DeadLetter;
import com.shopsense.event.EventLimits;
import com.shopsense.event.FraudRule;
import com.shopsense.event.InvalidEventException;
import com.shopsense.event.ParsedRule;
import com.shopsense.event.RuleParser;
import com.shopsense.event.UnexpectedErrors;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Kafka value bytes of the fraud-rules topic to {@link ParsedRule}: validated here, at the source, so an invalid
 * document becomes a dead letter (stage {@code rule}) and never reaches the rule state. Never throws on a record.
 * A rule may be scheduled up to a year ahead ({@link #MAX_SCHEDULE_AHEAD_MS}).
 */
public final class FraudRuleDeserializer implements KafkaRecordDeserializationSchema<ParsedRule> {
    private static final long serialVersionUID = 1L;
    static final long MAX_SCHEDULE_AHEAD_MS = 366L * 86_400_000L;

    private final EventLimits limits;
    private final UnexpectedErrors errors;
    private transient RuleParser parser;

    public FraudRuleDeserializer(EventLimits limits, int maxUnexpectedPerMinute) {
        this.limits = limits;
        this.errors = new UnexpectedErrors(DeadLetter.STAGE_RULE, maxUnexpectedPerMinute);
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        MetricGroup metrics = context == null ? new UnregisteredMetricsGroup() : context.getMetricGroup();
        // effectiveFrom may lie in the future by the schedule bound, not just the events' clock skew
        parser = new RuleParser(limits, () -> System.currentTimeMillis() + MAX_SCHEDULE_AHEAD_MS
                - limits.maxFutureSkew().toMillis());
        errors.open(metrics);
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<ParsedRule> out) {
        out.collect(parse(record));
    }

    ParsedRule parse(ConsumerRecord<byte[], byte[]> record) {
        if (parser == null) {
            open(null);
        }
        byte[] raw = record.value();
        try {
            FraudRule r = parser.parse(raw);
            return new ParsedRule(raw, r.effectiveFrom(), null);
        } catch (InvalidEventException e) {
            return new ParsedRule(null, Long.MIN_VALUE, new DeadLetter(raw == null ? new byte[0] : raw, e.getMessage(),
                    record.topic(), record.partition(), record.offset(), DeadLetter.STAGE_RULE));
        } catch (RuntimeException | StackOverflowError e) {
            return new ParsedRule(null, Long.MIN_VALUE,
                    errors.deadLetter(e, raw, record.topic(), record.partition(), record.offset()));
        }
    }

    @Override
    public TypeInformation<ParsedRule> getProducedType() {
        return TypeInformation.of(ParsedRule.class);
    }
}
