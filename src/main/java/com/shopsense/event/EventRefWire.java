package com.shopsense.event;

import com.shopsense.serial.Wire;
import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * {@link EventRef} inside a hand-written serializer: a presence byte, then userId, eventId, ts. EventRef has no
 * serializer of its own on purpose: POJOs kept in state nest it, and a type factory on it would change their
 * state's serializer.
 */
public final class EventRefWire {
    private EventRefWire() {
    }

    public static void write(EventRef ref, DataOutputView out) throws IOException {
        out.writeBoolean(ref != null);
        if (ref != null) {
            Wire.writeString(ref.userId(), out);
            Wire.writeString(ref.eventId(), out);
            out.writeLong(ref.ts());
        }
    }

    public static EventRef read(DataInputView in) throws IOException {
        return in.readBoolean() ? new EventRef(Wire.readString(in), Wire.readString(in), in.readLong()) : null;
    }
}
