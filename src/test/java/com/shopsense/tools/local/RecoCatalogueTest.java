package com.shopsense.tools.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RecoCatalogueTest {
    private static String list(String user, String source, String... items) {
        StringBuilder b = new StringBuilder("{\"generatedAt\":1,\"userId\":\"" + user + "\",\"items\":[");
        for (int i = 0; i < items.length; i++) {
            b.append(i == 0 ? "" : ",").append("{\"itemId\":\"").append(items[i]).append("\",\"score\":0.1}");
        }
        return b.append("],\"source\":\"").append(source).append("\",\"model\":\"recommend\",\"version\":\"v\"}").toString();
    }

    @Test
    void countsDistinctListsItemsOutsideTheShopAndListsBySource() {
        Set<String> shop = Set.of("a", "b", "c", "d");
        RecoCatalogue r = RecoCatalogue.of(List.of(
                list("u1", "model", "a", "b"),
                list("u2", "model", "a", "b"),      // the same list as u1's
                list("u3", "model", "b", "a"),      // same items, another order: another list
                list("u4", "trending", "c", "x9")), // x9 is not an item of this shop
                shop);
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
        RecoCatalogue r = RecoCatalogue.of(List.of(list("u1", "model", "a"), list("u2", "trending", "b")), Set.of("a", "b"));
        assertThat(r.allInCatalogue()).isTrue();
        assertThat(r.notInCatalogue()).isZero();
    }

    @Test
    void nothingToCheckIsNotAPass() {
        assertThat(RecoCatalogue.of(List.of(), Set.of("a")).allInCatalogue()).isFalse();
    }
}
