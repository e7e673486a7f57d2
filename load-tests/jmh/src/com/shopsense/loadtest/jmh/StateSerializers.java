package com.shopsense.loadtest.jmh;

import com.shopsense.event.ShopEvent;
import com.shopsense.event.ShopEventSerializer;
import com.shopsense.features.OrderHistory;
import com.shopsense.features.PaymentHistory;
import com.shopsense.session.OpenSession;
import com.shopsense.session.UserProfile;
import com.shopsense.session.UserState;
import com.shopsense.session.UserStateSerializer;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One serialize + deserialize of the sessionizer's state value (what RocksDB costs per event, besides RocksDB)
 * and of a shop event (what the keyBy shuffle costs per event): Flink's PojoSerializer, as the job had them,
 * against the hand-written serializers. ns per round trip; each trial prints the bytes of both values.
 * The user is typical: mid-session, 12 events, 2 devices, a few payments and orders.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class StateSerializers {

    @State(Scope.Thread)
    public static class Values {
        @Param({"pojo", "explicit"})
        public String serializer;

        TypeSerializer<UserState> user;
        TypeSerializer<ShopEvent> event;
        UserState state;
        ShopEvent shopEvent;
        final DataOutputSerializer out = new DataOutputSerializer(4096);
        final DataInputDeserializer in = new DataInputDeserializer();

        @Setup(Level.Trial)
        public void setUp() {
            if (serializer.equals("pojo")) {
                // the reflective serializer the types had before their @TypeInfo factories
                user = pojo(UserState.class);
                event = pojo(ShopEvent.class);
            } else {
                user = UserStateSerializer.INSTANCE;
                event = ShopEventSerializer.INSTANCE;
            }
            state = typicalUser();
            shopEvent = ShopEvent.builder("evt-123456", "user-98765", com.shopsense.event.EventType.ADD_TO_CART,
                            1_700_000_123_456L).itemId("item-4711").categoryId("cat-12").price(19.99).quantity(2)
                    .deviceId("dev-a1b2c3").ip("10.1.2.3").country("DE").build();
            System.out.printf("%s: UserState %d bytes, ShopEvent %d bytes%n", serializer, size(user, state),
                    size(event, shopEvent));
        }

        private <T> int size(TypeSerializer<T> ser, T value) {
            out.clear();
            try {
                ser.serialize(value, out);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return out.length();
        }

        /** A PojoSerializer over the type's fields (TypeInformation.of would now find the type's factory). */
        private static <T> TypeSerializer<T> pojo(Class<T> type) {
            Map<String, TypeInformation<?>> fields = new LinkedHashMap<>();
            for (Field f : type.getDeclaredFields()) {
                if (!Modifier.isStatic(f.getModifiers())) {
                    fields.put(f.getName(), TypeInformation.of(f.getType()));
                }
            }
            return Types.POJO(type, fields).createSerializer(new ExecutionConfig().getSerializerConfig());
        }
    }

    static UserState typicalUser() {
        UserState u = new UserState();
        UserProfile p = new UserProfile();
        p.firstSeen = 1_690_000_000_000L;
        p.lastSeen = 1_700_000_360_000L;
        p.sessions = 7;
        p.orderCount = 3;
        p.orderSessions = 2;
        p.totalSpend = 129.5;
        p.lastOrderTs = 1_699_000_000_000L;
        p.knownDevices = new String[] {"dev-a1b2c3", "dev-d4e5f6"};
        p.knownCountries = new String[] {"DE"};
        p.payments = new PaymentHistory();
        for (int i = 0; i < 3; i++) {
            p.payments.add(1_699_000_000_000L + i * 86_400_000L, 40 + i, "merchant-" + i, "dev-a1b2c3",
                    "card-fp-0001", "DE");
        }
        p.orders = new OrderHistory();
        for (int i = 0; i < 3; i++) {
            p.orders.add(1_680_000_000_000L + i * 20L * 86_400_000L, 43.0);
        }
        u.profile = p;
        OpenSession s = new OpenSession();
        s.sessionId = "user-98765-1700000000000";
        s.startTs = 1_700_000_000_000L;
        s.lastTs = 1_700_000_360_000L;
        s.timer = 1_700_001_800_000L;
        s.maxEnd = 1_700_014_400_000L;
        s.eventCount = 12;
        s.countsByType[0] = 9;
        s.countsByType[2] = 3;
        s.cartValue = 59.97;
        s.cartSize = 3;
        s.items = new String[12];
        for (int i = 0; i < 12; i++) {
            s.items[i] = "item-" + (4700 + i);
        }
        u.session = s;
        u.lastRecoTs = 1_700_000_300_000L;
        return u;
    }

    private static <T> T roundTrip(TypeSerializer<T> ser, T value, Values v) throws IOException {
        v.out.clear();
        ser.serialize(value, v.out);
        v.in.setBuffer(v.out.getSharedBuffer(), 0, v.out.length());
        return ser.deserialize(v.in);
    }

    @Benchmark
    public UserState userState(Values v) throws IOException {
        return roundTrip(v.user, v.state, v);
    }

    @Benchmark
    public ShopEvent shopEvent(Values v) throws IOException {
        return roundTrip(v.event, v.shopEvent, v);
    }
}
