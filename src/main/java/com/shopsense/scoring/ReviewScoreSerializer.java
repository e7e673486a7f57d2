package com.shopsense.scoring;

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
 * {@link ReviewScore}: crosses the shuffles to the review tasks and waits in the surge task's buffer until the
 * watermark. Format 1: eventId, userId, itemId, categoryId, ts, rating (0 = none), p_negative, expected rating,
 * threshold, model version.
 */
public final class ReviewScoreSerializer extends FormatSerializer<ReviewScore> {
    private static final long serialVersionUID = 1L;
    public static final int CURRENT_FORMAT = 1;
    public static final ReviewScoreSerializer INSTANCE = new ReviewScoreSerializer();

    private ReviewScoreSerializer() {
        super(CURRENT_FORMAT, true);
    }

    @Override
    protected void write(ReviewScore s, DataOutputView out) throws IOException {
        Wire.writeString(s.eventId(), out);
        Wire.writeString(s.userId(), out);
        Wire.writeString(s.itemId(), out);
        Wire.writeString(s.categoryId(), out);
        out.writeLong(s.ts());
        out.writeByte(s.rating() == null ? 0 : s.rating());
        out.writeFloat(s.pNegative());
        out.writeFloat(s.expectedRating());
        out.writeDouble(s.negativeThreshold());
        Wire.writeString(s.modelVersion(), out);
    }

    @Override
    protected ReviewScore read(DataInputView in) throws IOException {
        String eventId = Wire.readString(in);
        String userId = Wire.readString(in);
        String itemId = Wire.readString(in);
        String categoryId = Wire.readString(in);
        long ts = in.readLong();
        int rating = in.readByte();
        return new ReviewScore(eventId, userId, itemId, categoryId, ts, rating == 0 ? null : rating, in.readFloat(),
                in.readFloat(), in.readDouble(), Wire.readString(in));
    }

    @Override
    public ReviewScore createInstance() {
        return ReviewScore.unscored("", "", "", null, 0L, null);
    }

    @Override
    public FormatSnapshot<ReviewScore> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the serializer of the format a checkpoint was written in. */
    public static final class Snapshot extends FormatSnapshot<ReviewScore> {
        public Snapshot() {
            super(CURRENT_FORMAT);
        }

        @Override
        protected int currentFormat() {
            return CURRENT_FORMAT;
        }

        @Override
        protected Class<ReviewScore> typeClass() {
            return ReviewScore.class;
        }

        @Override
        protected TypeSerializer<ReviewScore> serializerFor(int format) {
            return INSTANCE;
        }
    }

    /** Named by {@code @TypeInfo} on {@link ReviewScore}. */
    public static final class Factory extends TypeInfoFactory<ReviewScore> {
        @Override
        public TypeInformation<ReviewScore> createTypeInfo(Type t, Map<String, TypeInformation<?>> generics) {
            return new SerializerTypeInfo<>(ReviewScore.class, INSTANCE);
        }
    }
}
