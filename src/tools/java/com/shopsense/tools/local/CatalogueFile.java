package com.shopsense.tools.local;

import com.shopsense.event.ShopEvent;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The replayed shop's catalogue as the storefront reader's {@code --catalogue} CSV ({@code itemId,categoryId}):
 * every item of the replayed rows with its category (the first one seen, should a row disagree).
 */
final class CatalogueFile {
    private CatalogueFile() {
    }

    static Path write(List<ShopEvent> events, Path file) throws IOException {
        Map<String, String> categoryOf = new LinkedHashMap<>();
        for (ShopEvent e : events) {
            if (e.itemId() != null && e.categoryId() != null && e.itemId().indexOf(',') < 0) {
                categoryOf.putIfAbsent(e.itemId(), e.categoryId());
            }
        }
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("itemId,categoryId\n");
            for (Map.Entry<String, String> c : categoryOf.entrySet()) {
                out.write(c.getKey() + "," + c.getValue() + "\n");
            }
        }
        return file;
    }
}
