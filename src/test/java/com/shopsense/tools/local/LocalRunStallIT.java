package com.shopsense.tools.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 30 s Redis stall (its redis-server SIGSTOPped, then SIGCONTed) in the middle of a local run: the
 * progress line says "Redis unreachable" instead of the run's own monitoring ending it, the job rides
 * it out (sink retries or a restart from a checkpoint), and the run ends on --duration with a healthy
 * summary.
 */
class LocalRunStallIT {
    @TempDir
    Path work;

    @Test
    void aThirtySecondRedisStallIsReportedAndTheRunFinishesHealthy() throws Exception {
        try (LocalRunChild run = LocalRunChild.start(work, "--duration", "70")) {
            run.await(0, l -> l.startsWith("[") && l.contains("job running"), Duration.ofSeconds(150), "with the job running");
            long redis = run.children().redis().pid();

            int before = run.lineCount();
            LocalRunChild.signal(redis, "STOP");
            long stoppedAt = System.nanoTime();
            try {
                run.await(before, l -> l.startsWith("[") && l.contains("| Redis unreachable |"), Duration.ofSeconds(25),
                        "saying Redis is unreachable");
                long left = TimeUnit.SECONDS.toNanos(30) - (System.nanoTime() - stoppedAt);
                Thread.sleep(Math.max(0, TimeUnit.NANOSECONDS.toMillis(left)));
                assertThat(run.process().isAlive()).as("the run survived the stall").isTrue();
            } finally {
                LocalRunChild.signal(redis, "CONT");
            }
            int after = run.lineCount();
            run.await(after, l -> l.startsWith("[") && l.contains("| users scored "), Duration.ofSeconds(30),
                    "with Redis counts again");

            assertThat(run.process().waitFor(120, TimeUnit.SECONDS)).as("the run ended on --duration").isTrue();
            String out = run.output();
            assertThat(out).contains("=== ShopSense local run summary").contains("RESULT: OK");
            assertThat(run.process().exitValue()).as(out).isZero();
        }
    }
}
