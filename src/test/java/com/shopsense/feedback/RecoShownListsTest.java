package com.shopsense.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RecoShownListsTest {
    private static long[] items(long... hashes) {
        return hashes;
    }

    @Test
    void listsStayInTimeOrderWithTheirOwnItems() {
        RecoShownLists l = new RecoShownLists();
        l.add(100, "A", items(1, 2, 3), 16);
        l.add(300, "B", items(4), 16);
        l.add(200, "C", items(5, 6), 16); // late: goes between
        l.add(300, "D", items(7), 16);    // same time as B: after it
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
        l.add(100, "A", items(1), 2);
        l.add(200, "A", items(2), 2);
        l.add(300, "B", items(3, 4), 2);
        assertThat(l.generatedAt).containsExactly(200, 300);
        assertThat(l.itemEnd).containsExactly(1, 3);
        assertThat(l.itemHashes).containsExactly(2, 3, 4);
        l.add(50, "C", items(9), 2);
        assertThat(l.generatedAt).as("older than the kept ones: dropped at once").containsExactly(200, 300);
        l.add(250, "C", items(8), 2);
        assertThat(l.generatedAt).containsExactly(250, 300);
        assertThat(l.modelVersion).containsExactly("C", "B");
        assertThat(l.itemHashes).containsExactly(8, 3, 4);
    }

    @Test
    void droppingOldListsKeepsTheRestIntact() {
        RecoShownLists l = new RecoShownLists();
        l.add(100, "A", items(1, 2), 16);
        l.add(200, "B", items(3), 16);
        l.add(300, "C", items(4, 5), 16);
        assertThat(l.dropBefore(100)).isFalse();
        assertThat(l.dropBefore(201)).isTrue();
        assertThat(l.generatedAt).containsExactly(300);
        assertThat(l.itemEnd).containsExactly(2);
        assertThat(l.itemHashes).containsExactly(4, 5);
        assertThat(l.latestWith(5, 0, 1_000)).isEqualTo("C");
        assertThat(l.dropBefore(1_000)).isTrue();
        assertThat(l.isEmpty()).isTrue();
        assertThat(l.itemHashes).isEmpty();
    }
}
