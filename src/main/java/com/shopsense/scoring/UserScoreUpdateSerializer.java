package com.shopsense.scoring;

import com.shopsense.serial.FirstFormatSnapshot;
import com.shopsense.serial.FormatSerializer;
import com.shopsense.serial.FormatSnapshot;
import com.shopsense.serial.SerializerTypeInfoFactory;
import com.shopsense.serial.Wire;
import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * {@link UserScoreUpdate}: the segment, churn and fraud updates cross from their keyed tasks to the score-hash
 * sink, where the reflective POJO serializer (two string arrays) was most of that writer's deserialization.
 * Network only. Format 1: userId, fields, values, updatedAt, inOrder.
 */
public final class UserScoreUpdateSerializer extends FormatSerializer<UserScoreUpdate> {
    private static final long serialVersionUID = 1L;
    public static final int CURRENT_FORMAT = 1;
    public static final UserScoreUpdateSerializer INSTANCE = new UserScoreUpdateSerializer();

    /** Immutable: an update's arrays are never written to once it is made, so a copy is the value itself. */
    private UserScoreUpdateSerializer() {
        super(CURRENT_FORMAT, true);
    }

    @Override
    protected void write(UserScoreUpdate u, DataOutputView out) throws IOException {
        Wire.writeString(u.userId(), out);
        Wire.writeStrings(u.fields(), out);
        Wire.writeStrings(u.values(), out);
        out.writeLong(u.updatedAt());
        out.writeBoolean(u.inOrder());
    }

    @Override
    protected UserScoreUpdate read(DataInputView in) throws IOException {
        return new UserScoreUpdate(Wire.readString(in), Wire.readStrings(in), Wire.readStrings(in), in.readLong(),
                in.readBoolean());
    }

    @Override
    public UserScoreUpdate createInstance() {
        return new UserScoreUpdate("", new String[0], new String[0], 0L, false);
    }

    @Override
    public FormatSnapshot<UserScoreUpdate> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the serializer of the format a checkpoint was written in. */
    public static final class Snapshot extends FirstFormatSnapshot<UserScoreUpdate> {
        public Snapshot() {
            super(UserScoreUpdate.class, INSTANCE);
        }
    }

    /** Named by {@code @TypeInfo} on {@link UserScoreUpdate}. */
    public static final class Factory extends SerializerTypeInfoFactory<UserScoreUpdate> {
        public Factory() {
            super(UserScoreUpdate.class, INSTANCE);
        }
    }
}
