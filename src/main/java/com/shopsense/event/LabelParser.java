package com.shopsense.event;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Parses and validates one fraud-label JSON document (contract in README "Fraud labels" and
 * docs/event-contract.md): {@code {labelId, eventId, alertId?, userId?, merchantId?, label: fraud|legit,
 * source: case|chargeback, decidedAt}}. Same envelope, text and time rules as events; violations raise
 * {@link InvalidEventException} with a code from {@link ReasonCodes#LABEL_PARSER}, nothing else.
 */
public final class LabelParser {
    static final Set<String> FIELDS = Set.of("labelId", "eventId", "alertId", "userId", "merchantId", "label",
            "source", "decidedAt");

    private final StrictJson json;
    private final EventLimits limits;
    private final LongSupplier clockMs;

    public LabelParser(EventLimits limits, LongSupplier clockMs) {
        this.limits = limits;
        this.clockMs = clockMs;
        this.json = new StrictJson(limits.maxPayloadBytes(), FIELDS);
    }

    /** The label, with its source coordinates kept for a later dead letter. */
    public FraudLabel parse(byte[] raw, String topic, int partition, long offset) throws InvalidEventException {
        JsonNode n = json.readObject(raw);
        int maxId = limits.maxIdLength();
        String labelId = Fields.requiredId(n, "labelId", maxId);
        String eventId = Fields.requiredId(n, "eventId", maxId);
        String alertId = Fields.optionalId(n, "alertId", maxId);
        String userId = Fields.optionalId(n, "userId", maxId);
        String merchantId = Fields.optionalId(n, "merchantId", maxId);
        String label = Fields.requiredId(n, "label", 16);
        boolean fraud = switch (label) {
            case "fraud" -> true;
            case "legit" -> false;
            default -> throw new InvalidEventException(ReasonCodes.INVALID_VALUE,
                    "label must be fraud or legit, was '" + SafeText.of(label, 16) + "'");
        };
        String source = Fields.requiredId(n, "source", 16);
        if (!source.equals(FraudLabel.SOURCE_CASE) && !source.equals(FraudLabel.SOURCE_CHARGEBACK)) {
            throw new InvalidEventException(ReasonCodes.INVALID_VALUE,
                    "source must be case or chargeback, was '" + SafeText.of(source, 16) + "'");
        }
        long decidedAt = Timestamps.read(n, "decidedAt", limits, clockMs.getAsLong());
        return new FraudLabel(labelId, eventId, alertId, userId, merchantId, fraud, source, decidedAt, raw, topic,
                partition, offset);
    }
}
