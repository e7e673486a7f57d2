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
}
