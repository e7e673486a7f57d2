package com.shopsense.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The published JSON Schema, the Java event and the parser describe the same contract. */
class EventSchemaTest {
    private final JsonNode schema = read();

    private static JsonNode read() {
        try {
            return new ObjectMapper().readTree(Path.of("src/main/resources/schema/shop-event-v1.schema.json").toFile());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void schemaPropertiesAreTheEventFields() {
        List<String> props = new ArrayList<>();
        schema.get("properties").fieldNames().forEachRemaining(props::add);
        List<String> fields = new ArrayList<>(Arrays.stream(ShopEvent.class.getRecordComponents())
                .map(c -> c.getName().equals("timestampMs") ? "ts" : c.getName()).toList());
        assertThat(props).containsExactlyInAnyOrderElementsOf(fields);
    }

    @Test
    void schemaTypeEnumIsEveryEventType() {
        List<String> names = new ArrayList<>();
        schema.get("properties").get("type").get("enum").forEach(n -> names.add(n.asText()));
        assertThat(names).containsExactlyInAnyOrderElementsOf(
                Arrays.stream(EventType.values()).map(EventType::wireName).toList());
    }

    @Test
    void requiredFieldsAreRejectedWhenMissing() {
        EventParser parser = new EventParser(EventLimits.defaults(), System::currentTimeMillis);
        schema.get("required").forEach(req -> {
            com.fasterxml.jackson.databind.node.ObjectNode event = new ObjectMapper().createObjectNode()
                    .put("eventId", "e").put("userId", "u").put("type", "search").put("ts", 1_700_000_000_000L);
            event.remove(req.asText());
            try {
                parser.parse(event.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                throw new AssertionError("accepted without " + req.asText());
            } catch (InvalidEventException e) {
                assertThat(e.getMessage()).startsWith("missing_field");
            }
        });
    }

    /** The schema's review rule is the parser's: itemId, and text or rating (every combination of the three). */
    @Test
    void reviewRuleOfTheSchemaIsTheParsersRule() {
        JsonNode then = schema.get("allOf").get(0).get("then");
        List<String> required = new ArrayList<>();
        then.get("required").forEach(r -> required.add(r.asText()));
        List<List<String>> anyOf = new ArrayList<>();
        then.get("anyOf").forEach(a -> {
            List<String> names = new ArrayList<>();
            a.get("required").forEach(r -> names.add(r.asText()));
            anyOf.add(names);
        });
        EventParser parser = new EventParser(EventLimits.defaults(), System::currentTimeMillis);
        for (int mask = 0; mask < 8; mask++) {
            com.fasterxml.jackson.databind.node.ObjectNode event = new ObjectMapper().createObjectNode()
                    .put("eventId", "e").put("userId", "u").put("type", "review").put("ts", 1_700_000_000_000L);
            if ((mask & 1) != 0) {
                event.put("itemId", "i");
            }
            if ((mask & 2) != 0) {
                event.put("text", "fine");
            }
            if ((mask & 4) != 0) {
                event.put("rating", 4);
            }
            boolean schemaAccepts = required.stream().allMatch(event::has)
                    && anyOf.stream().anyMatch(names -> names.stream().allMatch(event::has));
            boolean parserAccepts;
            try {
                parser.parse(event.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                parserAccepts = true;
            } catch (InvalidEventException e) {
                assertThat(e.code()).isEqualTo(ReasonCodes.MISSING_FIELD);
                parserAccepts = false;
            }
            assertThat(parserAccepts).as(event.toString()).isEqualTo(schemaAccepts);
        }
    }
}
