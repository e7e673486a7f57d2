package com.shopsense.session;

import com.shopsense.serial.FormatSerializer;
import com.shopsense.serial.FormatSnapshot;
import com.shopsense.serial.SerializerTypeInfo;
import java.io.IOException;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The sessionizer's keyed state value, read and written on every event. Format 1: a presence byte, the last
 * refresh time, then the profile ({@link UserProfileSerializer}) and the open session
 * ({@link OpenSessionSerializer}) that are there. Format 2: the same with the open session in its format 2
 * (the cart's item ids). Format 3: the open session in its format 3 (priced events for the intent features).
 *
 * <p>This format covers the nested ones: when any of them gets a new format, this one gets a new number too and
 * {@link Snapshot#serializerFor} maps each number to the nested formats it was written with.
 */
public final class UserStateSerializer extends FormatSerializer<UserState> {
    private static final long serialVersionUID = 1L;
    public static final int CURRENT_FORMAT = 3;
    public static final UserStateSerializer INSTANCE = new UserStateSerializer(CURRENT_FORMAT);
    private static final int PROFILE = 1;
    private static final int SESSION = 2;

    private final OpenSessionSerializer session;

    private UserStateSerializer(int format) {
        super(format, false);
        // format n nests the open session's format n (1, 2, 3)
        session = OpenSessionSerializer.forFormat(format);
    }

    /** The serializer of a format this job can read, 1..{@link #CURRENT_FORMAT}. */
    static UserStateSerializer forFormat(int format) {
        return format == CURRENT_FORMAT ? INSTANCE : new UserStateSerializer(format);
    }

    @Override
    protected void write(UserState u, DataOutputView out) throws IOException {
        out.writeByte((u.profile != null ? PROFILE : 0) | (u.session != null ? SESSION : 0));
        out.writeLong(u.lastRecoTs);
        if (u.profile != null) {
            UserProfileSerializer.INSTANCE.serialize(u.profile, out);
        }
        if (u.session != null) {
            session.serialize(u.session, out);
        }
    }

    @Override
    protected UserState read(DataInputView in) throws IOException {
        UserState u = new UserState();
        int present = in.readUnsignedByte();
        u.lastRecoTs = in.readLong();
        u.profile = (present & PROFILE) != 0 ? UserProfileSerializer.INSTANCE.deserialize(in) : null;
        u.session = (present & SESSION) != 0 ? session.deserialize(in) : null;
        return u;
    }

    @Override
    public UserState createInstance() {
        return new UserState();
    }

    @Override
    public FormatSnapshot<UserState> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the serializer of the format a checkpoint was written in. */
    public static final class Snapshot extends FormatSnapshot<UserState> {
        public Snapshot() {
            super(CURRENT_FORMAT);
        }

        @Override
        protected int currentFormat() {
            return CURRENT_FORMAT;
        }

        @Override
        protected Class<UserState> typeClass() {
            return UserState.class;
        }

        @Override
        protected TypeSerializer<UserState> serializerFor(int format) {
            return forFormat(format);
        }
    }

    /** Named by {@code @TypeInfo} on {@link UserState}. */
    public static final class Factory extends TypeInfoFactory<UserState> {
        @Override
        public TypeInformation<UserState> createTypeInfo(Type t, Map<String, TypeInformation<?>> generics) {
            return new SerializerTypeInfo<>(UserState.class, INSTANCE);
        }
    }
}
