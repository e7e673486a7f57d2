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
 * {@link Recommendation}: every list crosses from the recommender to the fallback and sink task (about one per three
 * events), where Flink's reflective POJO serializer for its string arrays was the largest serialization cost of the
 * sessionizer's thread. Network only (no state holds one). Format 1: userId, itemIds, scores, source, model,
 * modelVersion, generatedAt, eventId, recentItems.
 */
public final class RecommendationSerializer extends FormatSerializer<Recommendation> {
    private static final long serialVersionUID = 1L;
    public static final int CURRENT_FORMAT = 1;
    public static final RecommendationSerializer INSTANCE = new RecommendationSerializer();

    /** Immutable: a list's arrays are never written to once it is made, so a copy is the value itself. */
    private RecommendationSerializer() {
        super(CURRENT_FORMAT, true);
    }

    @Override
    protected void write(Recommendation r, DataOutputView out) throws IOException {
        Wire.writeString(r.userId(), out);
        Wire.writeStrings(r.itemIds(), out);
        Wire.writeFloats(r.scores(), out);
        Wire.writeString(r.source(), out);
        Wire.writeString(r.model(), out);
        Wire.writeString(r.modelVersion(), out);
        out.writeLong(r.generatedAt());
        Wire.writeString(r.eventId(), out);
        Wire.writeStrings(r.recentItems(), out);
    }

    @Override
    protected Recommendation read(DataInputView in) throws IOException {
        return new Recommendation(Wire.readString(in), Wire.readStrings(in), Wire.readFloats(in), Wire.readString(in),
                Wire.readString(in), Wire.readString(in), in.readLong(), Wire.readString(in), Wire.readStrings(in));
    }

    @Override
    public Recommendation createInstance() {
        return new Recommendation("", new String[0], new float[0], Recommendation.MODEL, "", "", 0L, "",
                new String[0]);
    }

    @Override
    public FormatSnapshot<Recommendation> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the serializer of the format a checkpoint was written in. */
    public static final class Snapshot extends FormatSnapshot<Recommendation> {
        public Snapshot() {
            super(CURRENT_FORMAT);
        }

        @Override
        protected int currentFormat() {
            return CURRENT_FORMAT;
        }

        @Override
        protected Class<Recommendation> typeClass() {
            return Recommendation.class;
        }

        @Override
        protected TypeSerializer<Recommendation> serializerFor(int format) {
            return INSTANCE;
        }
    }

    /** Named by {@code @TypeInfo} on {@link Recommendation}. */
    public static final class Factory extends TypeInfoFactory<Recommendation> {
        @Override
        public TypeInformation<Recommendation> createTypeInfo(Type t, Map<String, TypeInformation<?>> generics) {
            return new SerializerTypeInfo<>(Recommendation.class, INSTANCE);
        }
    }
}
