package com.shopsense.job;

import com.shopsense.config.JobConfig;
import com.shopsense.config.JobOptions;
import com.shopsense.event.DeadLetter;
import com.shopsense.event.EventJson;
import com.shopsense.event.GuardedKeyedProcessFunction;
import com.shopsense.event.LateEventToDeadLetter;
import com.shopsense.event.RouteInvalidRecords;
import com.shopsense.event.ShopEvent;
import com.shopsense.event.UnexpectedErrors;
import com.shopsense.features.SessionFeatures;
import com.shopsense.session.ChurnRequest;
import com.shopsense.session.FraudRequest;
import com.shopsense.session.RecoFeedbackFeed;
import com.shopsense.session.RecoRefreshPolicy;
import com.shopsense.session.RecommendRequest;
import com.shopsense.session.SessionClosed;
import com.shopsense.session.SessionConfig;
import com.shopsense.session.SessionEvent;
import com.shopsense.session.SessionTracker;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * Sessions: one keyed task per user reads and writes the user's state once per event and emits the session
 * event plus each model's request where it applies (recommend when due, fraud for payments, churn on close) and
 * the events the recommendation attribution can use.
 */
final class SessionStage {
    private SessionStage() {
    }

    record Settings(SessionConfig session, RecoRefreshPolicy reco, RecoFeedbackFeed feedback, String eventsTopic,
            int maxUnexpectedPerMinute) {
        static Settings from(JobConfig cfg) {
            return new Settings(cfg.sessionConfig(), new RecoRefreshPolicy(cfg.get(JobOptions.RECO_MIN_INTERVAL),
                    cfg.get(JobOptions.RECO_MIN_SESSION_EVENTS), cfg.get(JobOptions.RECO_MAX_RATE)),
                    RecoFeedbackFeed.of(cfg.get(JobOptions.REDIS_RECO_TTL), cfg.get(JobOptions.PROFILE_TTL)),
                    cfg.get(JobOptions.TOPIC_EVENTS), cfg.maxUnexpectedPerMinute());
        }
    }

    /**
     * {@code events} is partitioned by user already: the intent stage reads it without a shuffle. It carries the
     * close markers of closed sessions for that stage ({@link SessionEvent#closedCart}); {@code accepted} is the
     * accepted events alone, for every other reader. {@code recoFeedback}: the events the recommendation
     * attribution can use ({@link RecoFeedbackFeed}).
     */
    record Streams(SingleOutputStreamOperator<SessionEvent> events, DataStream<SessionEvent> accepted,
            DataStream<SessionClosed> closed, DataStream<ShopEvent> recoFeedback,
            DataStream<RecommendRequest> recommend, DataStream<FraudRequest> fraud, DataStream<ChurnRequest> churn,
            DataStream<DeadLetter> deadLetters) {
    }

    static Streams build(DataStream<ShopEvent> events, SessionFeatures features, Settings s) {
        // Guarded: a record the sessionizer or a feature encoder throws on is dead-lettered (within the
        // dlq.max-unexpected-per-minute budget) instead of failing the task on every restore.
        SingleOutputStreamOperator<SessionEvent> sessions = events
                .keyBy(ShopEvent::userId)
                .process(new GuardedKeyedProcessFunction<>(new SessionTracker(s.session(), features, s.reco(), s.feedback()),
                        new UnexpectedErrors(DeadLetter.STAGE_SESSIONIZE, s.maxUnexpectedPerMinute()),
                        EventJson::toBytes, s.eventsTopic(), TypeInformation.of(SessionEvent.class)))
                .uid("session-tracker")
                .name("Sessionize");
        DataStream<DeadLetter> late = sessions.getSideOutput(SessionTracker.LATE)
                .map(new LateEventToDeadLetter(s.eventsTopic()))
                .uid("late-to-dlq")
                .name("Late events to DLQ");
        DataStream<SessionEvent> accepted = sessions.filter(SessionEvent::isEvent).uid("accepted-events")
                .name("Accepted events");
        return new Streams(sessions, accepted, sessions.getSideOutput(SessionTracker.CLOSED),
                sessions.getSideOutput(SessionTracker.RECO_FEEDBACK),
                sessions.getSideOutput(SessionTracker.RECOMMEND), sessions.getSideOutput(SessionTracker.FRAUD),
                sessions.getSideOutput(SessionTracker.CHURN),
                late.union(BackgroundEdges.handOff(sessions.getSideOutput(RouteInvalidRecords.DEAD_LETTERS),
                        "session-dead-letters", "Sessionizer errors to DLQ")));
    }
}
