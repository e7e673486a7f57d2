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
 * {@link TrendingPane}: one per item and pane crosses from the source task to the item task. Network only
 * (the combiner holds no state; the item task keeps {@link TrendingItemState}). Format 1: itemId, categoryId,
 * categoryTs, paneEnd, weight, events.
 */
public final class TrendingPaneSerializer extends FormatSerializer<TrendingPane> {
    private static final long serialVersionUID = 1L;
    public static final int CURRENT_FORMAT = 1;
    public static final TrendingPaneSerializer INSTANCE = new TrendingPaneSerializer();

    private TrendingPaneSerializer() {
        super(CURRENT_FORMAT, true);
    }

    @Override
    protected void write(TrendingPane p, DataOutputView out) throws IOException {
        Wire.writeString(p.itemId(), out);
        Wire.writeString(p.categoryId(), out);
        out.writeLong(p.categoryTs());
        out.writeLong(p.paneEnd());
        out.writeLong(p.weight());
        out.writeLong(p.events());
    }

    @Override
    protected TrendingPane read(DataInputView in) throws IOException {
        return new TrendingPane(Wire.readString(in), Wire.readString(in), in.readLong(), in.readLong(),
                in.readLong(), in.readLong());
    }

    @Override
    public TrendingPane createInstance() {
        return new TrendingPane("", null, 0L, 0L, 0L, 0L);
    }

    @Override
    public FormatSnapshot<TrendingPane> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the serializer of the format a checkpoint was written in. */
    public static final class Snapshot extends FirstFormatSnapshot<TrendingPane> {
        public Snapshot() {
            super(TrendingPane.class, INSTANCE);
        }
    }

    /** Named by {@code @TypeInfo} on {@link TrendingPane}. */
    public static final class Factory extends SerializerTypeInfoFactory<TrendingPane> {
        public Factory() {
            super(TrendingPane.class, INSTANCE);
        }
    }
}
