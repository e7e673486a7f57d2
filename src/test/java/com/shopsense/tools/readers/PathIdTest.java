package com.shopsense.tools.readers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PathIdTest {
    private static final String BASE = "/users/";

    @Test
    void aPlusIsAPlusAndAnEncodedPlusToo() {
        assertThat(PathId.of("/users/a+b", BASE)).contains("a+b");
        assertThat(PathId.of("/users/a%2Bb", BASE)).contains("a+b");
        assertThat(PathId.of("/users/a%20b", BASE)).contains("a b");
    }

    @Test
    void anEncodedPercentIsDecodedOnceOnly() {
        assertThat(PathId.of("/users/100%25", BASE)).contains("100%");
        assertThat(PathId.of("/users/%2525", BASE)).as("not decoded a second time").contains("%25");
    }

    @Test
    void anEncodedSlashBelongsToTheIdARawSlashEndsIt() {
        assertThat(PathId.of("/users/a%2Fb", BASE)).contains("a/b");
        assertThat(PathId.of("/users/a/b", BASE)).isEmpty();
        assertThat(PathId.of("/users/", BASE)).isEmpty();
        assertThat(PathId.of("/other/x", BASE)).isEmpty();
    }

    @Test
    void cjkAndEmojiDecodeFromTheirUtf8Escapes() {
        assertThat(PathId.of("/users/%E7%94%A8%E6%88%B7", BASE)).contains("用户");
        assertThat(PathId.of("/users/%F0%9F%98%80x", BASE)).contains("😀x");
        assertThat(PathId.of("/users/用户😀", BASE)).as("raw UTF-8 from a lax client").contains("用户😀");
    }

    @Test
    void brokenEscapesAndInvalidUtf8AreNoId() {
        assertThat(PathId.of("/users/100%", BASE)).isEmpty();
        assertThat(PathId.of("/users/%4", BASE)).isEmpty();
        assertThat(PathId.of("/users/%zz", BASE)).isEmpty();
        assertThat(PathId.of("/users/%C3", BASE)).as("a lone UTF-8 lead byte").isEmpty();
        assertThat(PathId.of("/users/%FF", BASE)).isEmpty();
        assertThatThrownBy(() -> PathId.decode("%G1")).isInstanceOf(IllegalArgumentException.class);
    }
}
