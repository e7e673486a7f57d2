package com.shopsense.event;

import net.jqwik.api.Arbitrary;

/** The event generators of the parser fuzz tests, for property tests of other packages. */
public final class TestEvents {
    private TestEvents() {
    }

    /** Valid event records of every type (JSON bytes). */
    public static Arbitrary<byte[]> validRecords() {
        return EventArbitraries.validRecords();
    }

    /** The fixed "now" the generators' valid times are relative to. */
    public static long now() {
        return JsonArbitraries.NOW;
    }
}
