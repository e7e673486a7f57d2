package com.shopsense.session;

import com.shopsense.event.EventRef;
import com.shopsense.event.EventRefWire;
import com.shopsense.serial.FirstFormatSnapshot;
import com.shopsense.serial.FormatSerializer;
import com.shopsense.serial.FormatSnapshot;
import com.shopsense.serial.SerializerTypeInfoFactory;
import com.shopsense.serial.Wire;
import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * {@link RecommendRequest}: the recommend call's Async I/O operator copies every request it takes (reflectively,
 * field by field, with the POJO serializer; this one returns the record itself) and writes the requests in flight
 * into each checkpoint. That in-flight state of the release before (PojoSerializer, inside Flink's stream element
 * serializer) is migrated on restore ({@link FormatSnapshot}: operator state is read whole at restore with the old
 * serializer). Format 1: ref ({@link EventRefWire}), recentItems, categoryId.
 */
public final class RecommendRequestSerializer extends FormatSerializer<RecommendRequest> {
    private static final long serialVersionUID = 1L;
    public static final int CURRENT_FORMAT = 1;
    public static final RecommendRequestSerializer INSTANCE = new RecommendRequestSerializer();

    /** Immutable: the item array is the session's copy, never written to after the request is made. */
    private RecommendRequestSerializer() {
        super(CURRENT_FORMAT, true);
    }

    @Override
    protected void write(RecommendRequest r, DataOutputView out) throws IOException {
        EventRefWire.write(r.ref(), out);
        Wire.writeStrings(r.recentItems(), out);
        Wire.writeString(r.categoryId(), out);
    }

    @Override
    protected RecommendRequest read(DataInputView in) throws IOException {
        return new RecommendRequest(EventRefWire.read(in), Wire.readStrings(in), Wire.readString(in));
    }

    @Override
    public RecommendRequest createInstance() {
        return new RecommendRequest(new EventRef("", "", 0L), new String[0], null);
    }

    @Override
    public FormatSnapshot<RecommendRequest> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the serializer of the format a checkpoint was written in. */
    public static final class Snapshot extends FirstFormatSnapshot<RecommendRequest> {
        public Snapshot() {
            super(RecommendRequest.class, INSTANCE);
        }
    }

    /** Named by {@code @TypeInfo} on {@link RecommendRequest}. */
    public static final class Factory extends SerializerTypeInfoFactory<RecommendRequest> {
        public Factory() {
            super(RecommendRequest.class, INSTANCE);
        }
    }
}
