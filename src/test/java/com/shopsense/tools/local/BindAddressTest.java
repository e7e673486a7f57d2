package com.shopsense.tools.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

class BindAddressTest {
    @Test
    void loopbackIsWhereEverythingListensAndConnects() {
        BindAddress b = BindAddress.of("127.0.0.1");
        assertThat(b.isLoopback()).isTrue();
        assertThat(b.connectHost()).isEqualTo("127.0.0.1");
        assertThat(b.advertisedHost()).isEqualTo("127.0.0.1");
    }

    @Test
    void allInterfacesStillConnectsOverLoopback() {
        BindAddress b = BindAddress.of("0.0.0.0");
        assertThat(b.isLoopback()).isFalse();
        assertThat(b.host()).isEqualTo("0.0.0.0");
        assertThat(b.connectHost()).isEqualTo("127.0.0.1");
        assertThat(b.advertisedHost()).isNotEqualTo("0.0.0.0");
    }

    @Test
    void anUnknownHostIsRefusedUpFront() {
        assertThatThrownBy(() -> BindAddress.of("no-such-host.invalid")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--bind-address");
    }

    @Test
    void aTakenPortIsSkipped() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int p = BindAddress.LOOPBACK.firstFreePort(taken.getLocalPort(), 9);
            assertThat(p).isGreaterThan(taken.getLocalPort()).isLessThanOrEqualTo(taken.getLocalPort() + 9);
        }
        assertThat(BindAddress.LOOPBACK.firstFreePort(0, 9)).isPositive();
    }

    @Test
    void theFlinkServersListenOnTheBindAddress() {
        Configuration loop = LocalRun.flinkConf(Path.of("/tmp/x"), 8123, BindAddress.LOOPBACK);
        assertThat(loop.toMap()).containsEntry("rest.bind-address", "127.0.0.1").containsEntry("rest.port", "8123")
                .containsEntry("jobmanager.bind-host", "127.0.0.1").containsEntry("taskmanager.bind-host", "127.0.0.1");
        Configuration open = LocalRun.flinkConf(Path.of("/tmp/x"), 8123, BindAddress.of("0.0.0.0"));
        assertThat(open.toMap()).containsEntry("rest.bind-address", "0.0.0.0").containsEntry("rest.address", "127.0.0.1");
    }
}
