package com.shopsense.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.shopsense.config.JobOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.configuration.ConfigOption;
import org.junit.jupiter.api.Test;

/** docs/event-contract.md and the code name the same reason codes and options. */
class EventContractDocTest {
    private final String doc = read();

    private static String read() {
        try {
            return Files.readString(Path.of("docs/event-contract.md"));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private String badRecordTable() {
        int start = doc.indexOf("### What a bad record gets");
        return doc.substring(start, doc.indexOf("\n### ", start + 1));
    }

    @Test
    void everyReasonCodeHasARowInTheBadRecordTable() {
        String table = badRecordTable();
        for (String code : ReasonCodes.ALL) {
            assertThat(table).as("a row for %s", code).containsPattern("\\| `" + Pattern.quote(code) + "` \\|");
        }
    }

    @Test
    void theTableNamesNoCodeTheCodeDoesNotHave() {
        Matcher m = Pattern.compile("\\| `([a-z_]+)` \\| (?:empty value|the |any|stage)").matcher(badRecordTable());
        while (m.find()) {
            assertThat(ReasonCodes.ALL).contains(m.group(1));
        }
    }

    @Test
    void everyOptionTheDocNamesExists() {
        Matcher m = Pattern.compile("`((?:event|session)\\.[a-z-]+|dlq\\.max-[a-z-]+)`").matcher(doc);
        while (m.find()) {
            String key = m.group(1);
            assertThat(JobOptions.all().stream().map(ConfigOption::key))
                    .as("option %s", key).contains(key);
        }
    }
}
