package com.shopsense.inference;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Where model files come from: a directory ({@code models.dir=/path}) or the job JAR
 * ({@code models.dir=classpath:onnx-models}). Errors name the file.
 */
public final class ModelSource implements Serializable {
    private static final String CLASSPATH = "classpath:";
    private final String location;

    public ModelSource(String location) {
        this.location = location;
    }

    public String describe(String file) {
        return location.startsWith(CLASSPATH) ? location + "/" + file : Path.of(location, file).toAbsolutePath().toString();
    }

    public byte[] read(String file) {
        try {
            if (location.startsWith(CLASSPATH)) {
                String resource = location.substring(CLASSPATH.length()) + "/" + file;
                try (InputStream in = ModelSource.class.getClassLoader().getResourceAsStream(resource)) {
                    if (in == null) {
                        throw new ModelLoadException("model file not found: " + describe(file), null);
                    }
                    return in.readAllBytes();
                }
            }
            return Files.readAllBytes(Path.of(location, file));
        } catch (NoSuchFileException e) {
            throw new ModelLoadException("model file not found: " + describe(file), e);
        } catch (IOException e) {
            throw new ModelLoadException("cannot read model file " + describe(file) + ": " + e.getMessage(), e);
        }
    }

    /** Local path of a file, for files that loaders want as a path (directories only). */
    public Path path(String file) {
        if (location.startsWith(CLASSPATH)) {
            throw new UnsupportedOperationException("no path for classpath models");
        }
        return Path.of(location, file);
    }

    public String location() {
        return location;
    }
}
