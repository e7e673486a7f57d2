package com.shopsense.job;

import com.shopsense.config.JobConfig;
import com.shopsense.config.JobOptions;
import com.shopsense.inference.ModelSource;
import com.shopsense.insight.KpiFact;
import com.shopsense.insight.KpiPane;
import com.shopsense.insight.KpiPaneCombiner;
import com.shopsense.insight.KpiSpec;
import com.shopsense.insight.KpiWindow;
import com.shopsense.insight.KpiWindows;
import com.shopsense.insight.SegmentChange;
import com.shopsense.insight.SegmentCount;
import com.shopsense.insight.SegmentCounter;
import com.shopsense.insight.SegmentDelta;
import com.shopsense.insight.SegmentDeltaCombiner;
import com.shopsense.insight.SegmentRules;
import com.shopsense.insight.SegmentTracker;
import com.shopsense.scoring.ChurnScore;
import com.shopsense.scoring.FraudScore;
import com.shopsense.scoring.JourneyAction;
import com.shopsense.session.SessionClosed;
import com.shopsense.session.SessionEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/** What merchandisers read: each user's segment, users per segment, and shop-wide KPI windows. */
final class InsightStage {
    private InsightStage() {
    }

    record Settings(SegmentRules segmentRules, Duration segmentRetention, List<KpiSpec> kpiSpecs) {
        static Settings from(JobConfig cfg, String modelsDir) {
            SegmentRules rules = SegmentRules.fromJson(new String(new ModelSource(modelsDir).read("segments.json"),
                    StandardCharsets.UTF_8));
            return new Settings(rules, cfg.get(JobOptions.SEGMENTS_RETENTION), kpiSpecs(cfg));
        }

        /** Windows settle for session.gap past their end, until every session that ended in them has closed. */
        private static List<KpiSpec> kpiSpecs(JobConfig cfg) {
            Duration settle = cfg.get(JobOptions.SESSION_GAP);
            Duration tumbling = cfg.get(JobOptions.KPI_TUMBLING);
            List<KpiSpec> specs = new ArrayList<>(List.of(KpiSpec.of(tumbling, tumbling, settle)));
            if (cfg.getOptional(JobOptions.KPI_SLIDING).isPresent()) {
                KpiSpec sliding = KpiSpec.of(cfg.get(JobOptions.KPI_SLIDING),
                        cfg.get(JobOptions.KPI_SLIDING_STEP), settle);
                if (sliding.name().equals(specs.get(0).name())) {
                    throw new IllegalArgumentException("kpi.sliding and kpi.tumbling must differ in size");
                }
                specs.add(sliding);
            }
            return List.copyOf(specs);
        }
    }

    /** {@code segmentChanges}: a user entering (to != null) or leaving a segment. */
    record Streams(DataStream<SegmentChange> segmentChanges, DataStream<SegmentCount> segmentCounts,
            DataStream<KpiWindow> kpis, DataStream<JourneyAction> enteredAtRisk) {
    }

    /** @param intentActions the intent stage's journey actions, counted in the KPI windows with entered_at_risk */
    static Streams build(SessionStage.Streams sessions, DataStream<ChurnScore> churn, DataStream<FraudScore> fraud,
            DataStream<JourneyAction> intentActions, Settings s) {
        // Churn scores leave the (forward-connected) churn model on the subtask that owns the user: segments
        // chain onto it without a shuffle or a serialization per closed session.
        SingleOutputStreamOperator<SegmentChange> changes = DataStreamUtils
                .reinterpretAsKeyedStream(churn, ChurnScore::userId)
                .process(new SegmentTracker(s.segmentRules(), s.segmentRetention()))
                .uid("segment-tracker").name("Segments");
        DataStream<SegmentCount> counts = changes
                .transform("Segment deltas", TypeInformation.of(SegmentDelta.class), new SegmentDeltaCombiner())
                .uid("segment-deltas")
                .keyBy(SegmentDelta::segment)
                .process(new SegmentCounter()).uid("segment-counts").name("Users per segment");
        DataStream<JourneyAction> enteredAtRisk = changes.getSideOutput(SegmentTracker.ENTERED_AT_RISK);
        return new Streams(changes, counts, kpiWindows(sessions.accepted(), sessions.closed(), fraud,
                intentActions.union(enteredAtRisk), s.kpiSpecs()), enteredAtRisk);
    }

    /**
     * Shop-wide KPIs in event-time windows: every event, every ended session, every fraud-scored payment and every
     * journey action is a fact. Facts are summed into panes where they arise (chained, in memory, up to the next watermark), and each
     * window spec then runs as one keyed task over those panes.
     */
    private static DataStream<KpiWindow> kpiWindows(DataStream<SessionEvent> events, DataStream<SessionClosed> closed,
            DataStream<FraudScore> fraud, DataStream<JourneyAction> actions, List<KpiSpec> specs) {
        String names = specs.stream().map(KpiSpec::name).collect(Collectors.joining(", "));
        TypeInformation<KpiPane> paneType = TypeInformation.of(KpiPane.class);
        DataStream<KpiPane> panes = events.map(KpiFact::event).uid("kpi-event-facts").name("KPI facts: events")
                .transform("KPI panes: events", paneType, new KpiPaneCombiner(specs)).uid("kpi-event-panes")
                .union(closed.map(KpiFact::sessionEnd).uid("kpi-session-facts").name("KPI facts: sessions")
                                .transform("KPI panes: sessions", paneType, new KpiPaneCombiner(specs))
                                .uid("kpi-session-panes"),
                        fraud.map(KpiFact::fraudScored).uid("kpi-payment-facts").name("KPI facts: payments")
                                .transform("KPI panes: payments", paneType, new KpiPaneCombiner(specs))
                                .uid("kpi-payment-panes"),
                        actions.map(KpiFact::action).uid("kpi-action-facts").name("KPI facts: journey actions")
                                .transform("KPI panes: journey actions", paneType, new KpiPaneCombiner(specs))
                                .uid("kpi-action-panes"));
        return panes.keyBy(p -> p.window)
                .process(new KpiWindows(specs))
                .uid("kpi-windows").name("KPI windows (" + names + ")");
    }
}
