package com.shopsense.session;

import com.shopsense.event.EventRef;
import com.shopsense.event.EventType;
import com.shopsense.event.ShopEvent;
import com.shopsense.features.FraudFeatureEncoder;
import com.shopsense.features.IntentFeatureEncoder;
import com.shopsense.features.OrderHistory;
import com.shopsense.features.SessionFeatures;
import com.shopsense.state.StateTtl;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
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
 * <p>Per user one {@link UserState} (profile + open session + last recommendation refresh): one state read
 * and one write per event. Closing a session removes it from that state and deletes its timer; the profile
 * outlives sessions and expires by TTL.
 *
 * <p>Outputs: a {@link SessionEvent} per event (main), and each model's request only where it scores:
 * {@link #RECOMMEND} when a refresh is due, {@link #FRAUD} for payments and orders with an amount,
 * {@link #CHURN} and {@link #CLOSED} when a session closes, {@link #RECO_FEEDBACK} for the events the
 * recommendation attribution can use, and on the main output a close marker
 * ({@link SessionEvent#closedCart}) for every session it closes. The churn request of a user who
 * never ordered carries no model input: churn ("no order in the horizon") is undefined for a prospect, and the
 * churn stage scores customers only.
 */
public class SessionTracker extends KeyedProcessFunction<String, ShopEvent, SessionEvent> {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<SessionClosed> CLOSED = new OutputTag<>("sessions-closed") {
    };
    public static final OutputTag<ShopEvent> LATE = new OutputTag<>("late-events") {
    };
    public static final OutputTag<RecommendRequest> RECOMMEND = new OutputTag<>("recommend-requests") {
    };
    public static final OutputTag<FraudRequest> FRAUD = new OutputTag<>("fraud-requests") {
    };
    public static final OutputTag<ChurnRequest> CHURN = new OutputTag<>("churn-requests") {
    };
    /** The events the recommendation attribution needs ({@link RecoFeedbackFeed}). */
    public static final OutputTag<ShopEvent> RECO_FEEDBACK = new OutputTag<>("reco-feedback") {
    };

    private final SessionConfig config;
    private final SessionFeatures features;
    private final RecoRefreshPolicy recoPolicy;
    private final RecoFeedbackFeed feedback;
    private transient ValueState<UserState> state;
    /** Read-only stand-in for users who never ordered (most): their profiles carry no empty history. */
    private transient OrderHistory noOrders;
    private transient RecoRefreshPolicy reco;
    private transient Counter recoShed;

    /** With every order, reco_click and item event sent to {@link #RECO_FEEDBACK}. */
    public SessionTracker(SessionConfig config, SessionFeatures features, RecoRefreshPolicy recoPolicy) {
        this(config, features, recoPolicy, RecoFeedbackFeed.everyItemEvent());
    }

    public SessionTracker(SessionConfig config, SessionFeatures features, RecoRefreshPolicy recoPolicy,
            RecoFeedbackFeed feedback) {
        this.config = config;
        this.features = features;
        this.recoPolicy = recoPolicy;
        this.feedback = feedback;
    }

    @Override
    public void open(OpenContext openContext) {
        ValueStateDescriptor<UserState> desc = new ValueStateDescriptor<>("user-state", UserState.class);
        // The profile's TTL; an open session inside is closed by its timer long before.
        desc.enableTimeToLive(StateTtl.afterWrite(config.profileTtl()));
        state = getRuntimeContext().getState(desc);
        noOrders = features.newOrderHistory();
        reco = recoPolicy.copy(); // the refresh budget is per subtask
        recoShed = getRuntimeContext().getMetricGroup().counter("recoRefreshesShed");
    }

    @Override
    public void processElement(ShopEvent e, Context ctx, Collector<SessionEvent> out) throws Exception {
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
            close(s, p, SessionClosed.BY_GAP, ctx, out);
            s = null;
        } else if (s != null && e.timestampMs() >= s.startTs + config.maxDuration().toMillis()) {
            close(s, p, SessionClosed.BY_MAX_DURATION, ctx, out);
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
        EventRef ref = EventRef.of(e);
        // Before this event joins the session or the profile: the model sees what was known before it.
        IntentFeatureEncoder.Encoded intent = features.intent(e, previousTs, position, s.intentContext(p.orderCount > 0));
        boolean monetary = e.type() == EventType.PAYMENT || (e.type() == EventType.ORDER && e.monetaryValue() > 0);
        if (monetary) {
            if (p.payments == null) {
                p.payments = features.newPaymentHistory();
            }
            FraudFeatureEncoder.Encoded f = features.fraud(p.payments, e);
            String[] reasons = features.fraudReasons(p.payments, e).toArray(new String[0]);
            ctx.output(FRAUD, new FraudRequest(new PaymentRef(ref, e.merchantId(), e.monetaryValue(), e.deviceId(),
                    e.cardFingerprint()), f.history(), f.current(), reasons));
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
        if (feedback.sends(e, user.lastRecoTs)) {
            ctx.output(RECO_FEEDBACK, e);
        }
        if (reco.due(e.type(), position, e.timestampMs(), user.lastRecoTs)) {
            if (reco.admit(ctx.timerService().currentProcessingTime())) {
                user.lastRecoTs = e.timestampMs();
                ctx.output(RECOMMEND, new RecommendRequest(ref, s.recentItems(), e.categoryId()));
            } else {
                recoShed.inc(); // retried by the user's next item event
            }
        }

        user.session = s;
        state.update(user);

        out.collect(new SessionEvent(ref, s.sessionId, e.type(), position, previousTs,
                e.type() == EventType.ORDER ? e.monetaryValue() : 0.0, intent, p.lastSeen));
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<SessionEvent> out) throws Exception {
        UserState user = state.value();
        OpenSession s = user == null ? null : user.session;
        if (s == null || timestamp != s.timer) {
            return;
        }
        if (timestamp >= s.lastTs + config.gap().toMillis()) {
            close(s, user.profile, SessionClosed.BY_GAP, ctx, out);
            user.session = null;
        } else if (timestamp >= s.maxEnd) {
            close(s, user.profile, SessionClosed.BY_MAX_DURATION, ctx, out);
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
    private void close(OpenSession s, UserProfile p, String reason, Context ctx, Collector<SessionEvent> out) {
        // As of just after the session's last event: the churn spec counts only orders before asOf, and the
        // session's own orders belong to the history it is scored on (as in training and segments.py).
        ctx.output(CLOSED, new SessionClosed(ctx.getCurrentKey(), s.sessionId, s.startTs, s.lastTs, s.eventCount,
                s.count(EventType.VIEW), s.count(EventType.ADD_TO_CART), s.count(EventType.ORDER), s.orderValue,
                reason));
        if (p != null) {
            PurchaseSummary purchases = p.purchases();
            ctx.output(CHURN, new ChurnRequest(ctx.getCurrentKey(), s.sessionId, s.lastTs,
                    purchases.hasOrders() ? features.churn(p.orders != null ? p.orders : noOrders, s.lastTs + 1) : null,
                    purchases));
        }
        // Every close, so that the intent stage keeps a hidden state only while its session is open.
        out.collect(SessionEvent.closed(ctx.getCurrentKey(), s, reason, p != null ? p.lastSeen : s.lastTs));
        if (s.timer >= 0) {
            ctx.timerService().deleteEventTimeTimer(s.timer); // a no-op when it is the timer firing now
        }
    }
}
