package com.shopsense.event;

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
 * {@link ShopEvent} on the wire: every event crosses the keyBy(userId) shuffle into the sessionizer. Format 1:
 * event id, user id, type (ordinal + 1, 0 for null), time, a presence byte for the four boxed numbers and those
 * present, then the optional strings (null = one byte).
 */
public final class ShopEventSerializer extends FormatSerializer<ShopEvent> {
    private static final long serialVersionUID = 1L;
    public static final int CURRENT_FORMAT = 1;
    public static final ShopEventSerializer INSTANCE = new ShopEventSerializer();
    private static final EventType[] TYPES = EventType.values();
    private static final int PRICE = 1;
    private static final int QUANTITY = 2;
    private static final int AMOUNT = 4;
    private static final int RATING = 8;

    private ShopEventSerializer() {
        super(CURRENT_FORMAT, true);
    }

    @Override
    protected void write(ShopEvent e, DataOutputView out) throws IOException {
        Wire.writeString(e.eventId(), out);
        Wire.writeString(e.userId(), out);
        out.writeByte(e.type() == null ? 0 : e.type().ordinal() + 1);
        out.writeLong(e.timestampMs());
        int present = (e.price() != null ? PRICE : 0) | (e.quantity() != null ? QUANTITY : 0)
                | (e.amount() != null ? AMOUNT : 0) | (e.rating() != null ? RATING : 0);
        out.writeByte(present);
        if (e.price() != null) {
            out.writeDouble(e.price());
        }
        if (e.quantity() != null) {
            out.writeInt(e.quantity());
        }
        if (e.amount() != null) {
            out.writeDouble(e.amount());
        }
        if (e.rating() != null) {
            out.writeInt(e.rating());
        }
        Wire.writeString(e.itemId(), out);
        Wire.writeString(e.categoryId(), out);
        Wire.writeString(e.currency(), out);
        Wire.writeString(e.query(), out);
        Wire.writeString(e.paymentMethod(), out);
        Wire.writeString(e.cardFingerprint(), out);
        Wire.writeString(e.deviceId(), out);
        Wire.writeString(e.ip(), out);
        Wire.writeString(e.country(), out);
        Wire.writeString(e.text(), out);
        Wire.writeString(e.merchantId(), out);
    }

    @Override
    protected ShopEvent read(DataInputView in) throws IOException {
        String eventId = Wire.readString(in);
        String userId = Wire.readString(in);
        int type = in.readUnsignedByte();
        long ts = in.readLong();
        int present = in.readUnsignedByte();
        Double price = (present & PRICE) != 0 ? in.readDouble() : null;
        Integer quantity = (present & QUANTITY) != 0 ? in.readInt() : null;
        Double amount = (present & AMOUNT) != 0 ? in.readDouble() : null;
        Integer rating = (present & RATING) != 0 ? in.readInt() : null;
        return new ShopEvent(eventId, userId, type == 0 ? null : TYPES[type - 1], ts, Wire.readString(in),
                Wire.readString(in), price, quantity, amount, Wire.readString(in), Wire.readString(in),
                Wire.readString(in), Wire.readString(in), Wire.readString(in), Wire.readString(in),
                Wire.readString(in), rating, Wire.readString(in), Wire.readString(in));
    }

    @Override
    public ShopEvent createInstance() {
        return ShopEvent.builder(null, null, null, 0L).build();
    }

    @Override
    public FormatSnapshot<ShopEvent> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the serializer of the format a checkpoint was written in. */
    public static final class Snapshot extends FormatSnapshot<ShopEvent> {
        public Snapshot() {
            super(CURRENT_FORMAT);
        }

        @Override
        protected int currentFormat() {
            return CURRENT_FORMAT;
        }

        @Override
        protected Class<ShopEvent> typeClass() {
            return ShopEvent.class;
        }

        @Override
        protected TypeSerializer<ShopEvent> serializerFor(int format) {
            return INSTANCE;
        }
    }

    /** Named by {@code @TypeInfo} on {@link ShopEvent}. */
    public static final class Factory extends TypeInfoFactory<ShopEvent> {
        @Override
        public TypeInformation<ShopEvent> createTypeInfo(Type t, Map<String, TypeInformation<?>> generics) {
            return new SerializerTypeInfo<>(ShopEvent.class, INSTANCE);
        }
    }
}
