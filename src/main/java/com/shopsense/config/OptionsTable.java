package com.shopsense.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.stream.Collectors;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.description.TextElement;
import org.apache.flink.util.TimeUtils;

/** The docs/configuration.md options table from {@link JobOptions#all()} (deploy/update-docs.sh writes it). */
public final class OptionsTable {
    /** The default column of an option without a default. */
    public static final String NO_DEFAULT = "(none)";

    private OptionsTable() {
    }

    public static String markdown() {
        StringBuilder b = new StringBuilder("| option | default | meaning |\n|---|---|---|\n");
        for (ConfigOption<?> o : JobOptions.all()) {
            b.append("| `").append(o.key()).append("` | ")
                    .append(o.hasDefaultValue() ? "`" + format(o.defaultValue()) + "`" : NO_DEFAULT).append(" | ")
                    .append(description(o).replace("|", "\\|")).append(" |\n");
        }
        return b.toString();
    }

    /** A typed value in the spelling the options accept: durations as {@code 30 min}, {@code 0 s}, {@code 90 d}. */
    public static String format(Object value) {
        if (value instanceof Duration d) {
            return d.isZero() ? "0 s" : TimeUtils.formatWithHighestUnit(d);
        }
        if (value instanceof Double d) {
            return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
        }
        return String.valueOf(value);
    }

    /** The option's description as plain text (the options describe themselves with plain text only). */
    public static String description(ConfigOption<?> o) {
        return o.description().getBlocks().stream().map(block -> {
            if (!(block instanceof TextElement t) || !t.getElements().isEmpty()) {
                throw new IllegalStateException(o.key() + ": only plain-text descriptions are rendered");
            }
            return t.getFormat();
        }).collect(Collectors.joining(" "));
    }

    public static void main(String[] args) {
        System.out.print(markdown());
    }
}
