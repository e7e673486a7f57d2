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
 * {@link SegmentState}, the segment tracker's keyed value. Format 1: segment (nullable), order sessions, spend,
 * last order, churn score, last session end, evaluation time, timer. Format 2 appends the churn score's model
 * version (nullable; format-1 state restores with none, and an entered_at_risk action from it names no version).
 */
public final class SegmentStateSerializer extends FormatSerializer<SegmentState> {
    private static final long serialVersionUID = 1L;
    public static final int CURRENT_FORMAT = 2;
    public static final SegmentStateSerializer INSTANCE = new SegmentStateSerializer(CURRENT_FORMAT);

    private SegmentStateSerializer(int format) {
        super(format, false);
    }

    /** The serializer of a format this job can read, 1..{@link #CURRENT_FORMAT}. */
    static SegmentStateSerializer forFormat(int format) {
        return format == CURRENT_FORMAT ? INSTANCE : new SegmentStateSerializer(format);
    }

    @Override
    protected void write(SegmentState s, DataOutputView out) throws IOException {
        Wire.writeString(s.segment, out);
        Wire.writeVarInt(s.orderSessions, out);
        out.writeDouble(s.spend);
        out.writeLong(s.lastOrderTs);
        out.writeFloat(s.churnScore);
        out.writeLong(s.lastSessionEnd);
        out.writeLong(s.evaluatedAt);
        out.writeLong(s.timer);
        if (format >= 2) {
            Wire.writeString(s.churnModel, out);
        }
    }

    @Override
    protected SegmentState read(DataInputView in) throws IOException {
        SegmentState s = new SegmentState();
        s.segment = Wire.readString(in);
        s.orderSessions = Wire.readVarInt(in);
        s.spend = in.readDouble();
        s.lastOrderTs = in.readLong();
        s.churnScore = in.readFloat();
        s.lastSessionEnd = in.readLong();
        s.evaluatedAt = in.readLong();
        s.timer = in.readLong();
        if (format >= 2) {
            s.churnModel = Wire.readString(in);
        }
        return s;
    }

    @Override
    public SegmentState createInstance() {
        return new SegmentState();
    }

    @Override
    public FormatSnapshot<SegmentState> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the serializer of the format a checkpoint was written in. */
    public static final class Snapshot extends FormatSnapshot<SegmentState> {
        public Snapshot() {
            super(CURRENT_FORMAT);
        }

        @Override
        protected int currentFormat() {
            return CURRENT_FORMAT;
        }

        @Override
        protected Class<SegmentState> typeClass() {
            return SegmentState.class;
        }

        @Override
        protected TypeSerializer<SegmentState> serializerFor(int format) {
            return forFormat(format);
        }
    }

    /** Named by {@code @TypeInfo} on {@link SegmentState}. */
    public static final class Factory extends TypeInfoFactory<SegmentState> {
        @Override
        public TypeInformation<SegmentState> createTypeInfo(Type t, Map<String, TypeInformation<?>> generics) {
            return new SerializerTypeInfo<>(SegmentState.class, INSTANCE);
        }
    }
}
