package com.shopsense.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import com.shopsense.scoring.Recommendation;
import org.junit.jupiter.api.Test;

class RecoShownListsTest {
    private static final String M = Recommendation.MODEL;
    private static final String TR = Recommendation.TRENDING;

    private static long[] items(long... hashes) {
        return hashes;
    }

    @Test
    void listsStayInTimeOrderWithTheirOwnItems() {
        RecoShownLists l = new RecoShownLists();
        l.add(100, "A", M, items(1, 2, 3), 16);
        l.add(300, "B", M, items(4), 16);
        l.add(200, "C", M, items(5, 6), 16); // late: goes between
        l.add(300, "D", M, items(7), 16);    // same time as B: after it
        assertThat(l.generatedAt).containsExactly(100, 200, 300, 300);
        assertThat(l.modelVersion).containsExactly("A", "C", "B", "D");
        assertThat(l.itemEnd).containsExactly(3, 5, 6, 7);
        assertThat(l.itemHashes).containsExactly(1, 2, 3, 5, 6, 4, 7);
        assertThat(l.latestWith(5, 0, 1_000)).isEqualTo("C");
        assertThat(l.latestWith(2, 0, 1_000)).isEqualTo("A");
        assertThat(l.latestWith(9, 0, 1_000)).as("in no list").isNull();
        assertThat(l.latestWith(2, 101, 1_000)).as("list older than the window").isNull();
        assertThat(l.latestWith(5, 0, 200)).as("list not generated before the click").isNull();
    }

    @Test
    void theNewestMaxListsAreKept() {
        RecoShownLists l = new RecoShownLists();
        l.add(100, "A", M, items(1), 2);
        l.add(200, "A", M, items(2), 2);
        l.add(300, "B", M, items(3, 4), 2);
        assertThat(l.generatedAt).containsExactly(200, 300);
        assertThat(l.itemEnd).containsExactly(1, 3);
        assertThat(l.itemHashes).containsExactly(2, 3, 4);
        l.add(50, "C", M, items(9), 2);
        assertThat(l.generatedAt).as("older than the kept ones: dropped at once").containsExactly(200, 300);
        l.add(250, "C", M, items(8), 2);
        assertThat(l.generatedAt).containsExactly(250, 300);
        assertThat(l.modelVersion).containsExactly("C", "B");
        assertThat(l.itemHashes).containsExactly(8, 3, 4);
    }

    @Test
    void droppingOldListsKeepsTheRestIntact() {
        RecoShownLists l = new RecoShownLists();
        l.add(100, "A", M, items(1, 2), 16);
        l.add(200, "B", M, items(3), 16);
        l.add(300, "C", M, items(4, 5), 16);
        assertThat(l.expire(100, 0, 0)).isFalse();
        assertThat(l.expire(201, 0, 0)).isTrue();
        assertThat(l.generatedAt).containsExactly(300);
        assertThat(l.itemEnd).containsExactly(2);
        assertThat(l.itemHashes).containsExactly(4, 5);
        assertThat(l.latestWith(5, 0, 1_000)).isEqualTo("C");
        assertThat(l.expire(1_000, 0, 0)).isTrue();
        assertThat(l.isEmpty()).isTrue();
        assertThat(l.itemHashes).isEmpty();
    }

    @Test
    void sourcesMoveWithTheirLists() {
        RecoShownLists l = new RecoShownLists();
        l.add(100, "A", M, items(1), 2);
        l.add(300, "A", TR, items(2), 2);
        l.add(200, "A", M, items(3), 2); // between: the oldest goes
        assertThat(l.source).containsExactly(M, TR);
        assertThat(l.trending(1)).isTrue();
        assertThat(l.expire(250, 0, 0)).isTrue();
        assertThat(l.source).containsExactly(TR);
    }

    @Test
    void stateFromBeforeSourcesReadsAsModelLists() {
        // A value restored from a savepoint without the source and evaluatedThrough fields (POJO evolution).
        RecoShownLists restored = new RecoShownLists();
        restored.generatedAt = new long[] {100, 200};
        restored.modelVersion = new String[] {"A", "A"};
        restored.itemEnd = new int[] {1, 3};
        restored.itemHashes = new long[] {7, 8, 9};
        restored.source = new String[0];
        assertThat(restored.trending(1)).isFalse();
        assertThat(restored.liveUnevaluated(300, 1_000)).as("not evaluated yet").isEqualTo(1);
        assertThat(restored.rank(1, 9, 20)).isEqualTo(2);
        restored.add(300, "B", TR, items(5), 16);
        assertThat(restored.source).containsExactly(M, M, TR);
        restored.source = null;
        assertThat(restored.expire(10_000, 1_000, 1_000)).isTrue();
        assertThat(restored.isEmpty()).isTrue();
    }

    @Test
    void theNewestUnevaluatedListAtTheWatermarkOutlivesTheWindowUntilItsTtl() {
        RecoShownLists l = new RecoShownLists();
        l.add(100, "A", M, items(1), 16);
        l.add(200, "A", M, items(2), 16);
        l.add(5_000, "A", M, items(3), 16); // newer than the watermark below
        assertThat(l.expire(1_000, 500, 2_000)).as("100 dropped, 200 kept: live for events in (1000, 2200)").isTrue();
        assertThat(l.generatedAt).containsExactly(200, 5_000);
        assertThat(l.liveUnevaluated(1_500, 2_000)).isZero();
        assertThat(l.liveUnevaluated(2_200, 2_000)).as("expired by its TTL").isEqualTo(-1);
        l.evaluated(0);
        assertThat(l.liveUnevaluated(1_500, 2_000)).as("evaluated once").isEqualTo(-1);
        assertThat(l.expire(1_000, 500, 2_000)).as("evaluated: goes with the window").isTrue();
        assertThat(l.generatedAt).containsExactly(5_000);
    }
}
