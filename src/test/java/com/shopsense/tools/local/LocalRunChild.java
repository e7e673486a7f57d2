package com.shopsense.tools.local;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The local run's Java main in a child JVM (as deploy/run-local.sh execs it), its output collected
 * line by line, so tests can signal it and stall its children like a user or an operating system would.
 */
final class LocalRunChild implements AutoCloseable {
    private final Process process;
    private final List<String> lines = new ArrayList<>();
    private final Path log;
    /** Set once the child's output has ended (it exited): nothing more can match. */
    private boolean outputEnded;

    private LocalRunChild(Process process, Path log) {
        this.process = process;
        this.log = log;
        Thread reader = new Thread(this::collect, "local-run-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** A short replay (as LocalRunIT's) with the given extra arguments, in {@code work}. */
    static LocalRunChild start(Path work, String... extra) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx2g");
        // The Flink --add-opens this JVM got from the build (pom flinkJvmOpens), as the script passes them.
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-opens") || a.startsWith("--add-exports")).forEach(cmd::add);
        cmd.add("-Dlog4j.configurationFile=" + Path.of("deploy", "log4j2-local.properties").toAbsolutePath());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(LocalRun.class.getName());
        cmd.addAll(List.of("--rows", "20000", "--rate", "4000", "--fraud-every", "10", "--session.gap", "5 min",
                "--workdir", work.resolve("run").toString(), "--web-ui-port", "0", "--demo-port", "0",
                "--datasets", "")); // empty: the bundled demo slice, whatever SHOPSENSE_DATASETS says
        cmd.addAll(List.of(extra));
        Files.createDirectories(work);
        Path log = work.resolve("local-run.log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        return new LocalRunChild(p, log);
    }

    private void collect() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                synchronized (lines) {
                    lines.add(line);
                    lines.notifyAll();
                }
                Files.writeString(log, line + "\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                        java.nio.file.StandardOpenOption.APPEND);
            }
        } catch (IOException ended) {
            // the process is gone
        } finally {
            synchronized (lines) {
                outputEnded = true;
                lines.notifyAll();
            }
        }
    }

    /** Waits for the first line from index {@code from} on that matches; fails with the output so far. */
    String await(int from, Predicate<String> match, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lines) {
            while (true) {
                for (int i = from; i < lines.size(); i++) {
                    if (match.test(lines.get(i))) {
                        return lines.get(i);
                    }
                }
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0 || outputEnded) {
                    throw new AssertionError("no line " + what + " within " + timeout + "; output:\n" + output());
                }
                lines.wait(Math.min(left, 500));
            }
        }
    }

    int lineCount() {
        synchronized (lines) {
            return lines.size();
        }
    }

    String output() {
        synchronized (lines) {
            return String.join("\n", lines);
        }
    }

    long pid() {
        return process.pid();
    }

    Process process() {
        return process;
    }

    private static final Pattern CHILDREN = Pattern.compile("Kafka broker \\S+ \\(pid (\\d+)\\), redis-server \\S+ \\(pid (\\d+)\\)");

    /** The broker JVM and the redis-server, from the line where the run names their pids. */
    Children children() throws InterruptedException {
        Matcher m = CHILDREN.matcher(await(0, l -> CHILDREN.matcher(l).find(), Duration.ofSeconds(120),
                "naming the broker and redis-server"));
        assertTrue(m.find());
        ProcessHandle broker = ProcessHandle.of(Long.parseLong(m.group(1))).orElseThrow();
        ProcessHandle redis = ProcessHandle.of(Long.parseLong(m.group(2))).orElseThrow();
        // They are this run's children, not some other process that got the pid.
        assertTrue(broker.parent().map(ProcessHandle::pid).orElse(-1L) == pid());
        assertTrue(redis.parent().map(ProcessHandle::pid).orElse(-1L) == pid());
        return new Children(broker, redis);
    }

    record Children(ProcessHandle broker, ProcessHandle redis) {
    }

    static void signal(long pid, String sig) throws IOException, InterruptedException {
        Process k = new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).inheritIO().start();
        if (!k.waitFor(10, TimeUnit.SECONDS) || k.exitValue() != 0) {
            throw new IOException("kill -" + sig + " " + pid + " failed");
        }
    }

    /** True when the process ignores SIGINT (a job started with & by a non-interactive shell inherits that). */
    static boolean ignoresSigint(long pid) throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (l.startsWith("SigIgn:")) {
                return (Long.parseUnsignedLong(l.substring(7).trim(), 16) & (1L << 1)) != 0;
            }
        }
        return false;
    }

    @Override
    public void close() throws InterruptedException {
        // The run's own lines (progress, summary) into the test report, for a failure's post-mortem.
        synchronized (lines) {
            lines.stream().filter(l -> !l.startsWith("\tat ") && !l.contains(" WARN ")).forEach(System.out::println);
        }
        // Whatever a failed test left: the run first (its hook stops its children), then any child left.
        List<ProcessHandle> children = process.descendants().toList();
        children.forEach(c -> {
            try {
                signal(c.pid(), "CONT"); // a stopped process cannot act on SIGTERM
            } catch (Exception gone) {
                // already gone
            }
        });
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        children.forEach(ProcessHandle::destroyForcibly);
    }
}
