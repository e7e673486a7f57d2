package com.shopsense.tools.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.shopsense.tools.replay.ReviewTexts.Language;
import com.shopsense.tools.replay.ReviewTexts.Review;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReviewTextsTest {
    @TempDir
    Path tmp;

    private static final String EN_HEADER = ",Clothing ID,Age,Title,Review Text,Rating,Recommended IND,"
            + "Positive Feedback Count,Division Name,Department Name,Class Name\n";

    private static String en(int index, String product, String title, String text, int rating) {
        return index + "," + product + ",30," + title + ",\"" + text.replace("\"", "\"\"") + "\"," + rating
                + ",1,0,General,Tops,Knits\n";
    }

    @Test
    void englishKeepsTheFirst250WithTextOfProductsWithAtLeast300InFileOrder() throws Exception {
        StringBuilder csv = new StringBuilder(EN_HEADER);
        int index = 0;
        for (int i = 0; i < 320; i++) { // product 7: 320 with text (and some without), product 9: 299 with text
            csv.append(en(index++, "7", i == 0 ? "" : "T" + i, "line one\nline \"two\" " + i, 1 + i % 5));
            if (i % 50 == 0) {
                csv.append(en(index++, "7", "no text", " ", 3));
            }
            if (i < 299) {
                csv.append(en(index++, "9", "t", "short", 4));
            }
        }
        Path file = Files.writeString(tmp.resolve("en.csv"), csv);
        List<Review> reviews = ReviewTexts.english(file, ReviewTexts.EN_MIN_PER_PRODUCT);

        assertThat(reviews).hasSize(ReviewTexts.EN_PER_PRODUCT).allMatch(r -> r.group().equals("7"));
        // a review without a title is its text alone; otherwise Title + "\n" + Review Text, as the data has them
        assertThat(reviews.get(0).text()).isEqualTo("line one\nline \"two\" 0");
        assertThat(reviews.get(1).text()).isEqualTo("T1\nline one\nline \"two\" 1");
        for (int i = 0; i < reviews.size(); i++) {
            Review r = reviews.get(i);
            assertThat(r.rating()).isEqualTo(1 + i % 5);
            assertThat(r.negativeInData()).isEqualTo(r.rating() <= 2);
            assertThat(r.language()).isEqualTo(Language.EN);
        }
        assertThat(reviews.stream().map(Review::id).distinct()).hasSize(reviews.size());
        assertThat(reviews.get(0).id()).isEqualTo("en-0");
    }

    @Test
    void theBundledEnglishSliceIsItsWholeSelf13ProductsOf250() throws Exception {
        List<Review> reviews = ReviewTexts.englishSlice();
        assertThat(reviews).hasSize(DemoData.REVIEWS_EN_RECORDS);
        Map<String, Long> perProduct = reviews.stream().collect(Collectors.groupingBy(Review::group, Collectors.counting()));
        assertThat(perProduct).hasSize(DemoData.REVIEWS_EN_PRODUCTS);
        assertThat(perProduct.values()).allMatch(n -> n == ReviewTexts.EN_PER_PRODUCT);
    }

    @Test
    void chineseIdsAreTheFullFilesRecordNumbersAndLabelZeroIsNegative() throws Exception {
        Path file = Files.writeString(tmp.resolve("zh.csv"), "cat,label,review\n书籍,1,\"好书，\n值得一读\"\n书籍,0,\"\"\n酒店,0,太吵\n");
        List<Review> every10th = ReviewTexts.chinese(file, 10);
        // the blank one (record 11) is no review text
        assertThat(every10th).extracting(Review::id, Review::group, Review::text, Review::negativeInData, Review::rating)
                .containsExactly(
                        org.assertj.core.api.Assertions.tuple("zh-1", "书籍", "好书，\n值得一读", false, null),
                        org.assertj.core.api.Assertions.tuple("zh-21", "酒店", "太吵", true, null));
    }

    @Test
    void theBundledChineseSliceHasTenCategoriesWithBothLabels() throws Exception {
        List<Review> reviews = ReviewTexts.chinese(DemoData.REVIEWS_ZH, DemoData.REVIEWS_ZH_EVERY);
        assertThat(reviews).hasSize(DemoData.REVIEWS_ZH_RECORDS);
        assertThat(reviews.stream().map(Review::group).collect(Collectors.toSet())).hasSize(DemoData.REVIEWS_ZH_CATEGORIES);
        assertThat(reviews.stream().map(Review::negativeInData).collect(Collectors.toSet())).containsExactlyInAnyOrder(true, false);
        assertThat(new HashSet<>(reviews.stream().map(Review::id).toList())).hasSize(reviews.size());
        assertThat(reviews.get(1).id()).isEqualTo("zh-" + (DemoData.REVIEWS_ZH_EVERY + 1));
    }
}
