package com.shopsense.insight;

import com.shopsense.serial.FormatSerializer;
import com.shopsense.serial.FormatSnapshot;
import com.shopsense.serial.SerializerTypeInfo;
import com.shopsense.serial.Wire;
import java.io.IOException;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * {@link ReviewSurgeState}, the surge task's keyed value (per product, read and written per scored review).
 * Format 1: ring length, its flags, size, next, recent negatives, long-run reviews and negatives, armed.
 */
public final class ReviewSurgeStateSerializer extends FormatSerializer<ReviewSurgeState> {
    private static final long serialVersionUID = 1L;
    public static final int CURRENT_FORMAT = 1;
    public static final ReviewSurgeStateSerializer INSTANCE = new ReviewSurgeStateSerializer();

    private ReviewSurgeStateSerializer() {
        super(CURRENT_FORMAT, false);
    }

    @Override
    protected void write(ReviewSurgeState s, DataOutputView out) throws IOException {
        Wire.writeVarInt(s.ring.length, out);
        out.write(s.ring);
        Wire.writeVarInt(s.size, out);
        Wire.writeVarInt(s.next, out);
        Wire.writeVarInt(s.recentNegatives, out);
        out.writeLong(s.longRun);
        out.writeLong(s.longRunNegatives);
        out.writeBoolean(s.armed);
    }

    @Override
    protected ReviewSurgeState read(DataInputView in) throws IOException {
        ReviewSurgeState s = new ReviewSurgeState();
        s.ring = new byte[Wire.readVarInt(in)];
        in.readFully(s.ring);
        s.size = Wire.readVarInt(in);
        s.next = Wire.readVarInt(in);
        s.recentNegatives = Wire.readVarInt(in);
        s.longRun = in.readLong();
        s.longRunNegatives = in.readLong();
        s.armed = in.readBoolean();
        return s;
    }

    @Override
    public ReviewSurgeState createInstance() {
        return new ReviewSurgeState();
    }

    @Override
    public FormatSnapshot<ReviewSurgeState> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the serializer of the format a checkpoint was written in. */
    public static final class Snapshot extends FormatSnapshot<ReviewSurgeState> {
        public Snapshot() {
            super(CURRENT_FORMAT);
        }

        @Override
        protected int currentFormat() {
            return CURRENT_FORMAT;
        }

        @Override
        protected Class<ReviewSurgeState> typeClass() {
            return ReviewSurgeState.class;
        }

        @Override
        protected TypeSerializer<ReviewSurgeState> serializerFor(int format) {
            return INSTANCE;
        }
    }

    /** Named by {@code @TypeInfo} on {@link ReviewSurgeState}. */
    public static final class Factory extends TypeInfoFactory<ReviewSurgeState> {
        @Override
        public TypeInformation<ReviewSurgeState> createTypeInfo(Type t, Map<String, TypeInformation<?>> generics) {
            return new SerializerTypeInfo<>(ReviewSurgeState.class, INSTANCE);
        }
    }
}
