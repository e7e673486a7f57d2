package com.shopsense.tools.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkDirTest {
    @TempDir
    Path tmp;

    @Test
    void aMissingDirectoryIsCreatedAndMarked() throws Exception {
        Path work = WorkDir.prepare(tmp.resolve("a/b/run"), "--workdir");
        assertThat(work).isDirectory().isEqualTo(tmp.resolve("a/b/run").toAbsolutePath());
        assertThat(work.resolve(WorkDir.MARKER)).isRegularFile();
        assertThat(WorkDir.isMarked(work)).isTrue();
    }

    @Test
    void anEmptyDirectoryIsUsedAndMarked() throws Exception {
        Path empty = Files.createDirectory(tmp.resolve("empty"));
        WorkDir.prepare(empty, "--workdir");
        assertThat(WorkDir.isMarked(empty)).isTrue();
    }

    @Test
    void aMarkedDirectoryIsEmptiedButKeepsItsMarker() throws Exception {
        Path work = WorkDir.prepare(tmp.resolve("run"), "--workdir");
        Files.createDirectories(work.resolve("kafka/logs"));
        Files.writeString(work.resolve("kafka/logs/segment"), "x");
        Files.writeString(work.resolve("dump.rdb"), "x");
        WorkDir.prepare(work, "--workdir");
        try (var left = Files.list(work)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly(WorkDir.MARKER);
        }
    }

    @Test
    void aDirectoryWithFilesButNoMarkerIsRefusedAndKept() throws Exception {
        Path mine = Files.createDirectories(tmp.resolve("home/projects"));
        Files.writeString(mine.resolve("thesis.tex"), "do not delete");
        Files.createDirectories(mine.resolve("src"));
        assertThatThrownBy(() -> WorkDir.prepare(mine, "--workdir")).isInstanceOf(WorkDir.Refused.class)
                .hasMessageContaining("--workdir").hasMessageContaining(mine.toString())
                .hasMessageContaining(WorkDir.MARKER);
        assertThat(mine.resolve("thesis.tex")).hasContent("do not delete");
        assertThat(mine.resolve("src")).isDirectory();
        assertThat(WorkDir.isMarked(mine)).isFalse();
    }

    @Test
    void aRegularFileIsRefused() throws Exception {
        Path file = Files.writeString(tmp.resolve("notes.txt"), "keep");
        assertThatThrownBy(() -> WorkDir.prepare(file, "--workdir")).isInstanceOf(WorkDir.Refused.class);
        assertThat(file).hasContent("keep");
    }

    @Test
    void aLinkInsideIsRemovedNotFollowed() throws Exception {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("keep.txt"), "keep");
        Path work = WorkDir.prepare(tmp.resolve("run"), "--workdir");
        Files.createSymbolicLink(work.resolve("link"), outside);
        WorkDir.prepare(work, "--workdir");
        assertThat(work.resolve("link")).doesNotExist();
        assertThat(outside.resolve("keep.txt")).hasContent("keep");
    }

    @Test
    void theLocalRunRefusesAForeignDirectoryBeforeStartingAnything() throws Exception {
        Path mine = Files.createDirectories(tmp.resolve("mine"));
        Files.writeString(mine.resolve("notes.txt"), "keep");
        assertThatThrownBy(() -> LocalRun.run(new String[] {"--workdir", mine.toString(), "--duration", "1"}))
                .isInstanceOf(WorkDir.Refused.class);
        try (var left = Files.list(mine)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly("notes.txt");
        }
    }
}
