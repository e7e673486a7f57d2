package com.shopsense.session;

import com.shopsense.serial.FirstFormatSnapshot;
import com.shopsense.serial.FormatSerializer;
import com.shopsense.serial.FormatSnapshot;
import com.shopsense.serial.SerializerTypeInfoFactory;
import com.shopsense.serial.Wire;
import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * {@link ChurnRequest}: the churn call's Async I/O operator copies every request it takes (this one returns the
 * record itself) and checkpoints the requests in flight; that state of the release before (PojoSerializer) is
 * migrated on restore ({@link FormatSnapshot}). {@link PurchaseSummary} is written inline (a presence byte and its
 * fields): {@code ChurnScore}, which nests it, keeps its POJO serializer. Format 1: userId, sessionId, sessionEndTs,
 * periods, purchases (present, orderSessions, spend, lastOrderTs).
 */
public final class ChurnRequestSerializer extends FormatSerializer<ChurnRequest> {
    private static final long serialVersionUID = 1L;
    public static final int CURRENT_FORMAT = 1;
    public static final ChurnRequestSerializer INSTANCE = new ChurnRequestSerializer();

    /** Immutable: the periods are the encoder's fresh array, never written to after the request is made. */
    private ChurnRequestSerializer() {
        super(CURRENT_FORMAT, true);
    }

    @Override
    protected void write(ChurnRequest r, DataOutputView out) throws IOException {
        Wire.writeString(r.userId(), out);
        Wire.writeString(r.sessionId(), out);
        out.writeLong(r.sessionEndTs());
        Wire.writeFloats(r.periods(), out);
        PurchaseSummary p = r.purchases();
        out.writeBoolean(p != null);
        if (p != null) {
            out.writeInt(p.orderSessions());
            out.writeDouble(p.spend());
            out.writeLong(p.lastOrderTs());
        }
    }

    @Override
    protected ChurnRequest read(DataInputView in) throws IOException {
        String user = Wire.readString(in);
        String session = Wire.readString(in);
        long end = in.readLong();
        float[] periods = Wire.readFloats(in);
        PurchaseSummary p = in.readBoolean() ? new PurchaseSummary(in.readInt(), in.readDouble(), in.readLong()) : null;
        return new ChurnRequest(user, session, end, periods, p);
    }

    @Override
    public ChurnRequest createInstance() {
        return new ChurnRequest("", "", 0L, null, PurchaseSummary.NONE);
    }

    @Override
    public FormatSnapshot<ChurnRequest> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the serializer of the format a checkpoint was written in. */
    public static final class Snapshot extends FirstFormatSnapshot<ChurnRequest> {
        public Snapshot() {
            super(ChurnRequest.class, INSTANCE);
        }
    }

    /** Named by {@code @TypeInfo} on {@link ChurnRequest}. */
    public static final class Factory extends SerializerTypeInfoFactory<ChurnRequest> {
        public Factory() {
            super(ChurnRequest.class, INSTANCE);
        }
    }
}
