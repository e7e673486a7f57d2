package com.shopsense.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.shopsense.insight.ReviewWindow;
import com.shopsense.scoring.JourneyAction;
import com.shopsense.scoring.JourneyActions;
import com.shopsense.scoring.ReviewScore;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a review window writes to Redis (docs/redis.md "prefix:review:..."), and a surge action's Kafka record. */
class ReviewWindowWriteTest {
    private static final RedisKeys KEYS = new RedisKeys("shop");

    private static Map<String, String> fields(ScriptWrite w) {
        Map<String, String> m = new HashMap<>();
        for (int i = 2; i < w.args().size(); i += 2) {
            m.put(w.args().get(i), w.args().get(i + 1));
        }
        return m;
    }

    @Test
    void aWindowReplacesEveryDocumentedFieldNewestWindowWinning() {
        ScriptWrite w = (ScriptWrite) RedisWrites.reviewWindow(new ReviewWindow("item", "p 1", 1_740_960_000_000L, 7, 6,
                5, 23.0 / 6, 2.0 / 5, 0.61234, "v9"), KEYS, 86_400_000L);
        assertThat(w.script()).isEqualTo(RedisScript.TOTALS);
        assertThat(w.keys()).containsExactly("shop:review:item:p 1");
        assertThat(w.args().subList(0, 2)).as("sequence = window end, TTL").containsExactly("1740960000000", "86400000");
        assertThat(fields(w)).containsOnlyKeys("count", "rated", "scored", "meanRating", "shareNegative",
                "meanSentiment", "windowEnd", "modelVersion").containsEntry("count", "7").containsEntry("rated", "6")
                .containsEntry("scored", "5").containsEntry("meanRating", "3.8333").containsEntry("shareNegative", "0.4000")
                .containsEntry("meanSentiment", "0.6123").containsEntry("windowEnd", "1740960000000")
                .containsEntry("modelVersion", "v9");
    }

    @Test
    void anEmptyWindowWritesZerosAndNoMeans() {
        ScriptWrite w = (ScriptWrite) RedisWrites.reviewWindow(new ReviewWindow("cat", "\u4E66\u7C4D", 5L, 0, 0, 0,
                Double.NaN, Double.NaN, Double.NaN, null), KEYS, 1L);
        assertThat(w.keys()).containsExactly("shop:review:cat:\u4E66\u7C4D");
        assertThat(fields(w)).containsEntry("count", "0").containsEntry("meanRating", "")
                .containsEntry("shareNegative", "").containsEntry("meanSentiment", "").containsEntry("modelVersion", "");
    }

    @Test
    void aSurgeIsKeyedByItsProductAndNamesNoUser() {
        ReviewScore trigger = new ReviewScore("r-9", "u-secret", "p-1", "c", 1_740_960_000_000L, 1, 0.93f, 1.4f, 0.5,
                "v9");
        JourneyAction a = JourneyActions.negativeReviewSurge(trigger, 20, 0.55, 40, 0.1, 0.2);
        var record = new JourneyActionSerializer("actions").serialize(a, null, null);
        String json = new String(record.value(), StandardCharsets.UTF_8);
        assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("p-1");
        assertThat(json).contains("\"type\":\"negative_review_surge\"", "\"itemId\":\"p-1\"", "\"eventId\":\"r-9\"",
                "\"score\":0.55", "\"threshold\":0.3", "\"recentReviews\":20", "\"longRunReviews\":40",
                "\"longRunShare\":0.1", "\"model\":\"review\"", "\"modelVersion\":\"v9\"")
                .doesNotContain("u-secret", "userId", "\"key\"");
        assertThat(a.actionId()).isEqualTo(JourneyActions.id(JourneyAction.NEGATIVE_REVIEW_SURGE, "p-1", "r-9"));
        assertThat(List.of(a.reason())).allMatch(r -> r.contains("0.5500") && r.contains("0.1000"));
    }
}
