package com.shopsense.serial;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.java.typeutils.runtime.PojoSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;

/**
 * What a checkpoint remembers of a {@link FormatSerializer}: its wire format number. On restore the same number
 * is compatible as is; an older one is migrated (Flink reads every value with the old format's serializer and
 * writes it with the current one); a newer one (a savepoint of a later job) is refused.
 *
 * <p>State written by Flink's PojoSerializer for the same class (a savepoint of the release before these
 * serializers) is migrated too: Flink restores that PojoSerializer from its snapshot, reads every value with it
 * and writes it with this one (RocksDB rewrites the state's column family on restore). Any other serializer's
 * state (another class, Kryo, ...) is refused.
 *
 * <p>Subclasses need a public no-arg constructor (Flink instantiates them by name on restore) that passes the
 * current format.
 */
public abstract class FormatSnapshot<T> implements TypeSerializerSnapshot<T> {
    /** Version of this snapshot's own layout (one int), not of the values' format. */
    private static final int SNAPSHOT_VERSION = 1;

    private int format;

    protected FormatSnapshot(int currentFormat) {
        this.format = currentFormat;
    }

    /** The format this job writes. */
    protected abstract int currentFormat();

    /** The type the serializer writes: a PojoSerializer's state of this class can be migrated. */
    protected abstract Class<T> typeClass();

    /** A serializer reading (and writing) the given format, 1..currentFormat. */
    protected abstract TypeSerializer<T> serializerFor(int format);

    public int format() {
        return format;
    }

    @Override
    public int getCurrentVersion() {
        return SNAPSHOT_VERSION;
    }

    @Override
    public void writeSnapshot(DataOutputView out) throws IOException {
        out.writeInt(format);
    }

    @Override
    public void readSnapshot(int readVersion, DataInputView in, ClassLoader userCodeClassLoader) throws IOException {
        if (readVersion != SNAPSHOT_VERSION) {
            throw new IOException(getClass().getName() + ": unknown snapshot version " + readVersion);
        }
        format = in.readInt();
    }

    @Override
    public TypeSerializer<T> restoreSerializer() {
        if (format < 1 || format > currentFormat()) {
            throw new IllegalStateException(getClass().getName() + ": state written in format " + format
                    + ", this job reads formats 1.." + currentFormat());
        }
        return serializerFor(format);
    }

    @Override
    public TypeSerializerSchemaCompatibility<T> resolveSchemaCompatibility(TypeSerializerSnapshot<T> old) {
        if (old instanceof PojoSerializerSnapshot<T> pojo) {
            return pojoOf(pojo, typeClass()) ? TypeSerializerSchemaCompatibility.compatibleAfterMigration()
                    : TypeSerializerSchemaCompatibility.incompatible();
        }
        if (old == null || old.getClass() != getClass()) {
            return TypeSerializerSchemaCompatibility.incompatible();
        }
        int written = ((FormatSnapshot<?>) old).format;
        if (written == format) {
            return TypeSerializerSchemaCompatibility.compatibleAsIs();
        }
        return written >= 1 && written < format ? TypeSerializerSchemaCompatibility.compatibleAfterMigration()
                : TypeSerializerSchemaCompatibility.incompatible();
    }

    /**
     * Whether the PojoSerializer that snapshot restores reads values of {@code type}. The snapshot keeps its class
     * to itself (package-private), so a class's restored serializer is asked for an instance (these classes are
     * concrete with a no-arg constructor). A record's gives none (Flink 2.2's createInstance is null for records):
     * its snapshot is asked for the class name its bytes begin with (PojoSerializerSnapshotData writes it first, a
     * layout every savepoint depends on). A snapshot whose class or fields cannot be restored is not one.
     */
    static boolean pojoOf(PojoSerializerSnapshot<?> pojo, Class<?> type) {
        if (type.isRecord()) {
            return type.getName().equals(writtenClassName(pojo));
        }
        try {
            Object instance = pojo.restoreSerializer().createInstance();
            return instance != null && instance.getClass() == type;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static String writtenClassName(PojoSerializerSnapshot<?> pojo) {
        try {
            DataOutputSerializer out = new DataOutputSerializer(256);
            pojo.writeSnapshot(out);
            return new DataInputDeserializer(out.getSharedBuffer(), 0, out.length()).readUTF();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
