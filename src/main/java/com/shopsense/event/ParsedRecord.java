package com.shopsense.event;

/**
 * What the Kafka deserializer hands on: exactly one of a valid event or a dead letter. Parsing in
 * the source lets watermarks be generated per partition from the events' own time.
 */
public record ParsedRecord(ShopEvent event, DeadLetter deadLetter) {

    public static ParsedRecord ok(ShopEvent event) {
        return new ParsedRecord(event, null);
    }

    public static ParsedRecord rejected(DeadLetter deadLetter) {
        return new ParsedRecord(null, deadLetter);
    }

    public boolean isValid() {
        return event != null;
    }
}
