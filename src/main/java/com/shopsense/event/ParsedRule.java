package com.shopsense.event;

/**
 * What the rule deserializer hands on: exactly one of a valid rule document (its bytes and effective time: the
 * parsed tree is rebuilt where it is used, so only bytes cross the network and sit in state) or a dead letter.
 */
public record ParsedRule(byte[] document, long effectiveFrom, DeadLetter deadLetter) {

    public boolean isValid() {
        return document != null;
    }
}
