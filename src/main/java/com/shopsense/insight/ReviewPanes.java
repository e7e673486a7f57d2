package com.shopsense.insight;

import java.util.Arrays;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * What {@link ReviewWindowAggregator} keeps per product or category while it has reviews in the window: one
 * pane per slide with reviews, in pane order (parallel arrays), and the model version of the newest scored review.
 * Serialized by {@link ReviewPanesSerializer}: a new field needs a new format there.
 */
@TypeInfo(ReviewPanesSerializer.Factory.class)
public class ReviewPanes {
    /** Pane starts, ascending; the sums of each pane at the same index. */
    public long[] starts = new long[0];
    public long[] reviews = new long[0];
    public long[] rated = new long[0];
    public long[] ratingSum = new long[0];
    public long[] scored = new long[0];
    public long[] negatives = new long[0];
    public double[] sentimentSum = new double[0];
    public String modelVersion;
    public long modelTs = Long.MIN_VALUE;

    public void add(long paneStart, ReviewFact f) {
        int i = Arrays.binarySearch(starts, paneStart);
        if (i < 0) {
            i = -i - 1;
            starts = insert(starts, i, paneStart);
            reviews = insert(reviews, i, 0);
            rated = insert(rated, i, 0);
            ratingSum = insert(ratingSum, i, 0);
            scored = insert(scored, i, 0);
            negatives = insert(negatives, i, 0);
            double[] s = new double[sentimentSum.length + 1];
            System.arraycopy(sentimentSum, 0, s, 0, i);
            System.arraycopy(sentimentSum, i, s, i + 1, sentimentSum.length - i);
            sentimentSum = s;
        }
        reviews[i]++;
        if (f.rating() > 0) {
            rated[i]++;
            ratingSum[i] += f.rating();
        }
        if (!Double.isNaN(f.sentiment())) {
            scored[i]++;
            sentimentSum[i] += f.sentiment();
            if (f.negative()) {
                negatives[i]++;
            }
            if (f.ts() >= modelTs) {
                modelTs = f.ts();
                modelVersion = f.modelVersion();
            }
        }
    }

    /** Forgets the panes that start before {@code from}. */
    public void dropBefore(long from) {
        int n = 0;
        while (n < starts.length && starts[n] < from) {
            n++;
        }
        if (n > 0) {
            starts = Arrays.copyOfRange(starts, n, starts.length);
            reviews = Arrays.copyOfRange(reviews, n, reviews.length);
            rated = Arrays.copyOfRange(rated, n, rated.length);
            ratingSum = Arrays.copyOfRange(ratingSum, n, ratingSum.length);
            scored = Arrays.copyOfRange(scored, n, scored.length);
            negatives = Arrays.copyOfRange(negatives, n, negatives.length);
            sentimentSum = Arrays.copyOfRange(sentimentSum, n, sentimentSum.length);
        }
    }

    /** The window ending at {@code windowEnd}: the sums of its panes, oldest first. */
    public ReviewWindow window(String scope, String id, long windowEnd, ReviewWindowSpec spec) {
        long n = 0;
        long r = 0;
        long rs = 0;
        long sc = 0;
        long neg = 0;
        double sent = 0;
        for (int i = 0; i < starts.length; i++) {
            if (spec.inWindow(starts[i], windowEnd)) {
                n += reviews[i];
                r += rated[i];
                rs += ratingSum[i];
                sc += scored[i];
                neg += negatives[i];
                sent += sentimentSum[i];
            }
        }
        return new ReviewWindow(scope, id, windowEnd, n, r, sc, r == 0 ? Double.NaN : (double) rs / r,
                sc == 0 ? Double.NaN : (double) neg / sc, sc == 0 ? Double.NaN : sent / sc,
                sc == 0 ? null : modelVersion);
    }

    public boolean isEmpty() {
        return starts.length == 0;
    }

    private static long[] insert(long[] a, int at, long v) {
        long[] b = new long[a.length + 1];
        System.arraycopy(a, 0, b, 0, at);
        b[at] = v;
        System.arraycopy(a, at, b, at + 1, a.length - at);
        return b;
    }
}
