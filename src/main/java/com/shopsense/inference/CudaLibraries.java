package com.shopsense.inference;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the CUDA user-space libraries that ONNX Runtime's CUDA provider loads, the way the dynamic
 * loader would look for them (LD_LIBRARY_PATH, ld.so.conf directories, the system directories). Asking
 * first means a CPU-only machine gets one clear line naming what is missing instead of ONNX Runtime's
 * native error for every model it loads.
 */
public final class CudaLibraries {
    /** What onnxruntime_gpu 1.29's CUDA provider links against or opens (driver, runtime, cuBLAS, cuDNN...). */
    public static final List<String> REQUIRED = List.of("libcuda.so.1", "libcudart.so.12", "libcublas.so.12",
            "libcublasLt.so.12", "libcurand.so.10", "libcufft.so.11", "libcudnn.so.9");

    /** Where each library was found (real path), and which were not. */
    public record Result(Map<String, Path> found, List<String> missing) {
        public boolean complete() {
            return missing.isEmpty();
        }

        /** e.g. "libcudart.so.12 -> /usr/local/cuda/lib64/libcudart.so.12.4.127, ..." */
        public String describeFound() {
            List<String> parts = new ArrayList<>();
            found.forEach((name, path) -> parts.add(name + " -> " + path));
            return String.join(", ", parts);
        }
    }

    private CudaLibraries() {
    }

    /** Looks on this machine. */
    public static Result onThisMachine() {
        return find(REQUIRED, searchPath(System.getenv("LD_LIBRARY_PATH"), Path.of("/etc")));
    }

    /** Looks for {@code names} in {@code dirs}, first match wins (as the loader does). */
    public static Result find(List<String> names, List<Path> dirs) {
        Map<String, Path> found = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (String name : names) {
            Optional<Path> hit = dirs.stream().map(d -> d.resolve(name)).filter(Files::exists).findFirst();
            if (hit.isPresent()) {
                found.put(name, realPath(hit.get()));
            } else {
                missing.add(name);
            }
        }
        return new Result(found, missing);
    }

    /** LD_LIBRARY_PATH, then the directories of etc/ld.so.conf(.d), then the usual system and CUDA ones. */
    static List<Path> searchPath(String ldLibraryPath, Path etc) {
        Set<Path> dirs = new LinkedHashSet<>();
        if (ldLibraryPath != null) {
            for (String d : ldLibraryPath.split(":")) {
                if (!d.isBlank()) {
                    dirs.add(Path.of(d));
                }
            }
        }
        dirs.addAll(ldSoConf(etc.resolve("ld.so.conf"), etc));
        for (String d : List.of("/lib", "/usr/lib", "/lib64", "/usr/lib64", "/lib/x86_64-linux-gnu",
                "/usr/lib/x86_64-linux-gnu", "/usr/local/cuda/lib64", "/usr/local/cuda/targets/x86_64-linux/lib",
                "/usr/lib/wsl/lib")) {
            dirs.add(Path.of(d));
        }
        return new ArrayList<>(dirs);
    }

    private static List<Path> ldSoConf(Path file, Path etc) {
        List<Path> dirs = new ArrayList<>();
        if (!Files.isReadable(file)) {
            return dirs;
        }
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String l = line.strip();
                if (l.startsWith("include ")) {
                    String pattern = l.substring("include ".length()).strip();
                    Path glob = Path.of(pattern).isAbsolute() ? Path.of(pattern) : etc.resolve(pattern);
                    Path parent = glob.getParent();
                    if (parent != null && Files.isDirectory(parent)) {
                        try (DirectoryStream<Path> s = Files.newDirectoryStream(parent, glob.getFileName().toString())) {
                            for (Path p : s) {
                                dirs.addAll(ldSoConf(p, etc));
                            }
                        }
                    }
                } else if (!l.isEmpty() && !l.startsWith("#")) {
                    dirs.add(Path.of(l));
                }
            }
        } catch (IOException | RuntimeException e) {
            // An unreadable loader configuration only narrows the search; the system directories remain.
        }
        return dirs;
    }

    private static Path realPath(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p;
        }
    }
}
