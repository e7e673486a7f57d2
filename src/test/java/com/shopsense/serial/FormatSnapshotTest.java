package com.shopsense.serial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshotSerializationUtil;
import org.apache.flink.api.java.typeutils.TypeExtractor;
import org.apache.flink.api.java.typeutils.runtime.PojoSerializer;
import org.apache.flink.api.java.typeutils.runtime.PojoSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;
import org.junit.jupiter.api.Test;

/** The format rule on restore: same format as is, an older one migrated, a newer one refused. */
class FormatSnapshotTest {
    /** A value type in two formats: format 2 added the second field. */
    /** Also a valid Flink POJO (public, public fields): the release before wrote it with a PojoSerializer. */
    public static final class Pair {
        public long a;
        public long b = -1;
    }

    /** Another POJO: its PojoSerializer's state is not a Pair's. */
    public static final class Other {
        public long a;
    }

    static final class PairSerializer extends FormatSerializer<Pair> {
        PairSerializer(int format) {
            super(format, false);
        }

        @Override
        protected void write(Pair p, DataOutputView out) throws IOException {
            out.writeLong(p.a);
            if (format >= 2) {
                out.writeLong(p.b);
            }
        }

        @Override
        protected Pair read(DataInputView in) throws IOException {
            Pair p = new Pair();
            p.a = in.readLong();
            if (format >= 2) {
                p.b = in.readLong();
            }
            return p;
        }

        @Override
        public Pair createInstance() {
            return new Pair();
        }

        @Override
        public TypeSerializerSnapshot<Pair> snapshotConfiguration() {
            return format == 1 ? new V1() : new V2();
        }
    }

    /** The snapshot as the job of format 1 had it. */
    public static final class V1 extends FormatSnapshot<Pair> {
        public V1() {
            super(1);
        }

        @Override
        protected int currentFormat() {
            return 1;
        }

        @Override
        protected Class<Pair> typeClass() {
            return Pair.class;
        }

        @Override
        protected TypeSerializer<Pair> serializerFor(int format) {
            return new PairSerializer(format);
        }
    }

    /** The same snapshot class after the upgrade (a test cannot have two versions of one class). */
    public static final class V2 extends FormatSnapshot<Pair> {
        public V2() {
            super(2);
        }

        @Override
        protected int currentFormat() {
            return 2;
        }

        @Override
        protected Class<Pair> typeClass() {
            return Pair.class;
        }

        @Override
        protected TypeSerializer<Pair> serializerFor(int format) {
            return new PairSerializer(format);
        }
    }

    private static V2 v2WrittenIn(int format) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(16);
        out.writeInt(format);
        V2 s = new V2();
        s.readSnapshot(1, new DataInputDeserializer(out.getCopyOfBuffer()), loader());
        return s;
    }

    private static ClassLoader loader() {
        return FormatSnapshotTest.class.getClassLoader();
    }

    @Test
    void aSnapshotWrittenAndReadBackRestoresTheSerializerOfItsFormat() throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        TypeSerializerSnapshotSerializationUtil.writeSerializerSnapshot(out, new PairSerializer(2)
                .snapshotConfiguration());
        TypeSerializerSnapshot<Pair> read = TypeSerializerSnapshotSerializationUtil.readSerializerSnapshot(
                new DataInputDeserializer(out.getCopyOfBuffer()), loader());
        assertThat(read).isInstanceOf(V2.class);
        assertThat(read.restoreSerializer()).isEqualTo(new PairSerializer(2));
    }

    @Test
    void theSameFormatIsCompatibleAsIsAnOlderOneAfterMigrationANewerOneNot() throws IOException {
        V2 current = new V2();
        assertThat(current.resolveSchemaCompatibility(v2WrittenIn(2)).isCompatibleAsIs()).isTrue();
        assertThat(current.resolveSchemaCompatibility(v2WrittenIn(1)).isCompatibleAfterMigration()).isTrue();
        assertThat(current.resolveSchemaCompatibility(v2WrittenIn(3)).isIncompatible()).isTrue();
        assertThatThrownBy(() -> v2WrittenIn(3).restoreSerializer()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("format 3");
    }

    @Test
    void stateOfTheOlderFormatIsReadByTheRestoredSerializerAndRewrittenInTheCurrentOne() throws IOException {
        Pair p = new Pair();
        p.a = 42;
        DataOutputSerializer old = new DataOutputSerializer(16);
        new PairSerializer(1).serialize(p, old);

        TypeSerializer<Pair> reader = v2WrittenIn(1).restoreSerializer(); // what Flink does on migration
        Pair migrated = reader.deserialize(new DataInputDeserializer(old.getCopyOfBuffer()));
        DataOutputSerializer now = new DataOutputSerializer(16);
        new PairSerializer(2).serialize(migrated, now);
        Pair back = new PairSerializer(2).deserialize(new DataInputDeserializer(now.getCopyOfBuffer()));
        assertThat(back.a).isEqualTo(42);
        assertThat(back.b).isEqualTo(-1);
        assertThat(old.length()).isEqualTo(8);
        assertThat(now.length()).isEqualTo(16);
    }

    @SuppressWarnings("unchecked")
    private static <T> TypeSerializer<T> pojoSerializer(Class<T> type) {
        return TypeExtractor.createTypeInfo(type).createSerializer(new SerializerConfigImpl());
    }

    /** A PojoSerializer's snapshot as a savepoint holds it: written and read back by name. */
    @SuppressWarnings("unchecked")
    private static <T> TypeSerializerSnapshot<T> writtenAndReadBack(TypeSerializerSnapshot<T> snapshot)
            throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        TypeSerializerSnapshotSerializationUtil.writeSerializerSnapshot(out, snapshot);
        return TypeSerializerSnapshotSerializationUtil.readSerializerSnapshot(
                new DataInputDeserializer(out.getCopyOfBuffer()), loader());
    }

    @Test
    void statePojoSerializedByTheReleaseBeforeIsMigratedAndAnotherClassesRefused() throws IOException {
        TypeSerializer<Pair> pojo = pojoSerializer(Pair.class);
        assertThat(pojo).isInstanceOf(PojoSerializer.class);
        TypeSerializerSnapshot<Pair> old = writtenAndReadBack(pojo.snapshotConfiguration());
        assertThat(old).isInstanceOf(PojoSerializerSnapshot.class);
        assertThat(new V2().resolveSchemaCompatibility(old).isCompatibleAfterMigration()).isTrue();

        @SuppressWarnings({"unchecked", "rawtypes"})
        TypeSerializerSnapshot<Pair> other = (TypeSerializerSnapshot) writtenAndReadBack(
                pojoSerializer(Other.class).snapshotConfiguration());
        assertThat(new V2().resolveSchemaCompatibility(other).isIncompatible()).isTrue();
    }

    /** Records are Flink POJOs too when public; the two have the same fields. */
    public record Point(int x, String label) {
    }

    public record OtherPoint(int x, String label) {
    }

    /** A record's restored PojoSerializer makes no instance: its snapshot's class name tells the type. */
    @Test
    void aRecordsPojoSnapshotIsTheRecordsAndNotAnotherRecordsOfTheSameShape() throws IOException {
        TypeSerializerSnapshot<Point> point = writtenAndReadBack(
                pojoSerializer(Point.class).snapshotConfiguration());
        assertThat(point).isInstanceOf(PojoSerializerSnapshot.class);
        assertThat(FormatSnapshot.pojoOf((PojoSerializerSnapshot<?>) point, Point.class)).isTrue();
        assertThat(FormatSnapshot.pojoOf((PojoSerializerSnapshot<?>) point, OtherPoint.class)).isFalse();
    }

    @Test
    void migrationFromThePojoSerializerReadsWithTheRestoredOneAndWritesTheCurrentFormat() throws IOException {
        Pair p = new Pair();
        p.a = 42;
        p.b = 7;
        TypeSerializer<Pair> pojo = pojoSerializer(Pair.class);
        DataOutputSerializer old = new DataOutputSerializer(32);
        pojo.serialize(p, old);

        TypeSerializer<Pair> reader = writtenAndReadBack(pojo.snapshotConfiguration()).restoreSerializer();
        Pair migrated = reader.deserialize(new DataInputDeserializer(old.getCopyOfBuffer()));
        DataOutputSerializer now = new DataOutputSerializer(16);
        new PairSerializer(2).serialize(migrated, now);
        Pair back = new PairSerializer(2).deserialize(new DataInputDeserializer(now.getCopyOfBuffer()));
        assertThat(back.a).isEqualTo(42);
        assertThat(back.b).isEqualTo(7);
    }

    @Test
    void aNullValueIsRefusedOutright() {
        assertThatThrownBy(() -> new PairSerializer(1).serialize(null, new DataOutputSerializer(8)))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void varIntsRoundTripAtTheirByteBoundariesAndForNegatives() throws IOException {
        int[] values = {0, 1, 127, 128, 16_383, 16_384, Integer.MAX_VALUE, -1, Integer.MIN_VALUE};
        DataOutputSerializer out = new DataOutputSerializer(64);
        for (int v : values) {
            Wire.writeVarInt(v, out);
        }
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        for (int v : values) {
            assertThat(Wire.readVarInt(in)).isEqualTo(v);
        }
        assertThat(in.available()).isZero();
    }
}
