package com.shopsense.tools.local;

import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One progress line of the local run, from what its monitors could read this round. A monitor that
 * could not read (Redis or the broker stalled, the job's metrics not there yet) says so in the line
 * instead of failing the run or printing a stale or made-up number.
 *
 * <pre>
 * [  30s] job running (restarts 0) | in 60,123 (3,001/s) | sessions closed 9,876 | users scored 41,002 | reco lists 39,870 | alerts 512 | DLQ 15 | lag 0 | batch/latency: ...
 * [  95s] job restarting (restarts 2) | in 100,000 (replay finished) | sessions closed 9,876 | Redis unreachable | alerts 512 | DLQ 15 | broker unreachable | batch/latency: ...
 * </pre>
 */
record ProgressLine(double elapsedS, JobWatch.State job, long sent, double ratePerS, boolean replayFinished,
        long sessionsClosed, Optional<RedisKeyCounts.Counts> redis, long alerts, long deadLetters, KafkaLag.Lag lag,
        String inference) {

    String format() {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "[%4.0fs] %s | in %,d ", elapsedS, job(job), sent));
        b.append(replayFinished ? "(replay finished)" : String.format(Locale.ROOT, "(%,.0f/s)", ratePerS));
        b.append(String.format(Locale.ROOT, " | sessions closed %,d | ", sessionsClosed));
        b.append(redis.map(c -> String.format(Locale.ROOT, "users scored %,d | reco lists %,d", c.scores(), c.reco()))
                .orElse("Redis unreachable"));
        b.append(String.format(Locale.ROOT, " | alerts %,d | DLQ %,d | %s", alerts, deadLetters, lag(lag)));
        if (!inference.isEmpty()) {
            b.append(" | ").append(inference);
        }
        return b.toString();
    }

    static String job(JobWatch.State s) {
        if (s.status().isEmpty()) {
            return "job status unknown";
        }
        OptionalLong r = s.restarts();
        return "job " + s.status().get().name().toLowerCase(Locale.ROOT) + " (restarts "
                + (r.isPresent() ? String.format(Locale.ROOT, "%,d", r.getAsLong()) : "?") + ")";
    }

    static String lag(KafkaLag.Lag l) {
        return switch (l.kind()) {
            case KNOWN -> String.format(Locale.ROOT, "lag %,d", l.records());
            case NO_OFFSETS -> "lag n/a"; // the job commits offsets with its first checkpoint: 0 would be a guess
            case UNREACHABLE -> "broker unreachable";
        };
    }
}
