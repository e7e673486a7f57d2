package com.shopsense.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates ../shared/datasets (or $SHOPSENSE_DATASETS); a missing file fails the test with its path. */
public final class Datasets {
    private Datasets() {
    }

    public static Path root() {
        String env = System.getenv("SHOPSENSE_DATASETS");
        return env != null ? Path.of(env) : Path.of("..", "shared", "datasets").toAbsolutePath().normalize();
    }

    public static Path file(String relative) {
        Path p = root().resolve(relative);
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("dataset file not found: " + p + " (set SHOPSENSE_DATASETS)");
        }
        return p;
    }
}
