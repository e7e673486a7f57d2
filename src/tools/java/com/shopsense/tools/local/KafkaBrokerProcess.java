package com.shopsense.tools.local;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A real single-node Kafka broker (KRaft, broker + controller) in a child JVM, from the kafka_2.13
 * jars on this JVM's class path. No Docker needed. A child process (not in-process) so that tests
 * can kill and restart it like a real broker, and so its logging and memory stay apart. Optionally with
 * a second, SASL_SSL client listener ({@link SaslSslListener}) for tests of secured clusters.
 */
public final class KafkaBrokerProcess implements AutoCloseable {
    private final Path dir;
    private final int port;
    private final int controllerPort;
    private final String classPath;
    private final SaslSslListener secured;
    private final int securedPort;
    private final BindAddress bind;
    private Process process;

    private KafkaBrokerProcess(Path dir, int port, int controllerPort, String classPath, SaslSslListener secured,
            int securedPort, BindAddress bind) {
        this.dir = dir;
        this.port = port;
        this.controllerPort = controllerPort;
        this.classPath = classPath;
        this.secured = secured;
        this.securedPort = securedPort;
        this.bind = bind;
    }

    /** Formats storage in {@code dir} and starts a broker on a free loopback port. */
    public static KafkaBrokerProcess start(Path dir) throws IOException, InterruptedException {
        return start(dir, freePort(), System.getProperty("java.class.path"));
    }

    public static KafkaBrokerProcess start(Path dir, int port, String classPath) throws IOException, InterruptedException {
        return start(dir, port, classPath, null, BindAddress.LOOPBACK);
    }

    /** Also listens with SASL_SSL on a second free port ({@link #securedBootstrapServers()}). */
    public static KafkaBrokerProcess start(Path dir, SaslSslListener secured) throws IOException, InterruptedException {
        return start(dir, freePort(), System.getProperty("java.class.path"), secured, BindAddress.LOOPBACK);
    }

    /**
     * A broker whose client listener is on {@code bind} (the local run's --bind-address); the controller
     * listener stays on loopback, only this broker talks to it.
     */
    static KafkaBrokerProcess start(Path dir, BindAddress bind) throws IOException, InterruptedException {
        return start(dir, freePort(), System.getProperty("java.class.path"), null, bind);
    }

    private static KafkaBrokerProcess start(Path dir, int port, String classPath, SaslSslListener secured,
            BindAddress bind) throws IOException, InterruptedException {
        KafkaBrokerProcess b = new KafkaBrokerProcess(dir, port, freePort(), classPath, secured,
                secured == null ? -1 : freePort(), bind);
        b.format();
        b.launch();
        return b;
    }

    /** The PLAINTEXT listener (also the inter-broker one). */
    public String bootstrapServers() {
        return bind.connectHost() + ":" + port;
    }

    /** The broker JVM's process id; -1 when not running. */
    public long pid() {
        return process != null && process.isAlive() ? process.pid() : -1;
    }

    /** The SASL_SSL listener; only for a broker started with one. */
    public String securedBootstrapServers() {
        if (secured == null) {
            throw new IllegalStateException("this broker has no SASL_SSL listener");
        }
        return "127.0.0.1:" + securedPort;
    }

    public int port() {
        return port;
    }

    private Path config() {
        return dir.resolve("server.properties");
    }

    private void format() throws IOException, InterruptedException {
        Files.createDirectories(dir.resolve("data"));
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        String tls = secured == null ? "" : "," + SaslSslListener.NAME + "://127.0.0.1:" + securedPort;
        p.setProperty("listeners", "PLAINTEXT://" + bind.host() + ":" + port + tls
                + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://" + bind.advertisedHost() + ":" + port + tls);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"
                + (secured == null ? "" : "," + SaslSslListener.NAME + ":SASL_SSL"));
        if (secured != null) {
            secured.configure(p);
        }
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("log.dirs", dir.resolve("data").toString());
        p.setProperty("num.partitions", "2");
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("offsets.topic.num.partitions", "4");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("transaction.state.log.num.partitions", "4");
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        p.setProperty("auto.create.topics.enable", "true");
        p.setProperty("log.flush.interval.messages", "1000000");
        p.setProperty("message.max.bytes", "2097152");
        try (var out = Files.newOutputStream(config())) {
            p.store(out, "ShopSense local broker");
        }
        List<String> args = new ArrayList<>(List.of("format", "-t", Uuid.randomUuid().toString(), "-c",
                config().toString(), "--ignore-formatted"));
        if (secured != null) {
            args.addAll(secured.formatArgs());
        }
        Process f = java("kafka.tools.StorageTool", args.toArray(new String[0]))
                .redirectOutput(dir.resolve("format.log").toFile()).redirectErrorStream(true).start();
        if (!f.waitFor(60, TimeUnit.SECONDS) || f.exitValue() != 0) {
            throw new IOException("Kafka storage format failed, see " + dir.resolve("format.log"));
        }
    }

    /** Starts (or restarts) the broker process on the same port and data. */
    public void launch() throws IOException, InterruptedException {
        process = java("kafka.Kafka", config().toString())
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("broker.log").toFile()))
                .redirectErrorStream(true).start();
        awaitReady(Duration.ofSeconds(60));
    }

    private ProcessBuilder java(String mainClass, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xms128m");
        cmd.add("-Xmx768m");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-Dlog4j2.level=WARN");
        cmd.add("-Dlog4j.configurationFile=" + writeLog4j().toString());
        cmd.add("-cp");
        cmd.add(classPath);
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd);
    }

    private Path writeLog4j() {
        Path f = dir.resolve("log4j2.properties");
        try {
            Files.writeString(f, "rootLogger.level=WARN\nrootLogger.appenderRef.c.ref=c\nappender.c.type=Console\n"
                    + "appender.c.name=c\nappender.c.layout.type=PatternLayout\n"
                    + "appender.c.layout.pattern=%d %p %c{1} %m%n\n");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return f;
    }

    private void awaitReady(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Properties p = new Properties();
        p.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.setProperty(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
        p.setProperty(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "3000");
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("Kafka broker exited with " + process.exitValue() + ", see "
                        + dir.resolve("broker.log"));
            }
            try (Admin admin = Admin.create(p)) {
                admin.describeCluster().nodes().get(3, TimeUnit.SECONDS);
                return;
            } catch (Exception notYet) {
                Thread.sleep(200);
            }
        }
        throw new IOException("Kafka broker not ready within " + timeout + ", see " + dir.resolve("broker.log"));
    }

    /** Kills the broker abruptly (SIGKILL), as a crash would. */
    public void kill() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
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
}
