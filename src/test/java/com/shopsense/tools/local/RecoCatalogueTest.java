package com.shopsense.tools.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RecoCatalogueTest {
    private static String list(String user, String source, String... items) {
        return list(user, source, List.of("a"), items);
    }

    private static String list(String user, String source, List<String> recent, String... items) {
        StringBuilder b = new StringBuilder("{\"generatedAt\":1,\"userId\":\"" + user + "\",\"items\":[");
        for (int i = 0; i < items.length; i++) {
            b.append(i == 0 ? "" : ",").append("{\"itemId\":\"").append(items[i]).append("\",\"score\":0.1}");
        }
        b.append("],\"source\":\"").append(source).append("\",\"model\":\"recommend\",\"version\":\"v\",\"recentItems\":[");
        for (int i = 0; i < recent.size(); i++) {
            b.append(i == 0 ? "" : ",").append('"').append(recent.get(i)).append('"');
        }
        return b.append("]}").toString();
    }

    @Test
    void countsDistinctListsItemsOutsideTheShopAndListsBySource() {
        Set<String> shop = Set.of("a", "b", "c", "d");
        RecoCatalogue r = RecoCatalogue.of(List.of(
                list("u1", "model", "a", "b"),
                list("u2", "model", "a", "b"),      // the same list as u1's
                list("u3", "model", "b", "a"),      // same items, another order: another list
                list("u4", "trending", "c", "x9")), // x9 is not an item of this shop
                shop, Set.of());
        assertThat(r.users()).isEqualTo(4);
        assertThat(r.distinctLists()).isEqualTo(3);
        assertThat(r.distinctPerUser()).isEqualTo(0.75);
        assertThat(r.recommendedItems()).isEqualTo(8);
        assertThat(r.notInCatalogue()).isEqualTo(1);
        assertThat(r.allInCatalogue()).isFalse();
        assertThat(r.listsBySource()).isEqualTo(Map.of("model", 3L, "trending", 1L));
    }

    @Test
    void aShopThatKnowsEveryRecommendedItemPasses() {
        RecoCatalogue r = RecoCatalogue.of(List.of(list("u1", "model", "a"), list("u2", "trending", "b")), Set.of("a", "b"), Set.of());
        assertThat(r.allInCatalogue()).isTrue();
        assertThat(r.notInCatalogue()).isZero();
    }

    @Test
    void modelListsFromSessionsWithoutAKnownItemAreCountedApart() {
        Set<String> known = Set.of("k1", "k2");
        RecoCatalogue r = RecoCatalogue.of(List.of(
                list("u1", "model", List.of("new1", "new2"), "k1", "k2"),   // blind
                list("u2", "model", List.of("new3"), "k1", "k2"),           // blind, the same list
                list("u3", "model", List.of("new1", "k2"), "k1", "k2"),     // sees k2: the same list, but not blind
                list("u4", "model", List.of("k1"), "k2", "k1"),
                list("u5", "trending", List.of("new1"), "x", "y")),         // a fallback list is never blind
                Set.of("k1", "k2", "x", "y"), known);
        assertThat(r.blindModelLists()).isEqualTo(2);
        assertThat(r.distinctSeeingLists()).isEqualTo(3); // [k1,k2], [k2,k1], [x,y]
        assertThat(r.distinctLists()).isEqualTo(3);
        assertThat(r.distinctBySource()).containsEntry("model", 2L).containsEntry("trending", 1L);
    }

    @Test
    void nothingToCheckIsNotAPass() {
        assertThat(RecoCatalogue.of(List.of(), Set.of("a"), Set.of()).allInCatalogue()).isFalse();
    }
}
