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
 * {@link RecoOutcome}: every refresh crosses from the recommender to the fallback filler (a two-input operator, not
 * chained). Network only. Format 1: the list ({@link RecommendationSerializer}'s format 1), fallback, categoryId, size.
 */
public final class RecoOutcomeSerializer extends FormatSerializer<RecoOutcome> {
    private static final long serialVersionUID = 1L;
    public static final int CURRENT_FORMAT = 1;
    public static final RecoOutcomeSerializer INSTANCE = new RecoOutcomeSerializer();

    /** Immutable, as the list it carries. */
    private RecoOutcomeSerializer() {
        super(CURRENT_FORMAT, true);
    }

    @Override
    protected void write(RecoOutcome o, DataOutputView out) throws IOException {
        RecommendationSerializer.INSTANCE.serialize(o.list(), out);
        out.writeBoolean(o.fallback());
        Wire.writeString(o.categoryId(), out);
        Wire.writeVarInt(o.size(), out);
    }

    @Override
    protected RecoOutcome read(DataInputView in) throws IOException {
        return new RecoOutcome(RecommendationSerializer.INSTANCE.deserialize(in), in.readBoolean(), Wire.readString(in),
                Wire.readVarInt(in));
    }

    @Override
    public RecoOutcome createInstance() {
        return RecoOutcome.served(RecommendationSerializer.INSTANCE.createInstance());
    }

    @Override
    public FormatSnapshot<RecoOutcome> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the serializer of the format a checkpoint was written in. */
    public static final class Snapshot extends FormatSnapshot<RecoOutcome> {
        public Snapshot() {
            super(CURRENT_FORMAT);
        }

        @Override
        protected int currentFormat() {
            return CURRENT_FORMAT;
        }

        @Override
        protected Class<RecoOutcome> typeClass() {
            return RecoOutcome.class;
        }

        @Override
        protected TypeSerializer<RecoOutcome> serializerFor(int format) {
            return INSTANCE;
        }
    }

    /** Named by {@code @TypeInfo} on {@link RecoOutcome}. */
    public static final class Factory extends TypeInfoFactory<RecoOutcome> {
        @Override
        public TypeInformation<RecoOutcome> createTypeInfo(Type t, Map<String, TypeInformation<?>> generics) {
            return new SerializerTypeInfo<>(RecoOutcome.class, INSTANCE);
        }
    }
}
