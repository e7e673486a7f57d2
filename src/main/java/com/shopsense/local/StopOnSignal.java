package com.shopsense.local;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ends the local run in order on SIGINT or SIGTERM to its PID (the JVM's shutdown hook), not only on a
 * terminal Ctrl-C that also signals the children. The JVM halts as soon as its shutdown hooks return,
 * so the hook asks the main thread to stop and waits for its cleanup (cancel the job, close the broker
 * and redis-server); if that does not finish within the grace period, it stops the registered child
 * processes itself, so none outlives the run.
 */
final class StopOnSignal implements AutoCloseable {
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch cleanedUp = new CountDownLatch(1);
    private final List<AutoCloseable> children = new CopyOnWriteArrayList<>();
    private final Thread hook;

    StopOnSignal(Duration grace) {
        hook = new Thread(() -> {
            stopRequested.countDown();
            try {
                if (!cleanedUp.await(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                    System.err.println("local run: cleanup not done after " + grace.toSeconds()
                            + " s, stopping the broker and redis-server directly");
                    closeChildren();
                }
            } catch (InterruptedException e) {
                closeChildren();
            }
        }, "local-run-stop");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** A child process the hook stops itself if the main thread's cleanup does not. */
    <T extends AutoCloseable> T child(T c) {
        children.add(c);
        return c;
    }

    boolean requested() {
        return stopRequested.getCount() == 0;
    }

    /** Waits up to {@code d}; true (early) when a stop was requested. */
    boolean await(Duration d) throws InterruptedException {
        return stopRequested.await(d.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void closeChildren() {
        for (AutoCloseable c : children) {
            try {
                c.close();
            } catch (Exception e) {
                System.err.println("local run: could not stop " + c + ": " + e);
            }
        }
    }

    /** Cleanup is done (children closed): a waiting hook returns, and on a normal end the hook goes away. */
    @Override
    public void close() {
        cleanedUp.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // a signal: the hook is running and returns now
        }
    }
}
