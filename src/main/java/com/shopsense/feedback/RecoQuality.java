package com.shopsense.feedback;

/**
 * Online quality of recommendation lists of one source (docs/models.md, "Online recommendation quality"): of the
 * lists evaluated against their user's next item event, how many held that item in their top {@link #K}
 * (HitRate@20) and the mean reciprocal rank of it there (MRR@20, 0 for a miss).
 *
 * <p>Reciprocal ranks are summed as exact integers in units of 1/{@link #RR_UNIT}: 232,792,560 is the least
 * common multiple of 1..20, so 1/rank is a whole number of units for every rank that can count. A double sum
 * would depend on the order in which deltas are added (the combiner and the shuffle reorder them), and totals
 * must be the same on every replay and restore.
 *
 * @param lists lists evaluated (each at most once, against the first item event after it)
 * @param hits of those, lists whose top {@link #K} held the next item
 * @param rrUnits sum of 1/rank over the hits, in units of 1/{@link #RR_UNIT}
 */
public record RecoQuality(long lists, long hits, long rrUnits) {
    /** The cut-off: HitRate@K and MRR@K. */
    public static final int K = 20;
    /** lcm(1, ..., 20): 1/rank for rank 1..K is RR_UNIT / rank units exactly. */
    public static final long RR_UNIT = 232_792_560L;
    public static final RecoQuality NONE = new RecoQuality(0, 0, 0);

    /** One list evaluated: the next item at {@code rank} (1 = best), or 0 when not in the top {@link #K}. */
    static RecoQuality evaluated(int rank) {
        return rank >= 1 && rank <= K ? new RecoQuality(1, 1, RR_UNIT / rank) : new RecoQuality(1, 0, 0);
    }

    RecoQuality plus(RecoQuality o) {
        return new RecoQuality(lists + o.lists, hits + o.hits, rrUnits + o.rrUnits);
    }

    /** HitRate@20: hits per list evaluated, 0 when none was. */
    public double hitRate() {
        return lists == 0 ? 0.0 : (double) hits / lists;
    }

    /** MRR@20: the mean of 1/rank (0 for a miss) over the lists evaluated, 0 when none was. */
    public double mrr() {
        return lists == 0 ? 0.0 : (double) rrUnits / RR_UNIT / lists;
    }
}
