package com.shopsense.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CudaLibrariesTest {
    @Test
    void namesWhatIsMissingAndWhereTheRestWasFoundFirstDirectoryWins(@TempDir Path tmp) throws Exception {
        Path first = Files.createDirectories(tmp.resolve("first"));
        Path second = Files.createDirectories(tmp.resolve("second"));
        Files.createFile(second.resolve("libcudart.so.12"));
        Files.createFile(first.resolve("libcudart.so.12"));
        Files.createFile(second.resolve("libcuda.so.1"));

        CudaLibraries.Result r = CudaLibraries.find(List.of("libcuda.so.1", "libcudart.so.12", "libcublasLt.so.12"),
                List.of(first, second));

        assertThat(r.complete()).isFalse();
        assertThat(r.missing()).containsExactly("libcublasLt.so.12");
        assertThat(r.found().get("libcudart.so.12")).isEqualTo(first.resolve("libcudart.so.12").toRealPath());
        assertThat(r.found().get("libcuda.so.1")).isEqualTo(second.resolve("libcuda.so.1").toRealPath());
    }

    @Test
    void aSymlinkIsReportedAsTheFileItPointsTo(@TempDir Path tmp) throws Exception {
        Path real = Files.createFile(tmp.resolve("libcudart.so.12.4.127"));
        Files.createSymbolicLink(tmp.resolve("libcudart.so.12"), real);
        CudaLibraries.Result r = CudaLibraries.find(List.of("libcudart.so.12"), List.of(tmp));
        assertThat(r.complete()).isTrue();
        assertThat(r.describeFound()).isEqualTo("libcudart.so.12 -> " + real.toRealPath());
    }

    @Test
    void searchesLdLibraryPathThenTheLoaderConfigurationThenSystemDirectories(@TempDir Path etc) throws Exception {
        Files.createDirectories(etc.resolve("ld.so.conf.d"));
        Files.writeString(etc.resolve("ld.so.conf"), "# comment\ninclude ld.so.conf.d/*.conf\n/opt/direct\n");
        Files.writeString(etc.resolve("ld.so.conf.d/cuda.conf"), "/usr/local/cuda-12.4/lib64\n\n");
        Files.writeString(etc.resolve("ld.so.conf.d/ignored.txt"), "/not/included\n");

        List<Path> dirs = CudaLibraries.searchPath("/env/a::/env/b", etc);

        assertThat(dirs).startsWith(Path.of("/env/a"), Path.of("/env/b"), Path.of("/usr/local/cuda-12.4/lib64"),
                Path.of("/opt/direct"));
        assertThat(dirs).contains(Path.of("/usr/lib/x86_64-linux-gnu"), Path.of("/usr/local/cuda/lib64"))
                .doesNotContain(Path.of("/not/included"));
    }

    @Test
    void aMissingLoaderConfigurationStillSearchesTheSystemDirectories(@TempDir Path emptyEtc) {
        assertThat(CudaLibraries.searchPath(null, emptyEtc)).contains(Path.of("/usr/lib"), Path.of("/lib64"));
    }
}
