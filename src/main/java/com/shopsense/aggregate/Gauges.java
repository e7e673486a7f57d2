package com.shopsense.aggregate;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;

/**
 * The gauges a {@link TotalsAggregator} registers for each key, under the group {@code <groupKey>=<key>}
 * (e.g. {@code fraudModelVersion.v3.alertPrecision}): each reads one number from the key's latest totals.
 *
 * <p>Declare them with {@link #gauge}, one call per metric, so the names stay greppable for
 * {@code DocsInSyncTest} (every registered metric must be in docs/metrics.md).
 */
public final class Gauges<T> implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Reads one gauge's value from a key's totals; serializable, as it ships with the job graph. */
    @FunctionalInterface
    public interface Reading<T> extends Serializable {
        Number of(T totals);
    }

    private record Named<T>(String name, Reading<T> reading) implements Serializable {
    }

    private final String groupKey;
    private final List<Named<T>> gauges;

    private Gauges(String groupKey, List<Named<T>> gauges) {
        this.groupKey = groupKey;
        this.gauges = gauges;
    }

    /** No gauges yet, under the group key {@code groupKey} (the key's value becomes the group's value). */
    public static <T> Gauges<T> under(String groupKey) {
        return new Gauges<>(Objects.requireNonNull(groupKey, "groupKey"), List.of());
    }

    /** These gauges and one more, {@code name}, reading {@code reading} of the latest totals. */
    public Gauges<T> gauge(String name, Reading<T> reading) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(reading, "reading");
        if (gauges.stream().anyMatch(g -> g.name().equals(name))) {
            throw new IllegalArgumentException("gauge " + name + " is declared twice under " + groupKey);
        }
        List<Named<T>> more = new ArrayList<>(gauges);
        more.add(new Named<>(name, reading));
        return new Gauges<>(groupKey, Collections.unmodifiableList(more));
    }

    public String groupKey() {
        return groupKey;
    }

    /** The gauge names, in declaration order. */
    public List<String> names() {
        return gauges.stream().map(Named::name).toList();
    }

    /**
     * Registers this key's gauges under {@code metrics}; each reads the totals {@code latest} returns when
     * the reporter asks (from the reporter's thread, so {@code latest} must be thread-safe).
     */
    void register(MetricGroup metrics, String key, java.util.function.Supplier<T> latest) {
        MetricGroup group = metrics.addGroup(groupKey, key);
        for (Named<T> g : gauges) {
            Reading<T> reading = g.reading();
            group.gauge(g.name(), (Gauge<Number>) () -> {
                T totals = latest.get();
                return totals == null ? null : reading.of(totals);
            });
        }
    }
}
