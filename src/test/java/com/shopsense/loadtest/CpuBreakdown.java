package com.shopsense.loadtest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Where the CPU goes between two moments: CPU time (user + system, native code included, unlike JFR's
 * Java samples) per thread of this JVM, grouped by thread name, and per child process (the Kafka broker,
 * redis-server), from {@code /proc}. Linux only; thread names are the kernel's (15 characters).
 */
final class CpuBreakdown {
    /** USER_HZ: the unit of /proc CPU times, 100 on every mainstream Linux build. */
    private static final double TICKS_PER_SECOND = 100.0;

    record Snapshot(long nanos, Map<String, Long> threads, Map<String, Long> processes, long machineBusy,
            long machineTotal) {
    }

    private CpuBreakdown() {
    }

    static Snapshot take() {
        Map<String, Long> threads = new HashMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                long ticks = ticks(t.resolve("stat"));
                if (ticks >= 0) {
                    threads.merge(group(read(t.resolve("comm"))), ticks, Long::sum);
                }
            }
        } catch (IOException e) {
            return null;
        }
        Map<String, Long> processes = new HashMap<>();
        processes.put("this JVM (job, producer, probes)", ticks(Path.of("/proc/self/stat")));
        ProcessHandle.current().descendants().forEach(p -> {
            long ticks = ticks(Path.of("/proc/" + p.pid() + "/stat"));
            String cmd = p.info().command().map(c -> Path.of(c).getFileName().toString()).orElse("?");
            if (ticks >= 0) {
                // Debian's redis-server is a link to redis-check-rdb (which turns into the server by its argv[0]).
                String name = cmd.equals("java") ? "Kafka broker (java)" : cmd.startsWith("redis") ? "redis-server" : cmd;
                processes.merge(name, ticks, Long::sum);
            }
        });
        long[] machine = machine();
        return new Snapshot(System.nanoTime(), threads, processes, machine[0], machine[1]);
    }

    /** Cores busy per thread group and per process between the two snapshots, busiest first. */
    static Map<String, Object> between(Snapshot a, Snapshot b) {
        Map<String, Object> r = new LinkedHashMap<>();
        if (a == null || b == null) {
            return r;
        }
        double seconds = (b.nanos() - a.nanos()) / 1e9;
        r.put("seconds", seconds);
        long total = b.machineTotal() - a.machineTotal();
        r.put("machineBusyShare", total == 0 ? 0.0 : (b.machineBusy() - a.machineBusy()) / (double) total);
        r.put("processes", cores(a.processes(), b.processes(), seconds, 0.0));
        r.put("threads", cores(a.threads(), b.threads(), seconds, 0.005));
        return r;
    }

    private static List<Map<String, Object>> cores(Map<String, Long> a, Map<String, Long> b, double seconds,
            double min) {
        List<Map<String, Object>> out = new ArrayList<>();
        b.forEach((name, ticks) -> {
            double cores = (ticks - a.getOrDefault(name, 0L)) / TICKS_PER_SECOND / seconds;
            if (cores >= min) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", name);
                m.put("cores", cores);
                out.add(m);
            }
        });
        out.sort((x, y) -> Double.compare((Double) y.get("cores"), (Double) x.get("cores")));
        return out;
    }

    /** "GC Thread#3" -> "GC Thread", "Sessionize -> (" stays: one row per kind of thread. */
    static String group(String comm) {
        String g = comm.replaceAll("#\\d*$", "").replaceAll("[-_ ]?\\d+$", "").strip();
        return g.isEmpty() ? comm : g;
    }

    private static long ticks(Path stat) {
        try {
            String s = read(stat);
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14, 15)
        } catch (IOException | RuntimeException e) {
            return -1; // the thread or process ended meanwhile
        }
    }

    /** {busy, total} jiffies of the whole machine (every process, not only ours). */
    private static long[] machine() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length && i <= 8; i++) {
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            return new long[] {total - idle, total};
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 0};
        }
    }

    private static String read(Path p) throws IOException {
        return Files.readString(p).strip();
    }
}
