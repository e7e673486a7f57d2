package com.shopsense.event;

/** What the label deserializer hands on: exactly one of a valid label or a dead letter. */
public record ParsedLabel(FraudLabel label, DeadLetter deadLetter) {

    public boolean isValid() {
        return label != null;
    }
}
