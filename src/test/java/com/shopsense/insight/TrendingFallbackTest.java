package com.shopsense.insight;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.shopsense.scoring.RecoOutcome;
import com.shopsense.scoring.Recommendation;
import java.util.List;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithNonKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.BroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/**
 * The recommender's fallback: a request the model cannot serve gets the trending list of its latest item's
 * category, else the shop-wide one, labelled "trending", with each item's share of its scope's activity; the
 * model's own lists pass through untouched and in order.
 */
class TrendingFallbackTest {
    private static final TrendingList SHOP = list("shop", null, 100, new String[] {"s1", "s2", "s3"},
            new double[] {6, 3, 1}, 20);
    private static final TrendingList SHOES = list("cat:shoes", "shoes", 100, new String[] {"boot", "sandal"},
            new double[] {4, 1}, 10);

    @Test
    void aRequestTheModelCannotServeGetsItsCategorysTrendingItemsAsShares() throws Exception {
        try (var h = harness()) {
            h.processBroadcastElement(SHOP, 0);
            h.processBroadcastElement(SHOES, 0);
            h.processElement(fallback("u1", "shoes", 20), 1);
            Recommendation r = h.extractOutputValues().get(0);
            assertThat(r.source()).isEqualTo(Recommendation.TRENDING);
            assertThat(r.itemIds()).containsExactly("boot", "sandal");
            assertThat(r.scores()[0]).isCloseTo(0.4f, within(1e-6f));
            assertThat(r.scores()[1]).isCloseTo(0.1f, within(1e-6f));
            assertThat(r.userId()).isEqualTo("u1");
            assertThat(r.modelVersion()).as("named after the recommender that declined").isEqualTo("v1");
            assertThat(r.recentItems()).containsExactly("unknown-item");
        }
    }

    @Test
    void aCategoryWithoutAListFallsBackToTheShopWideOneCutToTheListSize() throws Exception {
        try (var h = harness()) {
            h.processBroadcastElement(SHOP, 0);
            h.processElement(fallback("u1", "hats", 2), 1);
            h.processElement(fallback("u2", null, 20), 2);
            assertThat(h.extractOutputValues()).extracting(r -> List.of(r.itemIds())).containsExactly(
                    List.of("s1", "s2"), List.of("s1", "s2", "s3"));
        }
    }

    @Test
    void beforeAnyTrendingIsKnownAFallbackIsAnEmptyTrendingList() throws Exception {
        try (var h = harness()) {
            h.processElement(fallback("u1", "shoes", 20), 1);
            Recommendation r = h.extractOutputValues().get(0);
            assertThat(r.itemIds()).isEmpty();
            assertThat(r.source()).isEqualTo(Recommendation.TRENDING);
        }
    }

    @Test
    void modelListsPassThroughInOrder() throws Exception {
        try (var h = harness()) {
            h.processBroadcastElement(SHOES, 0);
            Recommendation a = model("u1", "m1");
            Recommendation b = model("u1", "m2");
            h.processElement(RecoOutcome.served(a), 1);
            h.processElement(fallback("u1", "shoes", 20), 2);
            h.processElement(RecoOutcome.served(b), 3);
            assertThat(h.extractOutputValues()).extracting(r -> r.itemIds()[0]).containsExactly("m1", "boot", "m2");
        }
    }

    @Test
    void theNewestWindowPerScopeWinsAndAnEndedListIsForgotten() throws Exception {
        try (var h = harness()) {
            h.processBroadcastElement(SHOP, 0);
            h.processBroadcastElement(SHOES, 0);
            h.processBroadcastElement(list("cat:shoes", "shoes", 40, new String[] {"old"}, new double[] {1}, 1), 0);
            h.processElement(fallback("u1", "shoes", 20), 1);
            h.processBroadcastElement(list("cat:shoes", "shoes", 200, new String[0], new double[0], 0), 0);
            h.processElement(fallback("u2", "shoes", 20), 2);
            assertThat(h.extractOutputValues()).extracting(r -> r.itemIds()[0]).containsExactly("boot", "s1");
        }
    }

    @Test
    void theListsSurviveACheckpoint() throws Exception {
        org.apache.flink.runtime.checkpoint.OperatorSubtaskState snapshot;
        try (var h = harness()) {
            h.processBroadcastElement(SHOES, 0);
            snapshot = h.snapshot(1, 1);
        }
        try (var h = new BroadcastOperatorTestHarness<RecoOutcome, TrendingList, Recommendation>(
                new CoBroadcastWithNonKeyedOperator<>(new TrendingFallback(), List.of(TrendingFallback.LISTS)),
                1, 1, 0)) {
            h.setup();
            h.initializeState(snapshot);
            h.open();
            h.processElement(new StreamRecord<>(fallback("u1", "shoes", 20), 1));
            assertThat(h.extractOutputValues().get(0).itemIds()).containsExactly("boot", "sandal");
        }
    }

    private static BroadcastOperatorTestHarness<RecoOutcome, TrendingList, Recommendation> harness() throws Exception {
        return ProcessFunctionTestHarnesses.forBroadcastProcessFunction(new TrendingFallback(), TrendingFallback.LISTS);
    }

    private static RecoOutcome fallback(String user, String category, int size) {
        return new RecoOutcome(new Recommendation(user, new String[0], new float[0], Recommendation.TRENDING,
                "recommend", "v1", 1L, "e1", new String[] {"unknown-item"}), true, category, size);
    }

    private static Recommendation model(String user, String item) {
        return new Recommendation(user, new String[] {item}, new float[] {0.5f}, Recommendation.MODEL, "recommend",
                "v1", 1L, "e", new String[] {item});
    }

    private static TrendingList list(String scope, String category, long end, String[] items, double[] scores,
            double total) {
        return new TrendingList(scope, category, end, items, scores, total);
    }
}
