package com.shopsense.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates the full public datasets, ../shared/datasets (or $SHOPSENSE_DATASETS), for the tests tagged
 * {@value #TAG} (the -Pdatasets tier); a missing file fails the test with its path. The default tier reads
 * the slices bundled in the repository instead ({@link com.shopsense.tools.replay.DemoData}).
 */
public final class Datasets {
    /** The JUnit tag of the tests that need the full datasets (excluded unless -Pdatasets). */
    public static final String TAG = "datasets";

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
