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
 * {@link ReviewPanes}, the review window task's keyed value (read and written per review and slide end). Format 1:
 * pane starts, reviews, rated, rating sums, scored, negatives, sentiment sums, model version, its time.
 */
public final class ReviewPanesSerializer extends FormatSerializer<ReviewPanes> {
    private static final long serialVersionUID = 1L;
    public static final int CURRENT_FORMAT = 1;
    public static final ReviewPanesSerializer INSTANCE = new ReviewPanesSerializer();

    private ReviewPanesSerializer() {
        super(CURRENT_FORMAT, false);
    }

    @Override
    protected void write(ReviewPanes p, DataOutputView out) throws IOException {
        Wire.writeLongs(p.starts, out);
        Wire.writeLongs(p.reviews, out);
        Wire.writeLongs(p.rated, out);
        Wire.writeLongs(p.ratingSum, out);
        Wire.writeLongs(p.scored, out);
        Wire.writeLongs(p.negatives, out);
        Wire.writeDoubles(p.sentimentSum, out);
        Wire.writeString(p.modelVersion, out);
        out.writeLong(p.modelTs);
    }

    @Override
    protected ReviewPanes read(DataInputView in) throws IOException {
        ReviewPanes p = new ReviewPanes();
        p.starts = Wire.readLongs(in);
        p.reviews = Wire.readLongs(in);
        p.rated = Wire.readLongs(in);
        p.ratingSum = Wire.readLongs(in);
        p.scored = Wire.readLongs(in);
        p.negatives = Wire.readLongs(in);
        p.sentimentSum = Wire.readDoubles(in);
        p.modelVersion = Wire.readString(in);
        p.modelTs = in.readLong();
        return p;
    }

    @Override
    public ReviewPanes createInstance() {
        return new ReviewPanes();
    }

    @Override
    public FormatSnapshot<ReviewPanes> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the serializer of the format a checkpoint was written in. */
    public static final class Snapshot extends FormatSnapshot<ReviewPanes> {
        public Snapshot() {
            super(CURRENT_FORMAT);
        }

        @Override
        protected int currentFormat() {
            return CURRENT_FORMAT;
        }

        @Override
        protected Class<ReviewPanes> typeClass() {
            return ReviewPanes.class;
        }

        @Override
        protected TypeSerializer<ReviewPanes> serializerFor(int format) {
            return INSTANCE;
        }
    }

    /** Named by {@code @TypeInfo} on {@link ReviewPanes}. */
    public static final class Factory extends TypeInfoFactory<ReviewPanes> {
        @Override
        public TypeInformation<ReviewPanes> createTypeInfo(Type t, Map<String, TypeInformation<?>> generics) {
            return new SerializerTypeInfo<>(ReviewPanes.class, INSTANCE);
        }
    }
}
