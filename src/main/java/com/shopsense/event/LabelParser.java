package com.shopsense.event;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.function.LongSupplier;

/**
 * Parses and validates one fraud-label JSON document (contract in README "Fraud labels"):
 * {@code {labelId, eventId, alertId?, userId?, merchantId?, label: fraud|legit, source: case|chargeback,
 * decidedAt}}. Same size and time limits as events; violations raise {@link InvalidEventException}.
 */
public final class LabelParser {
    private final ObjectMapper mapper = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(JsonParser.Feature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();
    private final EventLimits limits;
    private final LongSupplier clockMs;

    public LabelParser(EventLimits limits, LongSupplier clockMs) {
        this.limits = limits;
        this.clockMs = clockMs;
    }

    /** The label, with its source coordinates kept for a later dead letter. */
    public FraudLabel parse(byte[] raw, String topic, int partition, long offset) throws InvalidEventException {
        if (raw == null || raw.length == 0) {
            throw new InvalidEventException("empty_payload", "record has no value");
        }
        if (raw.length > limits.maxPayloadBytes()) {
            throw new InvalidEventException("payload_too_large", raw.length + " bytes > " + limits.maxPayloadBytes());
        }
        JsonNode n;
        try {
            n = mapper.readTree(raw);
        } catch (IOException e) {
            throw new InvalidEventException("malformed_json", EventParser.firstLine(e.getMessage()));
        }
        if (n == null || !n.isObject()) {
            throw new InvalidEventException("not_an_object", "top-level JSON value must be an object");
        }
        int maxId = limits.maxIdLength();
        String labelId = EventParser.requiredString(n, "labelId", maxId);
        String eventId = EventParser.requiredString(n, "eventId", maxId);
        String alertId = EventParser.optionalString(n, "alertId", maxId);
        String userId = EventParser.optionalString(n, "userId", maxId);
        String merchantId = EventParser.optionalString(n, "merchantId", maxId);
        String label = EventParser.requiredString(n, "label", 16);
        boolean fraud = switch (label) {
            case "fraud" -> true;
            case "legit" -> false;
            default -> throw new InvalidEventException("invalid_value", "label must be fraud or legit, was '" + label + "'");
        };
        String source = EventParser.requiredString(n, "source", 16);
        if (!source.equals(FraudLabel.SOURCE_CASE) && !source.equals(FraudLabel.SOURCE_CHARGEBACK)) {
            throw new InvalidEventException("invalid_value", "source must be case or chargeback, was '" + source + "'");
        }
        long decidedAt = EventParser.timestamp(n, "decidedAt", limits, clockMs.getAsLong());
        return new FraudLabel(labelId, eventId, alertId, userId, merchantId, fraud, source, decidedAt, raw, topic,
                partition, offset);
    }
}
