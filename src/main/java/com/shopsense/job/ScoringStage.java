package com.shopsense.job;

import com.shopsense.inference.RuntimeOptions;
import com.shopsense.scoring.ChurnFunction;
import com.shopsense.scoring.ChurnScore;
import com.shopsense.scoring.IntentScore;
import com.shopsense.scoring.IntentScoringOperator;
import com.shopsense.scoring.JourneyAction;
import com.shopsense.session.SessionEvent;
import java.time.Duration;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The per-user scores: purchase intent on every event (a GRU step over keyed hidden state) and churn when a
 * customer's session closes; the intent stage also raises the high_intent and cart_abandoned journey actions.
 */
final class ScoringStage {
    private ScoringStage() {
    }

    /** {@code actions}: the intent stage's journey actions (high_intent, cart_abandoned). */
    record Streams(DataStream<IntentScore> intent, DataStream<ChurnScore> churn, DataStream<JourneyAction> actions) {
    }

    /**
     * @param intentMinDelta redis.intent-min-delta: smaller intent changes are not written to the score hash
     * @param profileTtl profile.ttl: expiry of an intent state no session close deleted
     */
    static Streams build(SessionStage.Streams sessions, RuntimeOptions runtime, AsyncCalls async,
            double intentMinDelta, Duration profileTtl) {
        // Session events leave the tracker partitioned by user already: no second shuffle (and no serialization).
        SingleOutputStreamOperator<IntentScore> intent = DataStreamUtils
                .reinterpretAsKeyedStream(sessions.events(), SessionEvent::userId)
                .transform("Intent (GRU step, micro-batched)", TypeInformation.of(IntentScore.class),
                        new IntentScoringOperator(runtime, intentMinDelta, profileTtl))
                .uid("intent-scoring");
        // Ordered: a user's churn scores (and the segments evaluated from them) reach the score hash in order.
        DataStream<ChurnScore> churn = async.ordered(sessions.churn(), new ChurnFunction(runtime))
                .uid("churn-model").name("Churn (GRU over periods)");
        return new Streams(intent, churn, BackgroundEdges.handOff(intent.getSideOutput(IntentScoringOperator.ACTIONS),
                "intent-actions", "Intent journey actions"));
    }
}
