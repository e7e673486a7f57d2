package com.shopsense.session;

import com.shopsense.serial.FormatSerializer;
import com.shopsense.serial.FormatSnapshot;
import com.shopsense.serial.Wire;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * {@link OpenSession} inside {@link UserState}. Format 1: id, start, last, timer, max end, event count, the
 * counts by type (varints, indexed by ordinal), cart and order value, cart size, kept item ids. Format 2
 * appends the cart's item ids (format-1 sessions restore with none: a cart_abandoned action of a session open
 * across the upgrade then lists no items). Format 3 appends the priced-event count and the sum of ln(1 + price)
 * (the intent model's relative price; format-2 sessions restore with none: their next priced event reads 0).
 */
public final class OpenSessionSerializer extends FormatSerializer<OpenSession> {
    private static final long serialVersionUID = 1L;
    public static final int CURRENT_FORMAT = 3;
    public static final OpenSessionSerializer INSTANCE = new OpenSessionSerializer(CURRENT_FORMAT);

    private OpenSessionSerializer(int format) {
        super(format, false);
    }

    /** The serializer of a format this job can read, 1..{@link #CURRENT_FORMAT}. */
    static OpenSessionSerializer forFormat(int format) {
        return format == CURRENT_FORMAT ? INSTANCE : new OpenSessionSerializer(format);
    }

    @Override
    protected void write(OpenSession s, DataOutputView out) throws IOException {
        Wire.writeString(s.sessionId, out);
        out.writeLong(s.startTs);
        out.writeLong(s.lastTs);
        out.writeLong(s.timer);
        out.writeLong(s.maxEnd);
        Wire.writeVarInt(s.eventCount, out);
        int[] counts = s.countsByType;
        Wire.writeVarInt(counts == null ? 0 : counts.length + 1, out);
        if (counts != null) {
            for (int c : counts) {
                Wire.writeVarInt(c, out);
            }
        }
        out.writeDouble(s.cartValue);
        out.writeDouble(s.orderValue);
        Wire.writeVarInt(s.cartSize, out);
        Wire.writeStrings(s.items, out);
        if (format >= 2) {
            Wire.writeStrings(s.cartItems, out);
        }
        if (format >= 3) {
            Wire.writeVarInt(s.pricedEvents, out);
            out.writeDouble(s.logPriceSum);
        }
    }

    @Override
    protected OpenSession read(DataInputView in) throws IOException {
        OpenSession s = new OpenSession();
        s.sessionId = Wire.readString(in);
        s.startTs = in.readLong();
        s.lastTs = in.readLong();
        s.timer = in.readLong();
        s.maxEnd = in.readLong();
        s.eventCount = Wire.readVarInt(in);
        int n = Wire.readVarInt(in) - 1;
        if (n < 0) {
            s.countsByType = null;
        } else {
            s.countsByType = new int[n];
            for (int i = 0; i < n; i++) {
                s.countsByType[i] = Wire.readVarInt(in);
            }
        }
        s.cartValue = in.readDouble();
        s.orderValue = in.readDouble();
        s.cartSize = Wire.readVarInt(in);
        s.items = Wire.readStrings(in);
        if (format >= 2) {
            s.cartItems = Wire.readStrings(in);
        }
        if (format >= 3) {
            s.pricedEvents = Wire.readVarInt(in);
            s.logPriceSum = in.readDouble();
        }
        return s;
    }

    @Override
    public OpenSession createInstance() {
        return new OpenSession();
    }

    @Override
    public FormatSnapshot<OpenSession> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the serializer of the format a checkpoint was written in. */
    public static final class Snapshot extends FormatSnapshot<OpenSession> {
        public Snapshot() {
            super(CURRENT_FORMAT);
        }

        @Override
        protected int currentFormat() {
            return CURRENT_FORMAT;
        }

        @Override
        protected Class<OpenSession> typeClass() {
            return OpenSession.class;
        }

        @Override
        protected TypeSerializer<OpenSession> serializerFor(int format) {
            return forFormat(format);
        }
    }
}
