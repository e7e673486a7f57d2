package com.shopsense.loadtest;

import com.shopsense.event.EventLimits;
import com.shopsense.event.ShopEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How dense a replay's users are: events per user and per session (the job's rule: a session ends at a gap of
 * {@code session.gap} or at {@code session.max-duration} from its start), over the events the job accepts (before
 * year 2000: dropped as invalid). Copies with remapped users repeat the same users side by side, so the
 * distribution is the base replay's and only the counts scale with the copies.
 */
final class WorkloadShape {
    private WorkloadShape() {
    }

    static Map<String, Object> of(String workload, List<ShopEvent> base, int copies, Duration gap,
            Duration maxDuration) {
        Map<String, List<Long>> byUser = new HashMap<>();
        Map<String, Long> types = new TreeMap<>();
        long valid = 0;
        for (ShopEvent e : base) {
            if (e.timestampMs() < EventLimits.YEAR_2000_MS) {
                continue;
            }
            valid++;
            byUser.computeIfAbsent(e.userId(), u -> new ArrayList<>()).add(e.timestampMs());
            types.merge(e.type().name().toLowerCase(java.util.Locale.ROOT), (long) copies, Long::sum);
        }
        long[] perUser = new long[byUser.size()];
        List<Long> perSession = new ArrayList<>();
        int i = 0;
        for (List<Long> ts : byUser.values()) {
            perUser[i++] = ts.size();
            long[] t = ts.stream().mapToLong(Long::longValue).sorted().toArray();
            sessions(t, gap.toMillis(), maxDuration.toMillis(), perSession);
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("name", workload);
        r.put("copies", copies);
        r.put("events", valid * copies);
        r.put("users", (long) byUser.size() * copies);
        r.put("sessions", (long) perSession.size() * copies);
        r.put("eventTypes", types);
        r.put("eventsPerUser", distribution(perUser));
        r.put("eventsPerSession", distribution(perSession.stream().mapToLong(Long::longValue).toArray()));
        r.put("sessionRule", "gap " + gap + ", max duration " + maxDuration + " (event time)");
        return r;
    }

    /** Adds the sizes of the sessions of one user's sorted event times to {@code out}. */
    static void sessions(long[] sortedTs, long gapMs, long maxDurationMs, List<Long> out) {
        long n = 0;
        long start = 0;
        long last = 0;
        for (long t : sortedTs) {
            if (n > 0 && (t >= last + gapMs || t >= start + maxDurationMs)) {
                out.add(n);
                n = 0;
            }
            if (n == 0) {
                start = t;
            }
            n++;
            last = t;
        }
        if (n > 0) {
            out.add(n);
        }
    }

    /** Mean and nearest-rank p50 / p90 / p99 / max. */
    static Map<String, Object> distribution(long[] values) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("n", values.length);
        if (values.length == 0) {
            return r;
        }
        long[] v = values.clone();
        Arrays.sort(v);
        r.put("mean", Arrays.stream(v).sum() / (double) v.length);
        r.put("p50", rank(v, 0.50));
        r.put("p90", rank(v, 0.90));
        r.put("p99", rank(v, 0.99));
        r.put("max", v[v.length - 1]);
        return r;
    }

    private static long rank(long[] sorted, double q) {
        return sorted[(int) Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
    }
}
