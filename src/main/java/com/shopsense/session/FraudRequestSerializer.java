package com.shopsense.session;

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
 * {@link FraudRequest}: every payment's request crosses from the sessionizer to the merchant-feedback or fraud
 * task, and the fraud call's Async I/O operator checkpoints the requests in flight; that state of the release
 * before (PojoSerializer) is migrated on restore ({@link FormatSnapshot}). {@link PaymentRef} is written inline (a
 * presence byte and its fields): {@code FraudScore}, which nests it and is kept in the rule operator's state, keeps
 * its POJO serializer. Format 1: payment (present, ref ({@link EventRefWire}), merchantId, amount, deviceId,
 * cardFingerprint), history, current, reasons.
 */
public final class FraudRequestSerializer extends FormatSerializer<FraudRequest> {
    private static final long serialVersionUID = 1L;
    public static final int CURRENT_FORMAT = 1;
    public static final FraudRequestSerializer INSTANCE = new FraudRequestSerializer();

    /**
     * Immutable: the feature arrays are the encoder's fresh ones and {@link FraudRequest#withMerchantFeedback}
     * makes new ones, so a copy is the value itself.
     */
    private FraudRequestSerializer() {
        super(CURRENT_FORMAT, true);
    }

    @Override
    protected void write(FraudRequest r, DataOutputView out) throws IOException {
        PaymentRef p = r.payment();
        out.writeBoolean(p != null);
        if (p != null) {
            EventRefWire.write(p.ref(), out);
            Wire.writeString(p.merchantId(), out);
            out.writeDouble(p.amount());
            Wire.writeString(p.deviceId(), out);
            Wire.writeString(p.cardFingerprint(), out);
        }
        Wire.writeFloats(r.history(), out);
        Wire.writeFloats(r.current(), out);
        Wire.writeStrings(r.reasons(), out);
    }

    @Override
    protected FraudRequest read(DataInputView in) throws IOException {
        PaymentRef p = in.readBoolean() ? new PaymentRef(EventRefWire.read(in), Wire.readString(in), in.readDouble(),
                Wire.readString(in), Wire.readString(in)) : null;
        return new FraudRequest(p, Wire.readFloats(in), Wire.readFloats(in), Wire.readStrings(in));
    }

    @Override
    public FraudRequest createInstance() {
        return new FraudRequest(null, new float[0], new float[0], new String[0]);
    }

    @Override
    public FormatSnapshot<FraudRequest> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the serializer of the format a checkpoint was written in. */
    public static final class Snapshot extends FirstFormatSnapshot<FraudRequest> {
        public Snapshot() {
            super(FraudRequest.class, INSTANCE);
        }
    }

    /** Named by {@code @TypeInfo} on {@link FraudRequest}. */
    public static final class Factory extends SerializerTypeInfoFactory<FraudRequest> {
        public Factory() {
            super(FraudRequest.class, INSTANCE);
        }
    }
}
