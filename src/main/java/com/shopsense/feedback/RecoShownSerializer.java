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
 * {@link RecoShown}: every list crosses to the attribution task as one, where Flink's reflective POJO serializer
 * (its long array included) was the largest cost of that task's network input. Network only (the tracker keeps
 * {@link RecoShownLists}). Format 1: userId, generatedAt, modelVersion, source, itemHashes.
 */
public final class RecoShownSerializer extends FormatSerializer<RecoShown> {
    private static final long serialVersionUID = 1L;
    public static final int CURRENT_FORMAT = 1;
    public static final RecoShownSerializer INSTANCE = new RecoShownSerializer();

    /** Immutable: the hash array is never written to once the record is made, so a copy is the value itself. */
    private RecoShownSerializer() {
        super(CURRENT_FORMAT, true);
    }

    @Override
    protected void write(RecoShown r, DataOutputView out) throws IOException {
        Wire.writeString(r.userId(), out);
        out.writeLong(r.generatedAt());
        Wire.writeString(r.modelVersion(), out);
        Wire.writeString(r.source(), out);
        Wire.writeLongs(r.itemHashes(), out);
    }

    @Override
    protected RecoShown read(DataInputView in) throws IOException {
        return new RecoShown(Wire.readString(in), in.readLong(), Wire.readString(in), Wire.readString(in),
                Wire.readLongs(in));
    }

    @Override
    public RecoShown createInstance() {
        return new RecoShown("", 0L, "", "", new long[0]);
    }

    @Override
    public FormatSnapshot<RecoShown> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the serializer of the format a checkpoint was written in. */
    public static final class Snapshot extends FirstFormatSnapshot<RecoShown> {
        public Snapshot() {
            super(RecoShown.class, INSTANCE);
        }
    }

    /** Named by {@code @TypeInfo} on {@link RecoShown}. */
    public static final class Factory extends SerializerTypeInfoFactory<RecoShown> {
        public Factory() {
            super(RecoShown.class, INSTANCE);
        }
    }
}
