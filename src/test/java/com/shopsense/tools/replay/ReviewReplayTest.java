package com.shopsense.tools.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.shopsense.event.EventLimits;
import com.shopsense.event.EventParser;
import com.shopsense.event.EventJson;
import com.shopsense.event.EventType;
import com.shopsense.event.ShopEvent;
import com.shopsense.tools.replay.ReviewTexts.Language;
import com.shopsense.tools.replay.ReviewTexts.Review;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The review replay's mapping of real reviews onto a replayed shop, checked against the shop's own events. */
class ReviewReplayTest {
    private static List<ShopEvent> shop;
    private static List<Review> english;
    private static List<Review> chinese;
    private static ReviewReplay.Result result;

    @BeforeAll
    static void replayTheBundledSlices() throws Exception {
        shop = TaobaoConverter.read(DemoData.TAOBAO_LATER, Integer.MAX_VALUE, DemoData.TAOBAO_LATER_FIRST_ROW);
        english = ReviewTexts.englishSlice();
        chinese = ReviewTexts.chinese(DemoData.REVIEWS_ZH, DemoData.REVIEWS_ZH_EVERY);
        result = ReviewReplay.build(shop, english, chinese);
    }

    /** Distinct users per key over the shop's valid events. */
    private static Map<String, Set<String>> usersBy(java.util.function.Function<ShopEvent, String> key) {
        Map<String, Set<String>> m = new HashMap<>();
        shop.stream().filter(e -> e.timestampMs() >= EventLimits.YEAR_2000_MS)
                .forEach(e -> m.computeIfAbsent(key.apply(e), k -> new HashSet<>()).add(e.userId()));
        return m;
    }

    private static List<String> byUsersThenKey(Map<String, Set<String>> users) {
        return users.keySet().stream().sorted(Comparator.<String>comparingInt(k -> -users.get(k).size())
                .thenComparing(Comparator.naturalOrder())).toList();
    }

    @Test
    void theSameInputGivesTheSameReviewsEventForEvent() {
        assertThat(ReviewReplay.build(shop, english, chinese)).isEqualTo(result);
        assertThat(result.reviews()).isNotEmpty();
    }

    @Test
    void englishProductKIsTheShopsKthItemByUsersAndGetsOneReviewPerUserOfIt() {
        Map<String, Set<String>> itemUsers = usersBy(ShopEvent::itemId);
        List<String> ranked = byUsersThenKey(itemUsers);
        List<String> products = english.stream().map(Review::group).distinct().toList();
        assertThat(result.products().keySet()).containsExactlyElementsOf(products);
        for (int k = 0; k < products.size(); k++) {
            String item = ranked.get(k);
            String product = products.get(k);
            assertThat(result.products().get(product)).isEqualTo(item);
            List<ShopEvent> onItem = result.reviews().stream().filter(e -> e.eventId().startsWith("rv-en-"))
                    .filter(e -> e.itemId().equals(item)).toList();
            assertThat(onItem).hasSize(Math.min(itemUsers.get(item).size(), ReviewTexts.EN_PER_PRODUCT));
            assertThat(onItem.stream().map(ShopEvent::userId).collect(Collectors.toSet()))
                    .as("one review per user of the item").isEqualTo(itemUsers.get(item));
            // file order is time order: the product's first reviews in the file, in that order
            List<String> fileOrder = english.stream().filter(r -> r.group().equals(product))
                    .limit(onItem.size()).map(r -> "rv-" + r.id()).toList();
            assertThat(onItem).extracting(ShopEvent::eventId).containsExactlyElementsOf(fileOrder);
        }
    }

    @Test
    void everyReviewComesAfterItsUsersEventOnThatItemWithItsCategory() {
        Map<List<String>, Long> firstTouch = new HashMap<>();
        shop.stream().filter(e -> e.timestampMs() >= EventLimits.YEAR_2000_MS).forEach(e -> firstTouch.merge(
                List.of(e.userId(), e.itemId(), e.categoryId()), e.timestampMs(), Math::min));
        for (ShopEvent r : result.reviews()) {
            Long touched = firstTouch.get(List.of(r.userId(), r.itemId(), r.categoryId()));
            assertThat(touched).as(r.eventId() + ": its user's event on its item").isNotNull();
            assertThat(r.timestampMs() - touched).as(r.eventId()).isGreaterThanOrEqualTo(ReviewReplay.MIN_DELAY_MS);
        }
    }

    @Test
    void eachReviewCarriesItsRealTextAndRating() {
        Map<String, Review> byId = new HashMap<>();
        english.forEach(r -> byId.put("rv-" + r.id(), r));
        chinese.forEach(r -> byId.put("rv-" + r.id(), r));
        for (ShopEvent e : result.reviews()) {
            Review r = byId.get(e.eventId());
            assertThat(e.type()).isEqualTo(EventType.REVIEW);
            assertThat(e.text()).isEqualTo(r.text());
            assertThat(e.rating()).isEqualTo(r.rating());
            assertThat(result.texts().get(e.eventId())).isEqualTo(r);
        }
    }

    @Test
    void chineseCategoryKIsTheKthCategoryByUsersWithoutAnEnglishItem() {
        Set<String> englishCategories = result.reviews().stream().filter(e -> e.eventId().startsWith("rv-en-"))
                .map(ShopEvent::categoryId).collect(Collectors.toSet());
        List<String> ranked = byUsersThenKey(usersBy(ShopEvent::categoryId)).stream()
                .filter(c -> !englishCategories.contains(c)).toList();
        List<String> categories = chinese.stream().map(Review::group).distinct().toList();
        assertThat(result.categories().keySet()).containsExactlyElementsOf(categories);
        for (int k = 0; k < categories.size(); k++) {
            String category = ranked.get(k);
            assertThat(result.categories().get(categories.get(k))).isEqualTo(category);
            List<ShopEvent> posted = result.reviews().stream().filter(e -> e.eventId().startsWith("rv-zh-"))
                    .filter(e -> e.categoryId().equals(category)).toList();
            assertThat(posted).hasSize(ReviewReplay.ZH_PER_CATEGORY);
            assertThat(posted.stream().map(ShopEvent::userId).distinct()).hasSize(posted.size());
            String zhCategory = categories.get(k);
            assertThat(posted).allSatisfy(e -> assertThat(result.texts().get(e.eventId()).group()).isEqualTo(zhCategory));
            // evenly spaced over the category's reviews in file order: positives, then negatives, as the file lists them
            List<Review> all = chinese.stream().filter(r -> r.group().equals(zhCategory)).toList();
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < posted.size(); i++) {
                expected.add("rv-" + all.get(i * all.size() / posted.size()).id());
            }
            assertThat(posted).extracting(ShopEvent::eventId).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void theReviewsAreAModestShareOfTheReplayAndValidUnderTheContract() throws Exception {
        List<ShopEvent> mixed = ReviewReplay.mix(shop, result);
        assertThat(mixed).hasSize(shop.size() + result.reviews().size());
        assertThat(mixed).isSortedAccordingTo(Comparator.comparingLong(ShopEvent::timestampMs));
        assertThat((double) result.reviews().size() / shop.size()).isBetween(0.002, 0.02);
        EventParser contract = new EventParser(EventLimits.defaults(), System::currentTimeMillis);
        for (ShopEvent e : result.reviews()) {
            assertThat(contract.parse(EventJson.toBytes(e))).isEqualTo(e);
        }
        assertThat(result.reviews().stream().map(e -> result.texts().get(e.eventId()).language()).distinct())
                .containsExactlyInAnyOrder(Language.EN, Language.ZH);
    }

    @Test
    void aShopWithFewerItemsThanProductsMapsWhatItCanAndAReviewWaitsASecondAfterTheLast() {
        List<ShopEvent> tiny = List.of(
                ShopEvent.builder("tb-1", "tb-a", EventType.VIEW, 1_511_658_000_000L).itemId("i1").categoryId("c1").build(),
                ShopEvent.builder("tb-2", "tb-b", EventType.VIEW, 1_511_658_000_000L).itemId("i1").categoryId("c1").build());
        ReviewReplay.Result r = ReviewReplay.build(tiny, english, chinese);
        assertThat(r.products()).hasSize(1).containsValue("i1");
        assertThat(r.categories()).isEmpty(); // the only category holds an English item
        assertThat(r.reviews()).hasSize(2);
        assertThat(r.reviews().get(1).timestampMs()).isGreaterThanOrEqualTo(r.reviews().get(0).timestampMs() + 1_000);
    }
}
