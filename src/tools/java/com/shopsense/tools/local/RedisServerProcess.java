package com.shopsense.tools.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} child process on a free loopback port, for tests and local runs. By
 * default a pure cache ({@code --save "" --appendonly no}); {@link #startPersistent(Path)} adds an
 * fsync-always append-only file so a {@link #kill()} + {@link #restart()} keeps the data (the fault
 * tests compare final states). The binary is found through the {@code REDIS_SERVER} environment
 * variable, the {@code redis.server} system property, the PATH, /usr/bin and /usr/local/bin.
 */
public final class RedisServerProcess implements AutoCloseable {
    private final Path dir;
    private final int port;
    private final boolean persistent;
    private final String binary;
    private final List<String> extraArgs;
    private final BindAddress bind;
    private Process process;

    private RedisServerProcess(Path dir, int port, boolean persistent, String binary, List<String> extraArgs,
            BindAddress bind) {
        this.dir = dir;
        this.port = port;
        this.persistent = persistent;
        this.binary = binary;
        this.extraArgs = List.copyOf(extraArgs);
        this.bind = bind;
    }

    /** A cache-only server (no RDB, no AOF) with its working files in {@code dir}. */
    public static RedisServerProcess start(Path dir) throws IOException, InterruptedException {
        return start(dir, freePort(), false);
    }

    /** A server with an fsync-always AOF in {@code dir}: its data survives kill() + restart(). */
    public static RedisServerProcess startPersistent(Path dir) throws IOException, InterruptedException {
        return start(dir, freePort(), true);
    }

    public static RedisServerProcess start(Path dir, int port, boolean persistent)
            throws IOException, InterruptedException {
        return start(dir, port, persistent, List.of());
    }

    /** With extra redis-server arguments, e.g. {@code --cluster-enabled yes} or {@code --requirepass x}. */
    public static RedisServerProcess start(Path dir, int port, boolean persistent, List<String> extraArgs)
            throws IOException, InterruptedException {
        return start(dir, port, persistent, extraArgs, BindAddress.LOOPBACK);
    }

    /** A cache-only server listening on {@code bind} (the local run's --bind-address). */
    static RedisServerProcess start(Path dir, BindAddress bind) throws IOException, InterruptedException {
        return start(dir, freePort(), false, List.of(), bind);
    }

    private static RedisServerProcess start(Path dir, int port, boolean persistent, List<String> extraArgs,
            BindAddress bind) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        RedisServerProcess r = new RedisServerProcess(dir, port, persistent, findBinary(), extraArgs, bind);
        r.launch();
        return r;
    }

    /** The redis-server binary, or an exception that says how to install it. */
    public static String findBinary() {
        List<String> candidates = new ArrayList<>();
        String env = System.getenv("REDIS_SERVER");
        if (env != null && !env.isBlank()) {
            candidates.add(env);
        }
        String prop = System.getProperty("redis.server");
        if (prop != null && !prop.isBlank()) {
            candidates.add(prop);
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String d : path.split(java.io.File.pathSeparator)) {
                candidates.add(Path.of(d, "redis-server").toString());
            }
        }
        candidates.add("/usr/bin/redis-server");
        candidates.add("/usr/local/bin/redis-server");
        for (String c : candidates) {
            Path p = Path.of(c);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p.toString();
            }
        }
        throw new IllegalStateException("redis-server not found (looked at $REDIS_SERVER, -Dredis.server, PATH, "
                + "/usr/bin, /usr/local/bin). Install it: sudo apt-get update && sudo apt-get install -y redis-server "
                + "(Debian/Ubuntu; brew install redis on macOS), or point REDIS_SERVER at the binary.");
    }

    public String host() {
        return bind.connectHost();
    }

    public int port() {
        return port;
    }

    /** host:port, the form of the job option redis.nodes. */
    public String address() {
        return host() + ":" + port;
    }

    public Path dir() {
        return dir;
    }

    /** The server's process id (tests stop and continue it with SIGSTOP/SIGCONT to simulate a stall). */
    public long pid() {
        if (process == null) {
            throw new IllegalStateException("not started");
        }
        return process.pid();
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    private void launch() throws IOException, InterruptedException {
        // Protected mode refuses every non-loopback client of a server without a password, so a server
        // opened on purpose (--bind-address) turns it off; on loopback it stays on.
        List<String> cmd = new ArrayList<>(List.of(binary, "--port", Integer.toString(port), "--bind", bind.host(),
                "--dir", dir.toString(), "--save", "", "--daemonize", "no",
                "--protected-mode", bind.isLoopback() ? "yes" : "no",
                "--logfile", dir.resolve("redis.log").toString()));
        if (persistent) {
            cmd.addAll(List.of("--appendonly", "yes", "--appendfsync", "always"));
        } else {
            cmd.addAll(List.of("--appendonly", "no"));
        }
        cmd.addAll(extraArgs);
        process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("redis.out").toFile())).start();
        awaitPing(Duration.ofSeconds(20));
    }

    private void awaitPing(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("redis-server exited with " + process.exitValue() + ", see "
                        + dir.resolve("redis.log") + " and " + dir.resolve("redis.out"));
            }
            if (ping()) {
                return;
            }
            Thread.sleep(20);
        }
        throw new IOException("redis-server not answering PING within " + timeout + ", see " + dir.resolve("redis.log"));
    }

    /**
     * True when the server answers PING with PONG, or with NOAUTH when it requires a password (it is
     * up); false while it is starting or still loading its AOF (LOADING).
     */
    public boolean ping() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host(), port), 500);
            s.setSoTimeout(500);
            OutputStream out = s.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[64];
            int n = in.read(buf);
            String reply = n > 0 ? new String(buf, 0, n, StandardCharsets.US_ASCII) : "";
            return reply.startsWith("+PONG") || reply.startsWith("-NOAUTH");
        } catch (IOException e) {
            return false;
        }
    }

    /** Kills the server abruptly (SIGKILL), as a crash would; clients see connection errors until restart(). */
    public void kill() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** Starts the server again on the same port and directory (a persistent one reloads its AOF). */
    public void restart() throws IOException, InterruptedException {
        kill();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        IOException last = null;
        while (System.nanoTime() < deadline) {
            try {
                launch();
                return;
            } catch (IOException portNotYetFree) {
                last = portNotYetFree;
                Thread.sleep(100);
            }
        }
        throw last;
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    /** Runs a cache-only server until Ctrl-C, for local runs: prints its address. */
    public static void main(String[] args) throws Exception {
        Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("shopsense-redis-");
        int port = args.length > 1 ? Integer.parseInt(args[1]) : 6379;
        RedisServerProcess r = start(dir, port, false);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                r.close();
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }));
        System.out.println("redis-server listening on " + r.address() + " (dir " + dir + ")");
        Thread.currentThread().join();
    }
}
