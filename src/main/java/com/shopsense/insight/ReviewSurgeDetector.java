package com.shopsense.insight;

import com.shopsense.scoring.JourneyAction;
import com.shopsense.scoring.JourneyActions;
import com.shopsense.scoring.ReviewScore;
import com.shopsense.state.StateTtl;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Per product (keyed by itemId): the negative_review_surge rule ({@link ReviewSurgeState#offer}) over its scored
 * reviews in event-time order. Reviews wait in a buffer until the watermark passes their time, then are applied
 * sorted by (time, eventId), so a replay or a restore from any checkpoint decides the same surges with the same
 * ids, whatever order the scores arrived in (Async I/O completes out of order). A review that arrives behind the
 * watermark is applied at the next watermark, after those already applied ({@code lateReviews}). The rule state
 * expires {@code ttl} after the product's last review; the buffer is empty after every timer.
 */
public class ReviewSurgeDetector extends KeyedProcessFunction<String, ReviewScore, JourneyAction> {
    private static final long serialVersionUID = 1L;
    private static final Comparator<ReviewScore> EVENT_TIME_ORDER =
            Comparator.comparingLong(ReviewScore::ts).thenComparing(ReviewScore::eventId);

    private final ReviewSurgeSpec spec;
    private final Duration ttl;
    private transient ValueState<ReviewSurgeState> state;
    private transient ListState<ReviewScore> pending;
    private transient Counter lateReviews;
    private transient Counter surges;

    public ReviewSurgeDetector(ReviewSurgeSpec spec, Duration ttl) {
        this.spec = spec;
        this.ttl = ttl;
    }

    @Override
    public void open(OpenContext openContext) {
        ValueStateDescriptor<ReviewSurgeState> d = new ValueStateDescriptor<>("review-surge", ReviewSurgeState.class);
        d.enableTimeToLive(StateTtl.afterWrite(ttl));
        state = getRuntimeContext().getState(d);
        pending = getRuntimeContext().getListState(new ListStateDescriptor<>("review-surge-pending",
                ReviewScore.class));
        lateReviews = getRuntimeContext().getMetricGroup().addGroup("review").counter("lateSurgeReviews");
        surges = getRuntimeContext().getMetricGroup().addGroup("review").counter("surges");
    }

    @Override
    public void processElement(ReviewScore r, Context ctx, Collector<JourneyAction> out) throws Exception {
        if (!r.scored()) {
            return; // a rating alone: the rule reads what the text says
        }
        long watermark = ctx.timerService().currentWatermark();
        if (r.ts() <= watermark) {
            lateReviews.inc();
        }
        pending.add(r);
        // One timer per distinct time (Flink deduplicates); a late review's fires at the next watermark.
        ctx.timerService().registerEventTimeTimer(r.ts());
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<JourneyAction> out) throws Exception {
        List<ReviewScore> due = new ArrayList<>();
        List<ReviewScore> later = new ArrayList<>();
        Iterable<ReviewScore> buffered = pending.get();
        if (buffered != null) {
            for (ReviewScore r : buffered) {
                (r.ts() <= timestamp ? due : later).add(r);
            }
        }
        if (due.isEmpty()) {
            return;
        }
        due.sort(EVENT_TIME_ORDER);
        ReviewSurgeState s = state.value();
        if (s == null) {
            s = new ReviewSurgeState();
        }
        for (ReviewScore r : due) {
            ReviewSurgeState.Decision d = s.offer(r.negative(), spec);
            if (d.surge()) {
                surges.inc();
                out.collect(JourneyActions.negativeReviewSurge(r, d.recentReviews(), d.recentShare(),
                        d.longRunReviews(), d.longRunShare(), spec.margin()));
            }
        }
        state.update(s);
        if (later.isEmpty()) {
            pending.clear();
        } else {
            pending.update(later);
        }
    }
}
