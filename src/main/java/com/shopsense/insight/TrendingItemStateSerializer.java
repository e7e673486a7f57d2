package com.shopsense.insight;

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
 * {@link TrendingItemState}, the trending item task's keyed value (read and written per item and pane). Format 1:
 * category (nullable), its time, pane ends, weights, events.
 */
public final class TrendingItemStateSerializer extends FormatSerializer<TrendingItemState> {
    private static final long serialVersionUID = 1L;
    public static final int CURRENT_FORMAT = 1;
    public static final TrendingItemStateSerializer INSTANCE = new TrendingItemStateSerializer();

    private TrendingItemStateSerializer() {
        super(CURRENT_FORMAT, false);
    }

    @Override
    protected void write(TrendingItemState s, DataOutputView out) throws IOException {
        Wire.writeString(s.category, out);
        out.writeLong(s.categoryTs);
        Wire.writeLongs(s.paneEnds, out);
        Wire.writeLongs(s.weights, out);
        Wire.writeLongs(s.events, out);
    }

    @Override
    protected TrendingItemState read(DataInputView in) throws IOException {
        TrendingItemState s = new TrendingItemState();
        s.category = Wire.readString(in);
        s.categoryTs = in.readLong();
        s.paneEnds = Wire.readLongs(in);
        s.weights = Wire.readLongs(in);
        s.events = Wire.readLongs(in);
        return s;
    }

    @Override
    public TrendingItemState createInstance() {
        return new TrendingItemState();
    }

    @Override
    public FormatSnapshot<TrendingItemState> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the serializer of the format a checkpoint was written in. */
    public static final class Snapshot extends FormatSnapshot<TrendingItemState> {
        public Snapshot() {
            super(CURRENT_FORMAT);
        }

        @Override
        protected int currentFormat() {
            return CURRENT_FORMAT;
        }

        @Override
        protected Class<TrendingItemState> typeClass() {
            return TrendingItemState.class;
        }

        @Override
        protected TypeSerializer<TrendingItemState> serializerFor(int format) {
            return INSTANCE;
        }
    }

    /** Named by {@code @TypeInfo} on {@link TrendingItemState}. */
    public static final class Factory extends TypeInfoFactory<TrendingItemState> {
        @Override
        public TypeInformation<TrendingItemState> createTypeInfo(Type t, Map<String, TypeInformation<?>> generics) {
            return new SerializerTypeInfo<>(TrendingItemState.class, INSTANCE);
        }
    }
}
