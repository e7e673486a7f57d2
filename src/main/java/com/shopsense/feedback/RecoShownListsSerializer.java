package com.shopsense.feedback;

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
 * {@link RecoShownLists}, the attribution's keyed value (read and written on every list and evaluation). Format 1:
 * generatedAt (longs), model versions and sources (strings), item ends (varints), the item keys as 4-byte ints
 * ({@link RecoShownLists#itemHashes} holds 32-bit values), the expiry timer, evaluatedThrough. The state the
 * release before wrote with Flink's PojoSerializer (64-bit hashes, 8 bytes each) migrates on restore: its hashes
 * keep their low 32 bits, which is what lists and events are matched on.
 */
public final class RecoShownListsSerializer extends FormatSerializer<RecoShownLists> {
    private static final long serialVersionUID = 1L;
    public static final int CURRENT_FORMAT = 1;
    public static final RecoShownListsSerializer INSTANCE = new RecoShownListsSerializer(CURRENT_FORMAT);

    private RecoShownListsSerializer(int format) {
        super(format, false);
    }

    @Override
    protected void write(RecoShownLists l, DataOutputView out) throws IOException {
        Wire.writeLongs(l.generatedAt, out);
        Wire.writeStrings(l.modelVersion, out);
        Wire.writeStrings(l.source, out);
        int[] ends = l.itemEnd;
        Wire.writeVarInt(ends == null ? 0 : ends.length + 1, out);
        if (ends != null) {
            for (int e : ends) {
                Wire.writeVarInt(e, out);
            }
        }
        long[] h = l.itemHashes;
        Wire.writeVarInt(h == null ? 0 : h.length + 1, out);
        if (h != null) {
            for (long v : h) {
                out.writeInt((int) v);
            }
        }
        out.writeLong(l.expiryTimer);
        out.writeLong(l.evaluatedThrough);
    }

    @Override
    protected RecoShownLists read(DataInputView in) throws IOException {
        RecoShownLists l = new RecoShownLists();
        l.generatedAt = Wire.readLongs(in);
        l.modelVersion = Wire.readStrings(in);
        l.source = Wire.readStrings(in);
        int n = Wire.readVarInt(in) - 1;
        if (n < 0) {
            l.itemEnd = null;
        } else {
            l.itemEnd = new int[n];
            for (int i = 0; i < n; i++) {
                l.itemEnd[i] = Wire.readVarInt(in);
            }
        }
        int m = Wire.readVarInt(in) - 1;
        if (m < 0) {
            l.itemHashes = null;
        } else {
            l.itemHashes = new long[m];
            for (int i = 0; i < m; i++) {
                l.itemHashes[i] = in.readInt() & RecoShownLists.KEY_MASK;
            }
        }
        l.expiryTimer = in.readLong();
        l.evaluatedThrough = in.readLong();
        return l;
    }

    @Override
    public RecoShownLists createInstance() {
        return new RecoShownLists();
    }

    @Override
    public FormatSnapshot<RecoShownLists> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the serializer of the format a checkpoint was written in (and migrates the POJO state before). */
    public static final class Snapshot extends FormatSnapshot<RecoShownLists> {
        public Snapshot() {
            super(CURRENT_FORMAT);
        }

        @Override
        protected int currentFormat() {
            return CURRENT_FORMAT;
        }

        @Override
        protected Class<RecoShownLists> typeClass() {
            return RecoShownLists.class;
        }

        @Override
        protected TypeSerializer<RecoShownLists> serializerFor(int format) {
            return INSTANCE;
        }
    }

    /** Named by {@code @TypeInfo} on {@link RecoShownLists}. */
    public static final class Factory extends TypeInfoFactory<RecoShownLists> {
        @Override
        public TypeInformation<RecoShownLists> createTypeInfo(Type t, Map<String, TypeInformation<?>> generics) {
            return new SerializerTypeInfo<>(RecoShownLists.class, INSTANCE);
        }
    }
}
