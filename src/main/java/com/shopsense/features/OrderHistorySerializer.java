package com.shopsense.features;

import com.shopsense.serial.FormatSerializer;
import com.shopsense.serial.FormatSnapshot;
import com.shopsense.serial.Wire;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * {@link OrderHistory} inside the sessionizer's user state. Format 1: capacity, period days, size, the
 * {@code size} kept periods (index, lines, spend, day mask, last order), then first order and eviction
 * bookkeeping. Slots past {@code size} are never read, so they are not stored.
 */
public final class OrderHistorySerializer extends FormatSerializer<OrderHistory> {
    private static final long serialVersionUID = 1L;
    public static final int CURRENT_FORMAT = 1;
    public static final OrderHistorySerializer INSTANCE = new OrderHistorySerializer();
    private static final int HAS_ORDERS = 1;
    private static final int HAS_EVICTED = 2;

    private OrderHistorySerializer() {
        super(CURRENT_FORMAT, false);
    }

    @Override
    protected void write(OrderHistory h, DataOutputView out) throws IOException {
        Wire.writeVarInt(h.capacity, out);
        Wire.writeVarInt(h.periodDays, out);
        Wire.writeVarInt(h.size, out);
        for (int i = 0; i < h.size; i++) {
            out.writeLong(h.periodIndex[i]);
            Wire.writeVarInt(h.lines[i], out);
            out.writeDouble(h.spend[i]);
            out.writeLong(h.dayMask[i]);
            out.writeLong(h.lastTs[i]);
        }
        out.writeByte((h.hasOrders ? HAS_ORDERS : 0) | (h.hasEvicted ? HAS_EVICTED : 0));
        out.writeLong(h.firstOrderTs);
        out.writeLong(h.evictedLastTs);
    }

    @Override
    protected OrderHistory read(DataInputView in) throws IOException {
        int capacity = Wire.readVarInt(in);
        OrderHistory h = new OrderHistory(capacity, Wire.readVarInt(in));
        int size = Wire.readVarInt(in);
        if (size > capacity) {
            throw new IOException("order history of " + size + " periods over its capacity " + capacity);
        }
        for (int i = 0; i < size; i++) {
            h.periodIndex[i] = in.readLong();
            h.lines[i] = Wire.readVarInt(in);
            h.spend[i] = in.readDouble();
            h.dayMask[i] = in.readLong();
            h.lastTs[i] = in.readLong();
        }
        h.size = size;
        int flags = in.readUnsignedByte();
        h.hasOrders = (flags & HAS_ORDERS) != 0;
        h.hasEvicted = (flags & HAS_EVICTED) != 0;
        h.firstOrderTs = in.readLong();
        h.evictedLastTs = in.readLong();
        return h;
    }

    @Override
    public OrderHistory createInstance() {
        return new OrderHistory();
    }

    @Override
    public FormatSnapshot<OrderHistory> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the serializer of the format a checkpoint was written in. */
    public static final class Snapshot extends FormatSnapshot<OrderHistory> {
        public Snapshot() {
            super(CURRENT_FORMAT);
        }

        @Override
        protected int currentFormat() {
            return CURRENT_FORMAT;
        }

        @Override
        protected Class<OrderHistory> typeClass() {
            return OrderHistory.class;
        }

        @Override
        protected TypeSerializer<OrderHistory> serializerFor(int format) {
            return INSTANCE;
        }
    }
}
