package com.shopsense.tools.local;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ends the local run in order on SIGINT or SIGTERM to its PID, not only on a terminal Ctrl-C (which
 * signals the children too).
 *
 * <p>The signals are handled here rather than by the JVM's default (shutdown hooks), because the hooks
 * all start at once: ONNX Runtime's hook frees its native environment while the job's inference
 * threads still run in it, and the JVM died of SIGSEGV. So the first signal only asks the main thread
 * to stop: it cancels the job, closes the broker and redis-server, prints the summary, and then exits
 * with 128 + the signal number. A second signal stops the children at once and exits. A JVM exit of
 * any other kind (System.exit elsewhere, SIGHUP) still runs the shutdown hook, which waits for the
 * cleanup and stops the registered children itself if it does not finish within the grace period.
 */
final class StopOnSignal implements AutoCloseable {
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch cleanedUp = new CountDownLatch(1);
    private final List<AutoCloseable> children = new CopyOnWriteArrayList<>();
    private final AtomicInteger exitStatus = new AtomicInteger();
    private final Map<Signal, SignalHandler> previous = new HashMap<>();
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
        for (String name : List.of("INT", "TERM")) {
            Signal s = new Signal(name);
            try {
                previous.put(s, Signal.handle(s, this::onSignal));
            } catch (IllegalArgumentException ignoredFromStart) {
                // e.g. SIGINT of a job started with & by a non-interactive shell: the JVM leaves it ignored
            }
        }
    }

    private void onSignal(Signal s) {
        int status = 128 + s.getNumber();
        if (exitStatus.compareAndSet(0, status)) {
            System.out.println("SIG" + s.getName() + ": stopping the job, the broker and redis-server ...");
            stopRequested.countDown();
        } else {
            // Not in the signal dispatch thread: closing waits for the processes.
            new Thread(() -> {
                closeChildren();
                System.exit(status);
            }, "local-run-stop-now").start();
        }
    }

    /** A child process that is stopped directly when the orderly cleanup cannot be waited for. */
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

    /** 128 + the number of the signal that stopped the run (130 SIGINT, 143 SIGTERM), 0 when none did. */
    int exitStatus() {
        return exitStatus.get();
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

    /** Cleanup is done (children closed): the JVM's own signal handling comes back and the hook goes away. */
    @Override
    public void close() {
        cleanedUp.countDown();
        previous.forEach(Signal::handle);
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is exiting: the hook is running and returns now
        }
    }
}
