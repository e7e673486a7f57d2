package com.shopsense.tools.readers;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalogueTest {
    @TempDir
    Path dir;

    @Test
    void readsItemIdCategoryIdSkippingTheHeaderAndBrokenLines() throws Exception {
        Path csv = dir.resolve("c.csv");
        Files.writeString(csv, "itemId,categoryId\n1,10\n商品,类目\nbroken\n,20\n3,\n4,40,extra\n", StandardCharsets.UTF_8);
        Catalogue c = Catalogue.load(csv);
        assertThat(c.category("1")).isEqualTo("10");
        assertThat(c.category("商品")).isEqualTo("类目");
        assertThat(c.category("4")).isEqualTo("40");
        assertThat(c.category("3")).isNull();
        assertThat(c.category("itemId")).isNull();
        assertThat(c.size()).isEqualTo(3);
    }
}
