package com.shopsense.serial;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;

/**
 * A hand-written serializer of one type in one wire format ({@link #format}): field by field, no reflection, so
 * RocksDB gets and puts and shuffles cost what the bytes cost (Flink's PojoSerializer was ~29% of the Sessionize
 * chain's CPU). Stateless, so {@link #duplicate} shares it. A later format (a field added) is a new number: the
 * subclass reads older numbers too and {@link FormatSnapshot} migrates the state on restore.
 *
 * <p>Values are never null (Flink writes no null state value or record); nested fields handle their own nulls.
 */
public abstract class FormatSerializer<T> extends TypeSerializer<T> {
    private static final long serialVersionUID = 1L;

    protected final int format;
    private final boolean immutable;

    protected FormatSerializer(int format, boolean immutable) {
        this.format = format;
        this.immutable = immutable;
    }

    public int format() {
        return format;
    }

    /** Writes a non-null value. */
    protected abstract void write(T value, DataOutputView out) throws IOException;

    protected abstract T read(DataInputView in) throws IOException;

    @Override
    public final void serialize(T value, DataOutputView out) throws IOException {
        if (value == null) {
            throw new NullPointerException(getClass().getSimpleName() + " writes no null value");
        }
        write(value, out);
    }

    @Override
    public final T deserialize(DataInputView in) throws IOException {
        return read(in);
    }

    @Override
    public final T deserialize(T reuse, DataInputView in) throws IOException {
        return read(in);
    }

    @Override
    public final boolean isImmutableType() {
        return immutable;
    }

    @Override
    public final TypeSerializer<T> duplicate() {
        return this;
    }

    /**
     * A deep copy. Records are immutable and shared; a mutable value is copied through its bytes: exact by
     * construction, and only the heap backend and object-reuse-off chains copy (this job runs RocksDB, reuse on).
     */
    @Override
    public T copy(T from) {
        if (immutable) {
            return from;
        }
        try {
            DataOutputSerializer out = new DataOutputSerializer(256);
            write(from, out);
            return read(new DataInputDeserializer(out.getSharedBuffer(), 0, out.length()));
        } catch (IOException e) {
            throw new IllegalStateException("cannot copy " + from, e);
        }
    }

    @Override
    public final T copy(T from, T reuse) {
        return copy(from);
    }

    @Override
    public final void copy(DataInputView source, DataOutputView target) throws IOException {
        write(read(source), target);
    }

    @Override
    public final int getLength() {
        return -1;
    }

    @Override
    public final boolean equals(Object o) {
        return o != null && o.getClass() == getClass() && ((FormatSerializer<?>) o).format == format;
    }

    @Override
    public final int hashCode() {
        return getClass().getName().hashCode() * 31 + format;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(format " + format + ")";
    }
}
