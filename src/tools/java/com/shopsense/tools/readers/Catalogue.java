package com.shopsense.tools.readers;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The shop's item -> category map, for showing a recommended or trending item's category. Read from a CSV
 * {@code itemId,categoryId} (a header line {@code itemId,...} is skipped; ids are taken as they are, so an id
 * with a comma cannot be listed). Redis carries no categories: the job's lists hold item ids only.
 */
public final class Catalogue {
    private static final Catalogue EMPTY = new Catalogue(Map.of());
    private final Map<String, String> categoryOf;

    private Catalogue(Map<String, String> categoryOf) {
        this.categoryOf = categoryOf;
    }

    public static Catalogue empty() {
        return EMPTY;
    }

    public static Catalogue of(Map<String, String> categoryOf) {
        return new Catalogue(Map.copyOf(categoryOf));
    }

    /** Reads the CSV; a line without a comma or with an empty field is skipped (the page then shows no category). */
    public static Catalogue load(Path csv) throws IOException {
        Map<String, String> m = new HashMap<>();
        try (BufferedReader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            String line;
            boolean first = true;
            while ((line = in.readLine()) != null) {
                int comma = line.indexOf(',');
                boolean header = first && line.startsWith("itemId,");
                first = false;
                if (header || comma <= 0 || comma == line.length() - 1) {
                    continue;
                }
                int end = line.indexOf(',', comma + 1);
                m.put(line.substring(0, comma), line.substring(comma + 1, end < 0 ? line.length() : end).trim());
            }
        }
        return new Catalogue(m);
    }

    /** The item's category, or null when the catalogue does not list it. */
    public String category(String itemId) {
        return itemId == null ? null : categoryOf.get(itemId);
    }

    public int size() {
        return categoryOf.size();
    }
}
