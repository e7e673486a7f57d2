package com.shopsense.tools.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.shopsense.event.ShopEvent;
import com.shopsense.tools.readers.Catalogue;
import com.shopsense.tools.replay.TaobaoConverter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The catalogue the local run gives the reader lists every replayed item with its category. */
class CatalogueFileTest {
    @TempDir
    Path dir;

    @Test
    void everyReplayedItemGetsTheCategoryOfItsRows() throws Exception {
        Path csv = dir.resolve("rows.csv");
        Files.writeString(csv, "1,100,7,pv,1511544070\n2,100,7,cart,1511544080\n1,200,8,pv,1511544090\n3,300,9,buy,1511544100\n");
        List<ShopEvent> events = TaobaoConverter.read(csv, 100);
        Map<String, String> expected = new HashMap<>();
        for (String line : Files.readAllLines(csv)) {
            String[] f = line.split(",");
            expected.putIfAbsent(f[1], f[2]);
        }
        Catalogue c = Catalogue.load(CatalogueFile.write(events, dir.resolve("catalogue.csv")));
        assertThat(c.size()).isEqualTo(expected.size());
        expected.forEach((item, cat) -> assertThat(c.category(item)).as(item).isEqualTo(cat));
    }
}
