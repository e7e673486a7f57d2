package com.shopsense.serial;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
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
