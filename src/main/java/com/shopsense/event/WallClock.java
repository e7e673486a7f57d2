package com.shopsense.event;

import java.io.Serializable;

/** Processing time in ms; a field of serializable functions, so tests can pass a manual clock. */
@FunctionalInterface
public interface WallClock extends Serializable {
    WallClock SYSTEM = System::currentTimeMillis;

    long nowMs();
}
