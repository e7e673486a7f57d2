package com.shopsense.config;

/** The docs/configuration.md options table from {@link JobOptions#all()} (deploy/update-docs.sh writes it). */
public final class OptionsTable {
    private OptionsTable() {
    }

    public static String markdown() {
        StringBuilder b = new StringBuilder("| option | default | meaning |\n|---|---|---|\n");
        for (JobOption o : JobOptions.all()) {
            b.append("| `").append(o.key()).append("` | `").append(o.defaultValue()).append("` | ")
                    .append(o.description().replace("|", "\\|")).append(" |\n");
        }
        return b.toString();
    }

    public static void main(String[] args) {
        System.out.print(markdown());
    }
}
