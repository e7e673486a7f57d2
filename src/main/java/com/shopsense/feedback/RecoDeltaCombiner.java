package com.shopsense.feedback;

import com.shopsense.aggregate.CombinedUntilWatermark;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Sums the A/B deltas per model version and pane of event time in memory, chained to the tracker, so that the
 * shuffle to the version-keyed aggregator (a few hot keys) carries one record per version and pane between two
 * watermarks instead of one per impression, click and conversion.
 *
 * <p>The pane is the aggregator's emission interval: a summed delta is stamped with its pane's start, so the
 * aggregator registers the same emission timers as for the single deltas, and since everything held is emitted
 * before the watermark that follows it, the aggregator's totals at each emission are the ones it had without
 * this operator. Sums are also emitted before every checkpoint barrier (the operator has no state to snapshot)
 * and at end of input. Deltas without a timestamp pass through at once.
 */
public class RecoDeltaCombiner extends CombinedUntilWatermark<RecoDelta, RecoDelta> {
    private static final long serialVersionUID = 1L;
    /** A guard, not a tuning knob: versions x panes between watermarks are few unless event time stalls. */
    private static final int MAX_SUMS = 4096;

    private final long paneMs;
    /** pane start -> version -> {impressions, clicks, conversions, model lists/hits/rr, trending lists/hits/rr} */
    private transient Map<Long, Map<String, long[]>> sums;
    private transient int count;
    private transient StreamRecord<RecoDelta> reuse;

    public RecoDeltaCombiner(Duration pane) {
        if (pane.isNegative() || pane.isZero()) {
            throw new IllegalArgumentException("pane must be positive: " + pane);
        }
        this.paneMs = pane.toMillis();
    }

    @Override
    public void open() throws Exception {
        super.open();
        sums = new HashMap<>();
        reuse = new StreamRecord<>(null);
    }

    @Override
    public void processElement(StreamRecord<RecoDelta> element) throws Exception {
        RecoDelta d = element.getValue();
        if (!element.hasTimestamp()) {
            output.collect(element);
            return;
        }
        long start = Math.floorDiv(element.getTimestamp(), paneMs) * paneMs;
        long[] s = sums.computeIfAbsent(start, k -> new HashMap<>()).get(d.modelVersion());
        if (s == null) {
            s = new long[9];
            sums.get(start).put(d.modelVersion(), s);
            count++;
        }
        s[0] += d.impressions();
        s[1] += d.clicks();
        s[2] += d.conversions();
        s[3] += d.model().lists();
        s[4] += d.model().hits();
        s[5] += d.model().rrUnits();
        s[6] += d.trending().lists();
        s[7] += d.trending().hits();
        s[8] += d.trending().rrUnits();
        if (count >= MAX_SUMS) {
            emitAll();
        }
    }

    @Override
    protected void emitAll() {
        if (count == 0) {
            return;
        }
        sums.forEach((start, byVersion) -> byVersion.forEach((version, s) ->
                output.collect(reuse.replace(new RecoDelta(version, s[0], s[1], s[2],
                        new RecoQuality(s[3], s[4], s[5]), new RecoQuality(s[6], s[7], s[8])), start))));
        sums.clear();
        count = 0;
    }
}
