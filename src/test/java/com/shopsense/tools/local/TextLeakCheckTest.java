package com.shopsense.tools.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class TextLeakCheckTest {
    private static ConsumerRecord<byte[], byte[]> record(String value) {
        return new ConsumerRecord<>("t", 0, 0L, null, value.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theNeedleIsTheMiddleOfTheLongestRunJsonKeepsAsIs() {
        String text = "Short \"quoted\" bit\nthen a much longer line without any quote in it at all";
        String needle = TextLeakCheck.needle(text).orElseThrow();
        assertThat(needle).hasSize(TextLeakCheck.NEEDLE_CHARS);
        assertThat("then a much longer line without any quote in it at all").contains(needle);
        assertThat(needle).doesNotContain("\"", "\n", "\\");
    }

    @Test
    void cjkTextNeedsAThirdOfTheCharactersAndATooShortTextHasNoNeedle() {
        assertThat(TextLeakCheck.needle("这个酒店的服务很好，早餐也不错").orElseThrow())
                .hasSize(TextLeakCheck.NEEDLE_CHARS / 3);
        assertThat(TextLeakCheck.needle("Great!")).isEmpty();
        assertThat(TextLeakCheck.needle("好")).isEmpty();
    }

    @Test
    void aTextInsideAJsonRecordIsFoundAndNamedByReviewAndPlaceOnly() {
        Map<String, String> texts = new LinkedHashMap<>();
        texts.put("rv-en-1", "Love it\nThe fabric is soft and the cut is flattering on my frame");
        texts.put("rv-zh-11", "房间很干净，位置也方便，下次还会再来");
        texts.put("rv-en-2", "Runs small\nI had to return it because the sleeves were far too tight");
        TextLeakCheck check = new TextLeakCheck(texts, 200);
        assertThat(check.needles()).isEqualTo(3);

        check.topic("shop-actions").accept(record("{\"type\":\"high_intent\",\"userId\":\"u1\",\"score\":0.9}"));
        check.topic("sessions").accept(record("{\"note\":\"" + "房间很干净，位置也方便，下次还会再来" + "\"}"));
        check.topic("fraud-alerts").accept(record("{\"reason\":\"The fabric is soft and the cut is flattering on my frame\"}"));

        assertThat(check.leaks()).containsExactly("rv-en-1 in topic fraud-alerts", "rv-zh-11 in topic sessions");
        assertThat(check.scanned()).isEqualTo(3);
    }

    @Test
    void aSampleIsEvenlySpacedOverTheTexts() {
        Map<String, String> texts = new LinkedHashMap<>();
        for (int i = 0; i < 1000; i++) {
            texts.put("rv-en-" + i, "Soft fabric and a nice cut, order " + (1000 + i) + " was exactly as pictured");
        }
        TextLeakCheck check = new TextLeakCheck(texts, 200);
        assertThat(check.needles()).isEqualTo(200);
        check.topic("x").accept(record("Soft fabric and a nice cut, order 1995 was exactly as pictured"));
        check.topic("x").accept(record("Soft fabric and a nice cut, order 1996 was exactly as pictured"));
        // every 5th text is in the sample (995 is, 996 is not); each needle is the middle of its own text
        assertThat(check.leaks()).containsExactly("rv-en-995 in topic x");
    }
}
