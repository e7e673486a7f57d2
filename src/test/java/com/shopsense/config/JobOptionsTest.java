package com.shopsense.config;

import static org.apache.flink.configuration.ConfigOptions.key;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.junit.jupiter.api.Test;

class JobOptionsTest {
    /** A stand-in for JobOptions with one more option declared, and fields that are not options. */
    static final class Holder {
        public static final ConfigOption<Duration> FIRST = key("test.first").durationType()
                .defaultValue(Duration.ofSeconds(1)).withDescription("First.");
        public static final String NOT_AN_OPTION = "test.string";
        private static final ConfigOption<Integer> PRIVATE = key("test.private").intType().defaultValue(1);
        public static ConfigOption<Integer> notFinal = key("test.not-final").intType().defaultValue(1);
        public static final ConfigOption<Integer> NEWLY_ADDED = key("test.newly-added").intType().noDefaultValue()
                .withDescription("Added last.");
    }

    @Test
    void aNewlyDeclaredOptionFieldIsDiscoveredInDeclarationOrder() {
        assertThat(JobOptions.discover(Holder.class)).containsOnlyKeys("test.first", "test.newly-added");
        assertThat(JobOptions.discover(Holder.class).keySet()).containsExactly("test.first", "test.newly-added");
        assertThat(JobOptions.discover(Holder.class).get("test.newly-added").type()).isEqualTo(Integer.class);
    }

    @Test
    void allIsEveryPublicStaticFinalOptionFieldOfJobOptions() throws Exception {
        List<Field> fields = Arrays.stream(JobOptions.class.getDeclaredFields())
                .filter(f -> f.getType() == ConfigOption.class && Modifier.isPublic(f.getModifiers())
                        && Modifier.isStatic(f.getModifiers()) && Modifier.isFinal(f.getModifiers()))
                .toList();
        assertThat(JobOptions.all()).hasSize(fields.size());
        for (Field f : fields) {
            assertThat(JobOptions.all()).as(f.getName()).contains((ConfigOption<?>) f.get(null));
        }
        assertThat(JobOptions.all().stream().map(ConfigOption::key).distinct()).hasSize(fields.size());
        assertThat(JobOptions.all().get(0)).isSameAs(JobOptions.KAFKA_BOOTSTRAP);
        assertThat(JobOptions.all()).contains(JobOptions.KAFKA_PROPERTIES);
    }

    @Test
    void everyOptionHasADescriptionAndADefaultOfItsDeclaredType() {
        for (ConfigOption<?> o : JobOptions.all()) {
            assertThat(OptionsTable.description(o)).as(o.key()).isNotBlank();
            if (o.hasDefaultValue()) {
                assertThat(o.defaultValue()).as(o.key()).isInstanceOf(JobOptions.declared(o.key()) != null
                        ? JobOptions.declared(o.key()).type() : String.class);
            }
        }
    }

    @Test
    void theDefaultsAreWrittenAsTheOptionsAcceptThem() {
        assertThat(OptionsTable.format(Duration.ofMinutes(30))).isEqualTo("30 min");
        assertThat(OptionsTable.format(Duration.ofDays(90))).isEqualTo("90 d");
        assertThat(OptionsTable.format(Duration.ZERO)).isEqualTo("0 s");
        assertThat(OptionsTable.format(Duration.ofMillis(20))).isEqualTo("20 ms");
        assertThat(OptionsTable.format(1_000_000.0)).isEqualTo("1000000");
        assertThat(OptionsTable.format(0.0)).isEqualTo("0");
        assertThat(OptionsTable.format(JobOptions.DELIVERY_GUARANTEE.defaultValue())).isEqualTo("exactly-once");
        assertThat(OptionsTable.format(JobOptions.STARTING_OFFSETS.defaultValue())).isEqualTo("committed");
        assertThat(OptionsTable.markdown()).contains("| `session.gap` | `30 min` |", "| `profile.ttl` | `90 d` |",
                "| `job.parallelism` | (none) |", "| `inference.provider` | `auto` |");
        // every default in the table reads back as the same value
        JobConfig c = JobConfig.of(JobOptions.all().stream().filter(ConfigOption::hasDefaultValue)
                .filter(o -> o != JobOptions.KAFKA_PROPERTIES)
                .collect(java.util.stream.Collectors.toMap(ConfigOption::key, o -> OptionsTable.format(o.defaultValue()))));
        for (ConfigOption<?> o : JobOptions.all()) {
            if (o.hasDefaultValue()) {
                assertThat((Object) c.get(o)).as(o.key()).isEqualTo(o.defaultValue());
            }
        }
    }
}
