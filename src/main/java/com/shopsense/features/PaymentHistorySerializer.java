package com.shopsense.features;

import com.shopsense.serial.FormatSerializer;
import com.shopsense.serial.FormatSnapshot;
import com.shopsense.serial.Wire;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * {@link PaymentHistory} inside the sessionizer's user state. Format 1: capacity, size, then only the
 * {@code size} kept payments (time, amount, merchant, device, card, country): the slots past {@code size} are
 * never read, so they are not stored (a user with one payment costs one entry, not {@code capacity}).
 */
public final class PaymentHistorySerializer extends FormatSerializer<PaymentHistory> {
    private static final long serialVersionUID = 1L;
    public static final int CURRENT_FORMAT = 1;
    public static final PaymentHistorySerializer INSTANCE = new PaymentHistorySerializer();

    private PaymentHistorySerializer() {
        super(CURRENT_FORMAT, false);
    }

    @Override
    protected void write(PaymentHistory h, DataOutputView out) throws IOException {
        Wire.writeVarInt(h.capacity, out);
        Wire.writeVarInt(h.size, out);
        for (int i = 0; i < h.size; i++) {
            out.writeLong(h.ts[i]);
            out.writeDouble(h.amount[i]);
            Wire.writeString(h.merchantId[i], out);
            Wire.writeString(h.deviceId[i], out);
            Wire.writeString(h.cardFingerprint[i], out);
            Wire.writeString(h.country[i], out);
        }
    }

    @Override
    protected PaymentHistory read(DataInputView in) throws IOException {
        PaymentHistory h = new PaymentHistory(Wire.readVarInt(in));
        int size = Wire.readVarInt(in);
        if (size > h.capacity) {
            throw new IOException("payment history of " + size + " entries over its capacity " + h.capacity);
        }
        for (int i = 0; i < size; i++) {
            h.ts[i] = in.readLong();
            h.amount[i] = in.readDouble();
            h.merchantId[i] = Wire.readString(in);
            h.deviceId[i] = Wire.readString(in);
            h.cardFingerprint[i] = Wire.readString(in);
            h.country[i] = Wire.readString(in);
        }
        h.size = size;
        return h;
    }

    @Override
    public PaymentHistory createInstance() {
        return new PaymentHistory();
    }

    @Override
    public FormatSnapshot<PaymentHistory> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the serializer of the format a checkpoint was written in. */
    public static final class Snapshot extends FormatSnapshot<PaymentHistory> {
        public Snapshot() {
            super(CURRENT_FORMAT);
        }

        @Override
        protected int currentFormat() {
            return CURRENT_FORMAT;
        }

        @Override
        protected Class<PaymentHistory> typeClass() {
            return PaymentHistory.class;
        }

        @Override
        protected TypeSerializer<PaymentHistory> serializerFor(int format) {
            return INSTANCE;
        }
    }
}
