package com.shopsense.insight;

import com.shopsense.serial.FirstFormatSnapshot;
import com.shopsense.serial.FormatSerializer;
import com.shopsense.serial.FormatSnapshot;
import com.shopsense.serial.SerializerTypeInfoFactory;
import com.shopsense.serial.Wire;
import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * {@link TrendingList}: every list is broadcast to each recommender fallback task and kept there in broadcast
 * state ({@link TrendingFallback#LISTS}), which every checkpoint copies and writes whole: with the reflective POJO
 * serializer (its string and double arrays) that snapshot was most of the checkpoint thread's samples. The
 * broadcast state of the release before (PojoSerializer) is migrated on restore ({@link FormatSnapshot}; operator
 * state is read whole at restore, so Flink reads it with the old serializer and writes with this one). Format 1:
 * scope, categoryId, windowEnd, itemIds, scores, total.
 */
public final class TrendingListSerializer extends FormatSerializer<TrendingList> {
    private static final long serialVersionUID = 1L;
    public static final int CURRENT_FORMAT = 1;
    public static final TrendingListSerializer INSTANCE = new TrendingListSerializer();

    /** Immutable: a list's arrays are never written to once it is made, so a copy is the value itself. */
    private TrendingListSerializer() {
        super(CURRENT_FORMAT, true);
    }

    @Override
    protected void write(TrendingList t, DataOutputView out) throws IOException {
        Wire.writeString(t.scope(), out);
        Wire.writeString(t.categoryId(), out);
        out.writeLong(t.windowEnd());
        Wire.writeStrings(t.itemIds(), out);
        Wire.writeDoubles(t.scores(), out);
        out.writeDouble(t.total());
    }

    @Override
    protected TrendingList read(DataInputView in) throws IOException {
        return new TrendingList(Wire.readString(in), Wire.readString(in), in.readLong(), Wire.readStrings(in),
                Wire.readDoubles(in), in.readDouble());
    }

    @Override
    public TrendingList createInstance() {
        return TrendingList.empty(TrendingSpec.SHOP, 0L);
    }

    @Override
    public FormatSnapshot<TrendingList> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the serializer of the format a checkpoint was written in. */
    public static final class Snapshot extends FirstFormatSnapshot<TrendingList> {
        public Snapshot() {
            super(TrendingList.class, INSTANCE);
        }
    }

    /** Named by {@code @TypeInfo} on {@link TrendingList}. */
    public static final class Factory extends SerializerTypeInfoFactory<TrendingList> {
        public Factory() {
            super(TrendingList.class, INSTANCE);
        }
    }
}
