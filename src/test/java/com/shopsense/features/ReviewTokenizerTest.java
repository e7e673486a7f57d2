package com.shopsense.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class ReviewTokenizerTest {
    private static final ReviewTokenizer SHIPPED =
            ReviewTokenizer.fromSpec(FeatureSpec.load(Path.of("onnx-models/feature_spec.json")));

    private static ReviewTokenizer withMax(int max) throws IOException {
        String json = "{\"version\":\"t\",\"review\":{\"maxTokens\":" + max + ",\"padId\":0,\"clsId\":1,\"byteOffset\":2}}";
        return ReviewTokenizer.fromSpec(FeatureSpec.parse(
                new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "test"));
    }

    @Test
    void aRowIsClsThenEachUtf8ByteShiftedByTheOffset() {
        assertThat(SHIPPED.encode("Ok")).containsExactly(1, 'O' + 2, 'k' + 2);
        // 好 is E5 A5 BD in UTF-8: three tokens, each byte + 2, whatever the language.
        assertThat(SHIPPED.encode("好")).containsExactly(1, 0xE5 + 2, 0xA5 + 2, 0xBD + 2);
        assertThat(SHIPPED.encode("")).containsExactly(1);
    }

    @Test
    void longTextKeepsItsFirstMaxTokensMinusOneBytesEvenInsideACharacter() throws IOException {
        ReviewTokenizer t = withMax(3);
        // An emoji is four bytes: only its first two survive, as the Python side cuts them.
        assertThat(t.encode("\uD83D\uDE00")).containsExactly(1, 0xF0 + 2, 0x9F + 2);
    }

    @Test
    void aBatchIsRightPaddedToItsLongestRow() {
        int[] width = new int[1];
        long[] flat = SHIPPED.encodeBatch(List.of("ab", "", "abcd"), width);
        assertThat(width[0]).isEqualTo(5);
        assertThat(flat).containsExactly(
                1, 'a' + 2, 'b' + 2, 0, 0,
                1, 0, 0, 0, 0,
                1, 'a' + 2, 'b' + 2, 'c' + 2, 'd' + 2);
    }

    @Test
    void aSpecWhoseIdsOverlapTheByteRangeIsRefused() {
        String json = "{\"review\":{\"maxTokens\":8,\"padId\":0,\"clsId\":3,\"byteOffset\":2}}";
        assertThatThrownBy(() -> ReviewTokenizer.fromSpec(FeatureSpec.parse(
                new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "t")))
                .hasMessageContaining("overlap");
    }

    @Property
    void everyTokenIsInTheVocabularyAndTheRowDecodesToAPrefixOfTheText(@ForAll String text) {
        long[] row = SHIPPED.encode(text);
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        assertThat(row.length).isLessThanOrEqualTo(SHIPPED.maxTokens()).isEqualTo(Math.min(bytes.length + 1, SHIPPED.maxTokens()));
        assertThat(row[0]).isEqualTo(1);
        for (int i = 1; i < row.length; i++) {
            assertThat(row[i]).isBetween(2L, 257L);
            assertThat((byte) (row[i] - 2)).isEqualTo(bytes[i - 1]);
        }
    }
}
