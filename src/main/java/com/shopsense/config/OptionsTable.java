package com.shopsense.config;

/** Prints the README "Configuration" table from {@link JobOptions#all()} (run it after adding options). */
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
