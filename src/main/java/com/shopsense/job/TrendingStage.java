package com.shopsense.job;

import com.shopsense.config.JobConfig;
import com.shopsense.config.JobOptions;
import com.shopsense.event.ShopEvent;
import com.shopsense.insight.TrendingItemWindows;
import com.shopsense.insight.TrendingList;
import com.shopsense.insight.TrendingPane;
import com.shopsense.insight.TrendingPaneCombiner;
import com.shopsense.insight.TrendingSpec;
import com.shopsense.insight.TrendingTop;
import com.shopsense.insight.TrendingTopK;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * Trending items, shop-wide and per category (docs/insight.md "Trending items"): events summed per item and pane
 * where they arise, the items' windows (keyed by item) with a partial top list per scope and window before the
 * second shuffle, and one list per scope and pane end (keyed by scope), for Redis and the recommender's fallback.
 */
final class TrendingStage {
    private TrendingStage() {
    }

    record Settings(TrendingSpec spec, long minWriteIntervalMs) {
        static Settings from(JobConfig cfg) {
            return new Settings(TrendingSpec.of(cfg.get(JobOptions.TRENDING_WINDOW), cfg.get(JobOptions.TRENDING_PANE),
                    cfg.get(JobOptions.TRENDING_HALF_LIFE), cfg.get(JobOptions.TRENDING_MIN_SUPPORT),
                    cfg.get(JobOptions.TRENDING_TOP_K), cfg.get(JobOptions.TRENDING_WEIGHT_VIEW),
                    cfg.get(JobOptions.TRENDING_WEIGHT_CART), cfg.get(JobOptions.TRENDING_WEIGHT_ORDER)),
                    cfg.get(JobOptions.TRENDING_MIN_WRITE_INTERVAL).toMillis());
        }
    }

    static DataStream<TrendingList> build(DataStream<ShopEvent> events, Settings s) {
        TrendingSpec spec = s.spec();
        return events
                .transform("Trending: item panes", TypeInformation.of(TrendingPane.class),
                        new TrendingPaneCombiner(spec))
                .uid("trending-panes")
                .keyBy(TrendingPane::itemId)
                .transform("Trending: item windows and partial lists", TypeInformation.of(TrendingTop.class),
                        new TrendingItemWindows(spec))
                .uid("trending-items")
                .keyBy(t -> t.scope)
                .transform("Trending: list per scope", TypeInformation.of(TrendingList.class),
                        new TrendingTopK(spec, s.minWriteIntervalMs()))
                .uid("trending-lists");
    }
}
