package com.shopsense.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * Secret option values by reference, so that passwords stay out of command lines, properties files and
 * the job's printed configuration: {@code env:NAME} is the environment variable NAME, {@code file:PATH}
 * the content of the file PATH (one trailing line break dropped, as {@code echo} and Kubernetes secret
 * files add one). Any other value is taken literally. Errors name the option and the reference, never
 * a value.
 */
public final class Secrets {
    public static final String ENV = "env:";
    public static final String FILE = "file:";

    private Secrets() {
    }

    /** True for {@code env:...} and {@code file:...}: the value names where the secret is, it is not the secret. */
    public static boolean isReference(String value) {
        return value != null && (value.startsWith(ENV) || value.startsWith(FILE));
    }

    /** The value of {@code option}, resolved in this process's environment and file system. */
    public static String resolve(String option, String value) {
        return resolve(option, value, System::getenv);
    }

    static String resolve(String option, String value, UnaryOperator<String> env) {
        if (value == null) {
            return null;
        }
        if (value.startsWith(ENV)) {
            String name = value.substring(ENV.length());
            String v = env.apply(name);
            if (v == null) {
                throw new IllegalStateException(option + ": environment variable " + name + " is not set");
            }
            return v;
        }
        if (value.startsWith(FILE)) {
            Path file = Path.of(value.substring(FILE.length()));
            try {
                return dropTrailingLineBreak(Files.readString(file, StandardCharsets.UTF_8));
            } catch (IOException | RuntimeException e) {
                throw new IllegalStateException(option + ": cannot read secret file " + file + " ("
                        + e.getClass().getSimpleName() + ")", e);
            }
        }
        return value;
    }

    private static String dropTrailingLineBreak(String s) {
        if (s.endsWith("\r\n")) {
            return s.substring(0, s.length() - 2);
        }
        return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
    }
}
