package com.shopsense.insight;

import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * One product's surge rule state, in its reviews' event-time order: the negative flags of its last N scored
 * reviews (a ring), the counts of the reviews before them (the long run) and whether a surge may be raised (armed:
 * a surge is raised once, and re-armed when the recent share no longer exceeds the long-run share by the margin).
 * {@link #offer} is the whole rule. Serialized by {@link ReviewSurgeStateSerializer}.
 */
@TypeInfo(ReviewSurgeStateSerializer.Factory.class)
public class ReviewSurgeState {
    /** The last flags, 1 = negative; {@code ring[(next - 1) mod N]} is the newest once full. */
    public byte[] ring = new byte[0];
    public int size;
    public int next;
    public int recentNegatives;
    public long longRun;
    public long longRunNegatives;
    public boolean armed = true;

    /** What the rule saw after one review: whether it raises a surge now, and the shares it compared. */
    public record Decision(boolean surge, int recentReviews, double recentShare, long longRunReviews,
            double longRunShare) {
    }

    /** Adds the product's next scored review (event-time order) and decides. */
    public Decision offer(boolean negative, ReviewSurgeSpec spec) {
        if (ring.length != spec.lastN()) {
            resize(spec.lastN());
        }
        byte flag = (byte) (negative ? 1 : 0);
        if (size == ring.length) {
            byte oldest = ring[next];
            longRun++;
            longRunNegatives += oldest;
            recentNegatives -= oldest;
        } else {
            size++;
        }
        ring[next] = flag;
        next = (next + 1) % ring.length;
        recentNegatives += flag;
        double recentShare = (double) recentNegatives / size;
        double longRunShare = longRun == 0 ? Double.NaN : (double) longRunNegatives / longRun;
        boolean exceeds = size == ring.length && longRun >= spec.minReviews()
                && recentShare > longRunShare + spec.margin();
        boolean surge = exceeds && armed;
        armed = !exceeds;
        return new Decision(surge, size, recentShare, longRun, longRunShare);
    }

    /**
     * review.surge.last-n changed across a restore: the newest flags that fit stay recent, older ones join the
     * long run (in order), so the counts stay those of the same reviews.
     */
    private void resize(int n) {
        byte[] newest = new byte[size];
        for (int i = 0; i < size; i++) {
            newest[i] = ring[Math.floorMod(next - size + i, ring.length)];
        }
        int keep = Math.min(size, n);
        for (int i = 0; i < size - keep; i++) {
            longRun++;
            longRunNegatives += newest[i];
        }
        ring = new byte[n];
        recentNegatives = 0;
        for (int i = 0; i < keep; i++) {
            ring[i] = newest[size - keep + i];
            recentNegatives += ring[i];
        }
        size = keep;
        next = keep % n;
    }
}
