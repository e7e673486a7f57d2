package com.shopsense.serial;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshotSerializationUtil;
import org.apache.flink.api.java.typeutils.runtime.PojoSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.testutils.DeeplyEqualsChecker;
import org.assertj.core.api.recursive.comparison.RecursiveComparisonConfiguration;
import org.junit.jupiter.api.Test;

/**
 * Flink's own serializer contract ({@link SerializerTestBase}: round trips one by one and in sequence, with and
 * without reuse, copy, duplicate, snapshot write/read and reconfigure, serializability, concurrency) for a
 * {@link FormatSerializer}, comparing values field by field (the state classes have identity equals).
 */
public abstract class FormatSerializerContract<T> extends SerializerTestBase<T> {

    /** Flink's concurrent checks (duplicate) compare with a DeeplyEqualsChecker: ours compares as deepEquals does. */
    protected FormatSerializerContract() {
        this(new AtomicReference<>());
    }

    @SuppressWarnings("unchecked")
    private FormatSerializerContract(AtomicReference<FormatSerializerContract<?>> self) {
        super(new DeeplyEqualsChecker().withCustomCheck(
                (a, b) -> a != null && a.getClass().getName().startsWith("com.shopsense."),
                (a, b, checker) -> ((FormatSerializerContract<Object>) self.get()).matches(a, b)));
        self.set(this);
    }

    private boolean matches(T should, T is) {
        try {
            deepEquals("", should, is);
            return true;
        } catch (AssertionError e) {
            return false;
        }
    }

    @Override
    protected int getLength() {
        return -1;
    }

    /** How two values are compared; subclasses add comparators for fields with unread slack. */
    protected RecursiveComparisonConfiguration comparison() {
        RecursiveComparisonConfiguration c = new RecursiveComparisonConfiguration();
        c.strictTypeChecking(true);
        // exact: AssertJ's defaults allow 1e-15 / 1e-6 and call NaN unequal to NaN
        c.registerComparatorForType(Double::compare, Double.class);
        c.registerComparatorForType(Float::compare, Float.class);
        return c;
    }

    /**
     * The value as a checkpoint written in an older format restores it: written by {@code older}, read back by the
     * serializer {@code current}'s snapshot restores for that format (what Flink's migration reads with).
     */
    protected static <V> V restoredFromFormat(FormatSerializer<V> older, FormatSnapshot<V> current, V value)
            throws java.io.IOException {
        org.apache.flink.core.memory.DataOutputSerializer bytes = new org.apache.flink.core.memory.DataOutputSerializer(256);
        older.serialize(value, bytes);
        org.apache.flink.core.memory.DataOutputSerializer snap = new org.apache.flink.core.memory.DataOutputSerializer(8);
        snap.writeInt(older.format());
        current.readSnapshot(current.getCurrentVersion(),
                new org.apache.flink.core.memory.DataInputDeserializer(snap.getCopyOfBuffer()),
                FormatSerializerContract.class.getClassLoader());
        return current.restoreSerializer()
                .deserialize(new org.apache.flink.core.memory.DataInputDeserializer(bytes.getCopyOfBuffer()));
    }

    /**
     * The value as state the release before wrote restores: written by the reflective serializer Flink built for
     * the type before its {@code @TypeInfo} factory, whose snapshot (written and read back by name, as a checkpoint
     * holds it) this serializer's snapshot must take after migration, and read back by the serializer that snapshot
     * restores (what Flink's migration reads with).
     */
    protected T migratedFromPojo(T value) throws java.io.IOException {
        TypeSerializer<T> pojo = pojoSerializer(getTypeClass());
        assertThat(pojo).isInstanceOf(PojoSerializer.class);
        DataOutputSerializer snapshot = new DataOutputSerializer(256);
        TypeSerializerSnapshotSerializationUtil.writeSerializerSnapshot(snapshot, pojo.snapshotConfiguration());
        TypeSerializerSnapshot<T> old = TypeSerializerSnapshotSerializationUtil.readSerializerSnapshot(
                new DataInputDeserializer(snapshot.getCopyOfBuffer()), getClass().getClassLoader());
        assertThat(getSerializer().snapshotConfiguration().resolveSchemaCompatibility(old)
                .isCompatibleAfterMigration()).isTrue();
        DataOutputSerializer bytes = new DataOutputSerializer(256);
        pojo.serialize(value, bytes);
        return old.restoreSerializer().deserialize(new DataInputDeserializer(bytes.getCopyOfBuffer()));
    }

    /** A PojoSerializer over the type's fields (TypeInformation.of would find the type's factory). */
    private static <V> TypeSerializer<V> pojoSerializer(Class<V> type) {
        Map<String, TypeInformation<?>> fields = new LinkedHashMap<>();
        for (Field f : type.getDeclaredFields()) {
            if (!Modifier.isStatic(f.getModifiers())) {
                fields.put(f.getName(), TypeInformation.of(f.getType()));
            }
        }
        return Types.POJO(type, fields).createSerializer(new SerializerConfigImpl());
    }

    @Override
    protected void deepEquals(String message, T should, T is) {
        assertThat(is).as(message).usingRecursiveComparison(comparison()).isEqualTo(should);
    }

    @Test
    void itsSnapshotIsCompatibleAsIsWithItselfAndNotWithAnotherTypesSnapshot() {
        TypeSerializerSnapshot<T> snapshot = getSerializer().snapshotConfiguration();
        assertThat(snapshot.resolveSchemaCompatibility(getSerializer().snapshotConfiguration()).isCompatibleAsIs())
                .isTrue();
        @SuppressWarnings({"unchecked", "rawtypes"})
        TypeSerializerSnapshot<T> other = (TypeSerializerSnapshot) new org.apache.flink.api.common.typeutils.base
                .StringSerializer.StringSerializerSnapshot();
        TypeSerializerSchemaCompatibility<T> vsOther = snapshot.resolveSchemaCompatibility(other);
        assertThat(vsOther.isIncompatible()).isTrue();
        assertThat(snapshot.restoreSerializer()).isEqualTo(getSerializer());
    }
}
