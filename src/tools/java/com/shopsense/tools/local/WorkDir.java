package com.shopsense.tools.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The work directory of a local run ({@code --workdir}): broker and redis-server data, checkpoints,
 * RocksDB. A run starts from an empty one, but it empties only a directory that is its own:
 * <ul>
 *   <li>missing: created and marked with {@value #MARKER};</li>
 *   <li>an empty directory: used and marked;</li>
 *   <li>a directory that carries the marker (a previous run made it): emptied, the marker kept;</li>
 *   <li>anything else (a directory with files but no marker, a regular file): refused with a
 *       {@link Refused}, and nothing is deleted.</li>
 * </ul>
 * Deletion does not follow symbolic links inside the directory (a link is removed, not its target).
 */
public final class WorkDir {
    /** The file a run writes into a work directory it may empty later. */
    public static final String MARKER = ".shopsense-local-run";

    /** A {@code --workdir} that is not the run's to empty. */
    public static final class Refused extends IOException {
        Refused(String message) {
            super(message);
        }
    }

    private WorkDir() {
    }

    /**
     * Makes {@code dir} an empty, marked work directory and returns its absolute path.
     *
     * @param option how the caller names the setting in its error message (e.g. {@code --workdir})
     * @throws Refused when {@code dir} exists and is neither empty nor marked (nothing is deleted then)
     */
    public static Path prepare(Path dir, String option) throws IOException {
        Path work = dir.toAbsolutePath().normalize();
        if (Files.exists(work, LinkOption.NOFOLLOW_LINKS)) {
            if (!Files.isDirectory(work)) {
                throw new Refused(option + " " + work + " exists and is not a directory; not touching it");
            }
            if (!isMarked(work) && !isEmpty(work)) {
                throw new Refused(option + " " + work + " is not empty and was not created by a local run (no "
                        + MARKER + " file in it): refusing to delete its contents. Pass a new or empty directory, "
                        + "or remove this one yourself.");
            }
            emptyAllBut(work, work.resolve(MARKER));
        } else {
            Files.createDirectories(work);
        }
        mark(work);
        return work;
    }

    /** True when {@code dir} carries the marker. */
    public static boolean isMarked(Path dir) {
        return Files.isRegularFile(dir.resolve(MARKER), LinkOption.NOFOLLOW_LINKS);
    }

    private static void mark(Path work) throws IOException {
        Files.writeString(work.resolve(MARKER), "Work directory of a ShopSense local run, created " + Instant.now()
                + ".\nThe next run with this --workdir deletes everything in it.\n", StandardCharsets.UTF_8);
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> children = Files.list(dir)) {
            return children.findAny().isEmpty();
        }
    }

    private static void emptyAllBut(Path dir, Path keep) throws IOException {
        List<Path> children;
        try (Stream<Path> s = Files.list(dir)) {
            children = s.filter(p -> !p.equals(keep)).toList();
        }
        for (Path child : children) {
            // Files.walk does not follow links: a link is listed (and deleted) as itself.
            try (Stream<Path> files = Files.walk(child)) {
                for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(f);
                }
            }
        }
    }
}
