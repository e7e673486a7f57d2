package com.shopsense.insight;

import com.shopsense.scoring.RecoOutcome;
import com.shopsense.scoring.Recommendation;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.BroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Right after the recommend call (forwarded, so each user's lists keep their order): passes the model's lists
 * through and fills each fallback with the trending list of the category of the request's latest item, or the
 * shop-wide one when that category has none, labelled {@link Recommendation#TRENDING}. Scores are each item's
 * share of its scope's decayed activity. The trending lists arrive broadcast (a few per scope and pane) and are
 * kept, newest window per scope, in broadcast state (checkpointed); before the first window is written a fallback
 * is an empty list ({@code recoFallbacksEmpty}).
 */
public class TrendingFallback extends BroadcastProcessFunction<RecoOutcome, TrendingList, Recommendation> {
    private static final long serialVersionUID = 1L;

    /** scope -> its latest trending list. */
    public static final MapStateDescriptor<String, TrendingList> LISTS = new MapStateDescriptor<>("trending-lists",
            Types.STRING, TypeInformation.of(TrendingList.class));

    private transient Counter filled;
    private transient Counter empty;

    @Override
    public void open(OpenContext openContext) {
        filled = getRuntimeContext().getMetricGroup().counter("recoFallbacks");
        empty = getRuntimeContext().getMetricGroup().counter("recoFallbacksEmpty");
    }

    @Override
    public void processElement(RecoOutcome o, ReadOnlyContext ctx, Collector<Recommendation> out) throws Exception {
        if (!o.fallback()) {
            out.collect(o.list());
            return;
        }
        ReadOnlyBroadcastState<String, TrendingList> lists = ctx.getBroadcastState(LISTS);
        String scope = TrendingSpec.categoryScope(o.categoryId());
        TrendingList t = scope == null ? null : lists.get(scope);
        if (t == null) {
            t = lists.get(TrendingSpec.SHOP);
        }
        (t == null ? empty : filled).inc();
        out.collect(fill(o, t));
    }

    /** The fallback list with the first {@code size} items of {@code t} (none when t is null). */
    static Recommendation fill(RecoOutcome o, TrendingList t) {
        int n = t == null ? 0 : Math.min(o.size(), t.itemIds().length);
        String[] items = new String[n];
        float[] scores = new float[n];
        for (int i = 0; i < n; i++) {
            items[i] = t.itemIds()[i];
            scores[i] = (float) t.share(i);
        }
        Recommendation r = o.list();
        return new Recommendation(r.userId(), items, scores, Recommendation.TRENDING, r.model(), r.modelVersion(),
                r.generatedAt(), r.eventId(), r.recentItems());
    }

    @Override
    public void processBroadcastElement(TrendingList list, Context ctx, Collector<Recommendation> out)
            throws Exception {
        BroadcastState<String, TrendingList> lists = ctx.getBroadcastState(LISTS);
        TrendingList current = lists.get(list.scope());
        if (current != null && current.windowEnd() > list.windowEnd()) {
            return; // an older window (a replay of the scope task): the newest wins
        }
        if (list.isEmpty()) {
            lists.remove(list.scope());
        } else {
            lists.put(list.scope(), list);
        }
    }
}
