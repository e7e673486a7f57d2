package com.shopsense.tools.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The local run as a process: while it runs, every port it and its children opened listens on
 * loopback only; a SIGTERM or SIGINT sent to its PID (not a terminal's Ctrl-C, which signals the
 * whole process group) still stops the broker JVM and the redis-server it started.
 */
class LocalRunSignalsIT {
    private static final Pattern WEB_UI = Pattern.compile("Flink web UI: http://127\\.0\\.0\\.1:(\\d+)");
    private static final Pattern DEMO = Pattern.compile("Storefront demo page: http://127\\.0\\.0\\.1:(\\d+)/");

    @TempDir
    Path work;

    @ParameterizedTest
    @ValueSource(strings = {"TERM", "INT"})
    void aSignalToItsPidStopsEverythingItStartedAndEveryPortIsOnLoopback(String sig) throws Exception {
        try (LocalRunChild run = LocalRunChild.start(work, "--duration", "0")) {
            String ui = run.await(0, l -> WEB_UI.matcher(l).find(), Duration.ofSeconds(120), "naming the web UI");
            String demo = run.await(0, l -> DEMO.matcher(l).find(), Duration.ofSeconds(60), "naming the demo page");
            run.await(0, l -> l.startsWith("[") && l.contains("job running"), Duration.ofSeconds(120), "with the job running");

            ProcessHandle broker = run.children().broker();
            ProcessHandle redis = run.children().redis();

            Set<Long> pids = new HashSet<>(Set.of(run.pid(), broker.pid(), redis.pid()));
            List<InetSocketAddress> listening = ListeningSockets.of(pids);
            // Web UI, blob server, demo page; broker client and controller listeners; redis-server.
            assertThat(listening).hasSizeGreaterThanOrEqualTo(6);
            assertThat(listening).allSatisfy(a -> assertThat(a.getAddress().isLoopbackAddress())
                    .as(a + " of " + listening).isTrue());
            assertThat(listening.stream().map(InetSocketAddress::getPort))
                    .contains(port(WEB_UI, ui), port(DEMO, demo));

            if (sig.equals("INT")) {
                Assumptions.assumeFalse(LocalRunChild.ignoresSigint(run.pid()),
                        "this test JVM was started with SIGINT ignored, and its children inherit that");
            }
            LocalRunChild.signal(run.pid(), sig);
            assertThat(run.process().waitFor(90, TimeUnit.SECONDS)).as("the run ended after SIG" + sig).isTrue();
            assertThat(run.process().exitValue()).as("the JVM's exit status after a signal")
                    .isEqualTo(sig.equals("TERM") ? 143 : 130);
            for (ProcessHandle child : List.of(broker, redis)) {
                child.onExit().get(15, TimeUnit.SECONDS);
                assertThat(child.isAlive()).as(child.info().command().orElse("child") + " still running").isFalse();
            }
        }
    }

    private static int port(Pattern p, String line) {
        Matcher m = p.matcher(line);
        assertThat(m.find()).isTrue();
        return Integer.parseInt(m.group(1));
    }
}
