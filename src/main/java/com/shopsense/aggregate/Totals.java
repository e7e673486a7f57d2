package com.shopsense.aggregate;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;
import org.apache.flink.api.common.state.ValueStateDescriptor;

/**
 * What a {@link TotalsAggregator} sums and shows: the keyed state (its name and class: keep both when
 * refactoring, savepoints restore by them), how a delta is added to it, how the totals are read out of it,
 * the gauges per key, and how often the totals are emitted.
 *
 * <pre>{@code
 * Totals.<QualityDelta, QualityCounts, AlertQuality>inState("alert-quality", QualityCounts.class, QualityCounts::new)
 *         .add(QualityCounts::add)
 *         .snapshot((version, counts) -> counts.snapshot(version))
 *         .gauges(Gauges.<AlertQuality>under("fraudModelVersion").gauge("alerts", AlertQuality::alerts))
 * }</pre>
 *
 * Immutable; each step returns a new spec. {@link #add} and a snapshot are required.
 *
 * @param <D> the delta (input)
 * @param <S> the mutable state, a Flink POJO (public no-arg constructor, public fields)
 * @param <T> the totals (output, and what the gauges read)
 */
public final class Totals<D, S, T> implements Serializable {
    private static final long serialVersionUID = 1L;

    /** A fresh, zero state for a key seen for the first time. */
    @FunctionalInterface
    public interface Empty<S> extends Serializable {
        S create();
    }

    /** Applies one delta to the state, in place. */
    @FunctionalInterface
    public interface Add<S, D> extends Serializable {
        void add(S state, D delta);
    }

    /** The totals of {@code key} as they stand in {@code state}. */
    @FunctionalInterface
    public interface Snapshot<S, T> extends Serializable {
        T of(String key, S state);
    }

    /** The totals of {@code key} just after {@code delta} was added to {@code state}. */
    @FunctionalInterface
    public interface SnapshotAfter<S, D, T> extends Serializable {
        T of(String key, S state, D delta);
    }

    final String stateName;
    final Class<S> stateClass;
    final Empty<S> empty;
    final Add<S, D> add;
    /** Exactly one of snapshot and snapshotAfter is set once the spec is complete. */
    final Snapshot<S, T> snapshot;
    final SnapshotAfter<S, D, T> snapshotAfter;
    final Gauges<T> gauges;
    /** Null: emit after every change. */
    final Duration emitEvery;

    private Totals(String stateName, Class<S> stateClass, Empty<S> empty, Add<S, D> add, Snapshot<S, T> snapshot,
            SnapshotAfter<S, D, T> snapshotAfter, Gauges<T> gauges, Duration emitEvery) {
        this.stateName = stateName;
        this.stateClass = stateClass;
        this.empty = empty;
        this.add = add;
        this.snapshot = snapshot;
        this.snapshotAfter = snapshotAfter;
        this.gauges = gauges;
        this.emitEvery = emitEvery;
    }

    /** Totals kept per key in the value state {@code stateName} of {@code stateClass}. */
    public static <D, S, T> Totals<D, S, T> inState(String stateName, Class<S> stateClass, Empty<S> empty) {
        return new Totals<>(Objects.requireNonNull(stateName, "stateName"), Objects.requireNonNull(stateClass,
                "stateClass"), Objects.requireNonNull(empty, "empty"), null, null, null, null, null);
    }

    public Totals<D, S, T> add(Add<S, D> add) {
        return new Totals<>(stateName, stateClass, empty, Objects.requireNonNull(add, "add"), snapshot, snapshotAfter,
                gauges, emitEvery);
    }

    /** Totals read from the state alone (the usual case; required for {@link #emitEvery}). */
    public Totals<D, S, T> snapshot(Snapshot<S, T> snapshot) {
        return new Totals<>(stateName, stateClass, empty, add, Objects.requireNonNull(snapshot, "snapshot"), null,
                gauges, emitEvery);
    }

    /** Totals that also carry something of the delta that changed them (e.g. its event time). */
    public Totals<D, S, T> snapshotAfter(SnapshotAfter<S, D, T> snapshotAfter) {
        return new Totals<>(stateName, stateClass, empty, add, null,
                Objects.requireNonNull(snapshotAfter, "snapshotAfter"), gauges, emitEvery);
    }

    /** The gauges to register per key, on the key's first delta in this subtask. */
    public Totals<D, S, T> gauges(Gauges<T> gauges) {
        return new Totals<>(stateName, stateClass, empty, add, snapshot, snapshotAfter,
                Objects.requireNonNull(gauges, "gauges"), emitEvery);
    }

    /**
     * Emit at most once per key and {@code interval} of event time (at the interval's end, by an event-time
     * timer) instead of after every change; deltas without a timestamp are still emitted at once. The gauges
     * follow every change either way.
     */
    public Totals<D, S, T> emitEvery(Duration interval) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("emitEvery must be positive: " + interval);
        }
        return new Totals<>(stateName, stateClass, empty, add, snapshot, snapshotAfter, gauges, interval);
    }

    /** The descriptor of the keyed state, exactly as the aggregators declared it before this helper. */
    ValueStateDescriptor<S> stateDescriptor() {
        return new ValueStateDescriptor<>(stateName, stateClass);
    }

    /** Fails fast, at job build time, on an incomplete or contradictory spec. */
    Totals<D, S, T> checked() {
        if (add == null) {
            throw new IllegalStateException("Totals '" + stateName + "': add(...) is missing");
        }
        if (snapshot == null && snapshotAfter == null) {
            throw new IllegalStateException("Totals '" + stateName + "': snapshot(...) is missing");
        }
        if (emitEvery != null && snapshot == null) {
            throw new IllegalStateException("Totals '" + stateName + "': emitEvery emits from a timer, where no "
                    + "delta is at hand; use snapshot(key, state), not snapshotAfter");
        }
        return this;
    }
}
