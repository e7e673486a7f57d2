package com.shopsense.session;

import com.shopsense.features.OrderHistorySerializer;
import com.shopsense.features.PaymentHistorySerializer;
import com.shopsense.serial.FormatSerializer;
import com.shopsense.serial.FormatSnapshot;
import com.shopsense.serial.Wire;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * {@link UserProfile} inside {@link UserState}. Format 1: the counters and times, the known devices and
 * countries, then a presence byte and the payment and order histories that are there (most users have none).
 */
public final class UserProfileSerializer extends FormatSerializer<UserProfile> {
    private static final long serialVersionUID = 1L;
    public static final int CURRENT_FORMAT = 1;
    public static final UserProfileSerializer INSTANCE = new UserProfileSerializer();
    private static final int PAYMENTS = 1;
    private static final int ORDERS = 2;

    private UserProfileSerializer() {
        super(CURRENT_FORMAT, false);
    }

    @Override
    protected void write(UserProfile p, DataOutputView out) throws IOException {
        out.writeLong(p.firstSeen);
        out.writeLong(p.lastSeen);
        Wire.writeVarInt(p.sessions, out);
        Wire.writeVarInt(p.orderCount, out);
        out.writeDouble(p.totalSpend);
        Wire.writeVarInt(p.orderSessions, out);
        out.writeLong(p.lastOrderTs);
        Wire.writeStrings(p.knownDevices, out);
        Wire.writeStrings(p.knownCountries, out);
        out.writeByte((p.payments != null ? PAYMENTS : 0) | (p.orders != null ? ORDERS : 0));
        if (p.payments != null) {
            PaymentHistorySerializer.INSTANCE.serialize(p.payments, out);
        }
        if (p.orders != null) {
            OrderHistorySerializer.INSTANCE.serialize(p.orders, out);
        }
    }

    @Override
    protected UserProfile read(DataInputView in) throws IOException {
        UserProfile p = new UserProfile();
        p.firstSeen = in.readLong();
        p.lastSeen = in.readLong();
        p.sessions = Wire.readVarInt(in);
        p.orderCount = Wire.readVarInt(in);
        p.totalSpend = in.readDouble();
        p.orderSessions = Wire.readVarInt(in);
        p.lastOrderTs = in.readLong();
        p.knownDevices = Wire.readStrings(in);
        p.knownCountries = Wire.readStrings(in);
        int present = in.readUnsignedByte();
        p.payments = (present & PAYMENTS) != 0 ? PaymentHistorySerializer.INSTANCE.deserialize(in) : null;
        p.orders = (present & ORDERS) != 0 ? OrderHistorySerializer.INSTANCE.deserialize(in) : null;
        return p;
    }

    @Override
    public UserProfile createInstance() {
        return new UserProfile();
    }

    @Override
    public FormatSnapshot<UserProfile> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the serializer of the format a checkpoint was written in. */
    public static final class Snapshot extends FormatSnapshot<UserProfile> {
        public Snapshot() {
            super(CURRENT_FORMAT);
        }

        @Override
        protected int currentFormat() {
            return CURRENT_FORMAT;
        }

        @Override
        protected Class<UserProfile> typeClass() {
            return UserProfile.class;
        }

        @Override
        protected TypeSerializer<UserProfile> serializerFor(int format) {
            return INSTANCE;
        }
    }
}
