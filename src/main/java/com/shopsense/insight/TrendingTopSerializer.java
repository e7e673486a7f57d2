package com.shopsense.insight;

import com.shopsense.serial.FormatSerializer;
import com.shopsense.serial.FormatSnapshot;
import com.shopsense.serial.SerializerTypeInfo;
import com.shopsense.serial.Wire;
import java.io.IOException;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * {@link TrendingTop}: the shuffle record to the scope task and its keyed value until the window is written.
 * Format 1: scope, window end, total, capacity, the listed items and scores (only the first {@code size}).
 */
public final class TrendingTopSerializer extends FormatSerializer<TrendingTop> {
    private static final long serialVersionUID = 1L;
    public static final int CURRENT_FORMAT = 1;
    public static final TrendingTopSerializer INSTANCE = new TrendingTopSerializer();

    private TrendingTopSerializer() {
        super(CURRENT_FORMAT, false);
    }

    @Override
    protected void write(TrendingTop t, DataOutputView out) throws IOException {
        Wire.writeString(t.scope, out);
        out.writeLong(t.windowEnd);
        out.writeDouble(t.total);
        Wire.writeVarInt(t.items.length, out);
        Wire.writeStrings(Arrays.copyOf(t.items, t.size), out);
        Wire.writeDoubles(Arrays.copyOf(t.scores, t.size), out);
    }

    @Override
    protected TrendingTop read(DataInputView in) throws IOException {
        String scope = Wire.readString(in);
        long windowEnd = in.readLong();
        double total = in.readDouble();
        TrendingTop t = TrendingTop.empty(scope, windowEnd, Wire.readVarInt(in));
        t.total = total;
        String[] items = Wire.readStrings(in);
        double[] scores = Wire.readDoubles(in);
        System.arraycopy(items, 0, t.items, 0, items.length);
        System.arraycopy(scores, 0, t.scores, 0, scores.length);
        t.size = items.length;
        return t;
    }

    @Override
    public TrendingTop createInstance() {
        return TrendingTop.empty("", 0, 0);
    }

    @Override
    public FormatSnapshot<TrendingTop> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the serializer of the format a checkpoint was written in. */
    public static final class Snapshot extends FormatSnapshot<TrendingTop> {
        public Snapshot() {
            super(CURRENT_FORMAT);
        }

        @Override
        protected int currentFormat() {
            return CURRENT_FORMAT;
        }

        @Override
        protected Class<TrendingTop> typeClass() {
            return TrendingTop.class;
        }

        @Override
        protected TypeSerializer<TrendingTop> serializerFor(int format) {
            return INSTANCE;
        }
    }

    /** Named by {@code @TypeInfo} on {@link TrendingTop}. */
    public static final class Factory extends TypeInfoFactory<TrendingTop> {
        @Override
        public TypeInformation<TrendingTop> createTypeInfo(Type t, Map<String, TypeInformation<?>> generics) {
            return new SerializerTypeInfo<>(TrendingTop.class, INSTANCE);
        }
    }
}
