package com.shopsense.loadtest.jmh;

import com.shopsense.event.EventRef;
import com.shopsense.event.ShopEvent;
import com.shopsense.event.ShopEventSerializer;
import com.shopsense.feedback.RecoShown;
import com.shopsense.feedback.RecoShownLists;
import com.shopsense.feedback.RecoShownListsSerializer;
import com.shopsense.feedback.RecoShownSerializer;
import com.shopsense.feedback.RecoUserEvent;
import com.shopsense.feedback.RecoUserEventSerializer;
import com.shopsense.features.OrderHistory;
import com.shopsense.features.PaymentHistory;
import com.shopsense.insight.TrendingList;
import com.shopsense.insight.TrendingListSerializer;
import com.shopsense.insight.TrendingPane;
import com.shopsense.insight.TrendingPaneSerializer;
import com.shopsense.scoring.UserScoreUpdate;
import com.shopsense.scoring.UserScoreUpdateSerializer;
import com.shopsense.session.ChurnRequest;
import com.shopsense.session.ChurnRequestSerializer;
import com.shopsense.session.FraudRequest;
import com.shopsense.session.FraudRequestSerializer;
import com.shopsense.session.OpenSession;
import com.shopsense.session.PaymentRef;
import com.shopsense.session.PurchaseSummary;
import com.shopsense.session.RecommendRequest;
import com.shopsense.session.RecommendRequestSerializer;
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
 * One serialize + deserialize of the sessionizer's state value (what RocksDB costs per event, besides RocksDB),
 * of a shop event (what the keyBy shuffle costs per event) and of the records on the other hot edges (a list's
 * hashes and an event's to attribution, the two lists attribution keeps for a user, a trending list broadcast to the fallback and kept in its broadcast state,
 * an item's pane to the trending item task, a score-hash update to its sink, the recommend, churn and fraud
 * requests the Async I/O operators copy): Flink's
 * PojoSerializer, as the job had them, against the hand-written serializers. ns per round trip; each trial prints
 * the bytes of every value. The user is typical: mid-session, 12 events, 2 devices, a few payments and orders;
 * lists and model inputs have the default sizes (20 recommended items, 50 trending, churn 12 x 7, fraud 16 x 8 + 18).
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
        TypeSerializer<RecoShown> shownSer;
        TypeSerializer<RecoShownLists> listsSer;
        TypeSerializer<RecoUserEvent> userEventSer;
        TypeSerializer<TrendingList> trendingSer;
        TypeSerializer<TrendingPane> paneSer;
        TypeSerializer<RecommendRequest> requestSer;
        TypeSerializer<UserScoreUpdate> scoreSer;
        TypeSerializer<ChurnRequest> churnSer;
        TypeSerializer<FraudRequest> fraudSer;
        UserState state;
        ShopEvent shopEvent;
        final RecoShown shown = typicalShown();
        final RecoShownLists lists = typicalLists();
        final RecoUserEvent userEvent = new RecoUserEvent("user-98765", 1_700_000_123_456L, RecoUserEvent.ITEM,
                RecoShown.itemHash("item-4711"));
        final TrendingList trending = typicalTrending();
        final TrendingPane pane = new TrendingPane("item-4711", "cat-12", 1_700_000_123_456L, 1_700_000_160_000L, 4,
                3);
        final RecommendRequest request = new RecommendRequest(new EventRef("user-98765", "evt-123456",
                1_700_000_123_456L), items(12), "cat-12");
        final UserScoreUpdate score = new UserScoreUpdate("user-98765", new String[] {"segment"},
                new String[] {"at_risk"}, 1_700_000_123_456L, true);
        final ChurnRequest churn = new ChurnRequest("user-98765", "user-98765-1700000000000", 1_700_000_360_000L,
                floats(12 * 7), new PurchaseSummary(2, 129.5, 1_699_000_000_000L));
        final FraudRequest fraud = new FraudRequest(new PaymentRef(new EventRef("user-98765", "evt-123457",
                1_700_000_123_999L), "merchant-1", 59.97, "dev-a1b2c3", "card-fp-0001"), floats(16 * 8), floats(18),
                new String[] {"new_device"});
        final DataOutputSerializer out = new DataOutputSerializer(4096);
        final DataInputDeserializer in = new DataInputDeserializer();

        @Setup(Level.Trial)
        public void setUp() {
            if (serializer.equals("pojo")) {
                // the reflective serializer the types had before their @TypeInfo factories
                user = pojo(UserState.class);
                event = pojo(ShopEvent.class);
                shownSer = pojo(RecoShown.class);
                listsSer = pojo(RecoShownLists.class);
                userEventSer = pojo(RecoUserEvent.class);
                trendingSer = pojo(TrendingList.class);
                paneSer = pojo(TrendingPane.class);
                requestSer = pojo(RecommendRequest.class);
                scoreSer = pojo(UserScoreUpdate.class);
                churnSer = pojo(ChurnRequest.class);
                fraudSer = pojo(FraudRequest.class);
            } else {
                user = UserStateSerializer.INSTANCE;
                event = ShopEventSerializer.INSTANCE;
                shownSer = RecoShownSerializer.INSTANCE;
                listsSer = RecoShownListsSerializer.INSTANCE;
                userEventSer = RecoUserEventSerializer.INSTANCE;
                trendingSer = TrendingListSerializer.INSTANCE;
                paneSer = TrendingPaneSerializer.INSTANCE;
                requestSer = RecommendRequestSerializer.INSTANCE;
                scoreSer = UserScoreUpdateSerializer.INSTANCE;
                churnSer = ChurnRequestSerializer.INSTANCE;
                fraudSer = FraudRequestSerializer.INSTANCE;
            }
            state = typicalUser();
            shopEvent = ShopEvent.builder("evt-123456", "user-98765", com.shopsense.event.EventType.ADD_TO_CART,
                            1_700_000_123_456L).itemId("item-4711").categoryId("cat-12").price(19.99).quantity(2)
                    .deviceId("dev-a1b2c3").ip("10.1.2.3").country("DE").build();
            System.out.printf("%s: UserState %d bytes, ShopEvent %d bytes, RecoShown %d bytes, RecoShownLists %d bytes,"
                    + " RecoUserEvent %d bytes, TrendingList %d bytes, TrendingPane %d bytes, RecommendRequest %d bytes,"
                    + " UserScoreUpdate %d bytes, ChurnRequest %d bytes, FraudRequest %d bytes%n", serializer,
                    size(user, state), size(event, shopEvent), size(shownSer, shown), size(listsSer, lists),
                    size(userEventSer, userEvent),
                    size(trendingSer, trending), size(paneSer, pane), size(requestSer, request), size(scoreSer, score),
                    size(churnSer, churn), size(fraudSer, fraud));
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

    private static String[] items(int n) {
        String[] items = new String[n];
        for (int i = 0; i < n; i++) {
            items[i] = Integer.toString(4_700_000 + 37 * i);
        }
        return items;
    }

    private static float[] floats(int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (i % 7) / 7f;
        }
        return a;
    }

    /** A recommended list of 20 items as attribution receives it. */
    static RecoShown typicalShown() {
        long[] hashes = new long[20];
        String[] ids = items(20);
        for (int i = 0; i < ids.length; i++) {
            hashes[i] = RecoShown.itemHash(ids[i]);
        }
        return new RecoShown("user-98765", 1_700_000_123_456L, "3f2a9c1b", "model", hashes);
    }

    /** Two lists of 20 items of one model version, as attribution keeps them (keys of 32 bits). */
    static RecoShownLists typicalLists() {
        RecoShownLists l = new RecoShownLists();
        long[] keys = new long[40];
        String[] ids = items(40);
        for (int i = 0; i < ids.length; i++) {
            keys[i] = RecoShown.itemHash(ids[i]) & 0xFFFFFFFFL;
        }
        l.generatedAt = new long[] {1_700_000_123_456L, 1_700_000_183_456L};
        l.modelVersion = new String[] {"3f2a9c1b", "3f2a9c1b"};
        l.source = new String[] {"model", "model"};
        l.itemEnd = new int[] {20, 40};
        l.itemHashes = keys;
        l.expiryTimer = 1_700_003_600_000L;
        l.evaluatedThrough = 1_700_000_123_456L;
        return l;
    }

    /** A category's list of 50 (trending.top-k) items. */
    static TrendingList typicalTrending() {
        double[] scores = new double[50];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = 120.0 / (i + 1);
        }
        return new TrendingList("cat:12", "12", 1_700_000_160_000L, items(50), scores, 2_400.0);
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

    @Benchmark
    public RecoShown recoShown(Values v) throws IOException {
        return roundTrip(v.shownSer, v.shown, v);
    }

    @Benchmark
    public RecoShownLists recoShownLists(Values v) throws IOException {
        return roundTrip(v.listsSer, v.lists, v);
    }

    @Benchmark
    public RecoUserEvent recoUserEvent(Values v) throws IOException {
        return roundTrip(v.userEventSer, v.userEvent, v);
    }

    @Benchmark
    public TrendingList trendingList(Values v) throws IOException {
        return roundTrip(v.trendingSer, v.trending, v);
    }

    @Benchmark
    public TrendingPane trendingPane(Values v) throws IOException {
        return roundTrip(v.paneSer, v.pane, v);
    }

    @Benchmark
    public RecommendRequest recommendRequest(Values v) throws IOException {
        return roundTrip(v.requestSer, v.request, v);
    }

    /** What the Async I/O operator does with every request it takes (StreamElementSerializer.copy). */
    @Benchmark
    public RecommendRequest recommendRequestCopy(Values v) {
        return v.requestSer.copy(v.request);
    }

    @Benchmark
    public UserScoreUpdate userScoreUpdate(Values v) throws IOException {
        return roundTrip(v.scoreSer, v.score, v);
    }

    @Benchmark
    public ChurnRequest churnRequest(Values v) throws IOException {
        return roundTrip(v.churnSer, v.churn, v);
    }

    @Benchmark
    public FraudRequest fraudRequest(Values v) throws IOException {
        return roundTrip(v.fraudSer, v.fraud, v);
    }
}
