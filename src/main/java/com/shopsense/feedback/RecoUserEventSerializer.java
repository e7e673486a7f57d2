package com.shopsense.feedback;

import com.shopsense.serial.FirstFormatSnapshot;
import com.shopsense.serial.FormatSerializer;
import com.shopsense.serial.FormatSnapshot;
import com.shopsense.serial.SerializerTypeInfoFactory;
import com.shopsense.serial.Wire;
import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * {@link RecoUserEvent}: orders, reco_clicks and the item events a live list can be evaluated on cross to the
 * attribution task as one, so the reflective POJO serializer's per-field cost was paid per such event on both sides
 * of that shuffle. Network only (the tracker
 * keeps {@link RecoPendingAction}s). Format 1: userId, ts, kind, itemHash.
 */
public final class RecoUserEventSerializer extends FormatSerializer<RecoUserEvent> {
    private static final long serialVersionUID = 1L;
    public static final int CURRENT_FORMAT = 1;
    public static final RecoUserEventSerializer INSTANCE = new RecoUserEventSerializer();

    private RecoUserEventSerializer() {
        super(CURRENT_FORMAT, true);
    }

    @Override
    protected void write(RecoUserEvent e, DataOutputView out) throws IOException {
        Wire.writeString(e.userId(), out);
        out.writeLong(e.ts());
        out.writeByte(e.kind());
        out.writeLong(e.itemHash());
    }

    @Override
    protected RecoUserEvent read(DataInputView in) throws IOException {
        return new RecoUserEvent(Wire.readString(in), in.readLong(), in.readByte(), in.readLong());
    }

    @Override
    public RecoUserEvent createInstance() {
        return new RecoUserEvent("", 0L, (byte) 0, 0L);
    }

    @Override
    public FormatSnapshot<RecoUserEvent> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the serializer of the format a checkpoint was written in. */
    public static final class Snapshot extends FirstFormatSnapshot<RecoUserEvent> {
        public Snapshot() {
            super(RecoUserEvent.class, INSTANCE);
        }
    }

    /** Named by {@code @TypeInfo} on {@link RecoUserEvent}. */
    public static final class Factory extends SerializerTypeInfoFactory<RecoUserEvent> {
        public Factory() {
            super(RecoUserEvent.class, INSTANCE);
        }
    }
}
