package com.shopsense.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RecoSplitTest {
    private static long servedB(RecoSplit s) {
        return IntStream.range(0, 10_000).filter(i -> s.servesB("user-" + i)).count();
    }

    @Test
    void withoutVariantBEveryUserGetsTheMainRecommender() {
        assertThat(servedB(RecoSplit.none())).isZero();
        assertThat(servedB(new RecoSplit("", 100))).isZero();
    }

    @Test
    void theSplitFollowsThePercentAndIsStablePerUser() {
        RecoSplit s = new RecoSplit("/models-b", 30);
        assertThat(servedB(s)).isBetween(2_800L, 3_200L);
        assertThat(servedB(new RecoSplit("/models-b", 0))).isZero();
        assertThat(servedB(new RecoSplit("/models-b", 100))).isEqualTo(10_000);
        for (int i = 0; i < 100; i++) {
            assertThat(s.servesB("user-" + i)).isEqualTo(new RecoSplit("/other", 30).servesB("user-" + i));
        }
        assertThat(new RecoSplit("/b", 40).servesB("u7")).as("a larger share keeps the users of a smaller one")
                .isTrue().isEqualTo(RecoSplit.bucket("u7") < 40);
        assertThatThrownBy(() -> new RecoSplit("/b", 101)).isInstanceOf(IllegalArgumentException.class);
    }
}
