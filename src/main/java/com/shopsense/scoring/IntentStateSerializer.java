package com.shopsense.scoring;

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
 * {@link IntentState}, the intent stage's keyed value (read and written on every event). Format 1: session id,
 * hidden state (float array, nullable), the last written probability (presence byte + float) and its model
 * version, the newest event time. Format 2 appends the session's latest probability (float, NaN for none) and
 * whether its high_intent action was sent (format-1 state restores with neither: a session open across the upgrade
 * may send its high_intent action once more). Format 3 drops the newest event time (the session events carry
 * the user's, {@code SessionEvent.userNewestTs}); formats 1 and 2 restore with it skipped.
 *
 * <p>To add a field: append it to {@link #write}, read it in {@link #read} only when {@code format >= 4}, set
 * {@link #CURRENT_FORMAT} to 4. State written in an older format is then migrated on restore (read by that
 * format's serializer, the new field at its default, written in the current format).
 */
public final class IntentStateSerializer extends FormatSerializer<IntentState> {
    private static final long serialVersionUID = 1L;
    public static final int CURRENT_FORMAT = 3;
    public static final IntentStateSerializer INSTANCE = new IntentStateSerializer(CURRENT_FORMAT);

    private IntentStateSerializer(int format) {
        super(format, false);
    }

    /** The serializer of a format this job can read, 1..{@link #CURRENT_FORMAT}. */
    static IntentStateSerializer forFormat(int format) {
        return format == CURRENT_FORMAT ? INSTANCE : new IntentStateSerializer(format);
    }

    @Override
    protected void write(IntentState s, DataOutputView out) throws IOException {
        Wire.writeString(s.sessionId, out);
        Wire.writeFloats(s.hidden, out);
        out.writeBoolean(s.writtenProbability != null);
        if (s.writtenProbability != null) {
            out.writeFloat(s.writtenProbability);
        }
        Wire.writeString(s.writtenModel, out);
        if (format <= 2) {
            out.writeLong(Long.MIN_VALUE); // the newest event time, read by no one since format 3
        }
        if (format >= 2) {
            out.writeFloat(s.latestProbability);
            out.writeBoolean(s.highIntentSent);
        }
    }

    @Override
    protected IntentState read(DataInputView in) throws IOException {
        IntentState s = new IntentState();
        s.sessionId = Wire.readString(in);
        s.hidden = Wire.readFloats(in);
        s.writtenProbability = in.readBoolean() ? in.readFloat() : null;
        s.writtenModel = Wire.readString(in);
        if (format <= 2) {
            in.readLong();
        }
        if (format >= 2) {
            s.latestProbability = in.readFloat();
            s.highIntentSent = in.readBoolean();
        }
        return s;
    }

    @Override
    public IntentState createInstance() {
        return new IntentState();
    }

    @Override
    public FormatSnapshot<IntentState> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the serializer of the format a checkpoint was written in. */
    public static final class Snapshot extends FormatSnapshot<IntentState> {
        public Snapshot() {
            super(CURRENT_FORMAT);
        }

        @Override
        protected int currentFormat() {
            return CURRENT_FORMAT;
        }

        @Override
        protected Class<IntentState> typeClass() {
            return IntentState.class;
        }

        @Override
        protected TypeSerializer<IntentState> serializerFor(int format) {
            return forFormat(format);
        }
    }

    /** Named by {@code @TypeInfo} on {@link IntentState}. */
    public static final class Factory extends TypeInfoFactory<IntentState> {
        @Override
        public TypeInformation<IntentState> createTypeInfo(Type t, Map<String, TypeInformation<?>> generics) {
            return new SerializerTypeInfo<>(IntentState.class, INSTANCE);
        }
    }
}
