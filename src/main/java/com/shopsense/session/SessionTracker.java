package com.shopsense.session;

import com.shopsense.config.StateTtl;
import com.shopsense.event.EventType;
import com.shopsense.event.ShopEvent;
import com.shopsense.features.FraudFeatureEncoder;
import com.shopsense.features.IntentFeatureEncoder;
import com.shopsense.features.OrderHistory;
import com.shopsense.features.SessionFeatures;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Sessionizes each user's events in event time (keyed by user id, state on RocksDB).
 *
 * <p>A session is a run of events with gaps shorter than {@link SessionConfig#gap()}, closed once the
 * watermark passes {@code lastTs + gap}, or {@code start + maxDuration} (bots, hot keys). One event-time
 * timer per session, set lazily: events do not move it (a timer delete and insert per event were the
 * largest RocksDB write cost); when it fires before the session's deadline it is set again to the
 * deadline. Events behind the watermark by more than the allowed lateness go to {@link #LATE} instead of
 * silently joining or vanishing.
 *
 * <p>Per user one {@link UserState} (profile + open session): one state read and one write per event.
 * Closing a session removes it from that state and deletes its timer; the profile outlives sessions and
 * expires by TTL.
 */
public class SessionTracker extends KeyedProcessFunction<String, ShopEvent, SessionUpdate> {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<SessionClosed> CLOSED = new OutputTag<>("sessions-closed") {
    };
    public static final OutputTag<ShopEvent> LATE = new OutputTag<>("late-events") {
    };
    private static final String[] NO_ITEMS = new String[0];

    private final SessionConfig config;
    private final SessionFeatures features;
    private transient ValueState<UserState> state;
    /** Read-only stand-in for users who never ordered (most): their profiles carry no empty history. */
    private transient OrderHistory noOrders;

    public SessionTracker(SessionConfig config, SessionFeatures features) {
        this.config = config;
        this.features = features;
    }

    @Override
    public void open(OpenContext openContext) {
        ValueStateDescriptor<UserState> desc = new ValueStateDescriptor<>("user-state", UserState.class);
        // The profile's TTL; an open session inside is closed by its timer long before.
        desc.enableTimeToLive(StateTtl.afterWrite(config.profileTtl()));
        state = getRuntimeContext().getState(desc);
        noOrders = features.newOrderHistory();
    }

    @Override
    public void processElement(ShopEvent e, Context ctx, Collector<SessionUpdate> out) throws Exception {
        long watermark = ctx.timerService().currentWatermark();
        if (watermark != Long.MIN_VALUE && e.timestampMs() < watermark - config.allowedLateness().toMillis()) {
            ctx.output(LATE, e);
            return;
        }
        String userId = ctx.getCurrentKey();
        UserState user = state.value();
        if (user == null) {
            user = new UserState();
        }
        if (user.profile == null) {
            user.profile = new UserProfile();
        }
        UserProfile p = user.profile;
        OpenSession s = user.session;
        if (s != null && e.timestampMs() >= s.lastTs + config.gap().toMillis()) {
            close(s, p, SessionClosed.BY_GAP, ctx);
            s = null;
        } else if (s != null && e.timestampMs() >= s.startTs + config.maxDuration().toMillis()) {
            close(s, p, SessionClosed.BY_MAX_DURATION, ctx);
            s = null;
        }
        if (s == null) {
            s = OpenSession.start(userId, e);
            s.maxEnd = s.startTs + config.maxDuration().toMillis();
            s.timer = deadline(s);
            ctx.timerService().registerEventTimeTimer(s.timer);
            p.sessions++;
        }
        int position = s.eventCount;
        long previousTs = position == 0 ? -1 : s.lastTs;
        boolean newDevice = e.deviceId() != null && !p.knowsDevice(e.deviceId());
        IntentFeatureEncoder.Encoded intent = features.intent(e, previousTs, position);
        float[] fraudHistory = null;
        float[] fraudCurrent = null;
        String[] reasons = null;
        boolean monetary = e.type() == EventType.PAYMENT || (e.type() == EventType.ORDER && e.monetaryValue() > 0);
        if (monetary) {
            if (p.payments == null) {
                p.payments = features.newPaymentHistory();
            }
            FraudFeatureEncoder.Encoded f = features.fraud(p.payments, e);
            fraudHistory = f.history();
            fraudCurrent = f.current();
            reasons = features.fraudReasons(p.payments, e).toArray(new String[0]);
            p.payments.add(e);
        }
        if (e.type() == EventType.ORDER) {
            if (p.orders == null) {
                p.orders = features.newOrderHistory();
            }
            p.orders.add(e);
            if (s.count(EventType.ORDER) == 0) {
                p.orderSessions++;
            }
        }
        s.add(e, config.keptItems());
        p.observe(e, config.maxKnownValues());

        user.session = s;
        state.update(user);

        String[] items = e.type().isItemEvent() ? s.recentItems() : NO_ITEMS;
        out.collect(new SessionUpdate(userId, s.sessionId, e, position, previousTs, s.startTs, s.cartSize,
                s.cartValue, items, p.sessions, p.orderCount, p.totalSpend, newDevice, intent.itemBucket(),
                intent.categoryBucket(), intent.dense(), fraudHistory, fraudCurrent, reasons));
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<SessionUpdate> out) throws Exception {
        UserState user = state.value();
        OpenSession s = user == null ? null : user.session;
        if (s == null || timestamp != s.timer) {
            return;
        }
        if (timestamp >= s.lastTs + config.gap().toMillis()) {
            close(s, user.profile, SessionClosed.BY_GAP, ctx);
            user.session = null;
        } else if (timestamp >= s.maxEnd) {
            close(s, user.profile, SessionClosed.BY_MAX_DURATION, ctx);
            user.session = null;
        } else {
            // Events came since the timer was set: wait for the new deadline (fires in this same watermark
            // advance if the watermark is already past it).
            s.timer = deadline(s);
            ctx.timerService().registerEventTimeTimer(s.timer);
        }
        state.update(user);
    }

    /** When the session ends if no further event comes: its gap runs out or it reaches the maximum duration. */
    private long deadline(OpenSession s) {
        return Math.min(s.lastTs + config.gap().toMillis(), s.maxEnd);
    }

    /** Emits the closed session and drops its timer; the caller removes it from the user's state. */
    private void close(OpenSession s, UserProfile p, String reason, Context ctx) {
        // As of just after the session's last event: the churn spec counts only orders before asOf, and the
        // session's own orders belong to the history it is scored on (as in training and segments.py).
        float[] churn = p == null ? null
                : features.churn(p.orders != null ? p.orders : noOrders, s.lastTs + 1);
        ctx.output(CLOSED, new SessionClosed(ctx.getCurrentKey(), s.sessionId, s.startTs, s.lastTs, s.eventCount,
                s.count(EventType.VIEW), s.count(EventType.ADD_TO_CART), s.count(EventType.ORDER), s.orderValue,
                reason, churn, p == null ? PurchaseSummary.NONE : p.purchases()));
        if (s.timer >= 0) {
            ctx.timerService().deleteEventTimeTimer(s.timer); // a no-op when it is the timer firing now
        }
    }
}
