package com.shopsense.tools.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ListeningSocketsTest {
    @Test
    void procNetAddressesAreLittleEndianWords() throws Exception {
        assertThat(ListeningSockets.address("0100007F:1F90")).isEqualTo(new InetSocketAddress("127.0.0.1", 8080));
        assertThat(ListeningSockets.address("00000000:0050").getAddress().isAnyLocalAddress()).isTrue();
        assertThat(ListeningSockets.address("0000000000000000FFFF00000100007F:8A13"))
                .as("IPv4-mapped loopback").isEqualTo(new InetSocketAddress("127.0.0.1", 0x8A13));
        assertThat(ListeningSockets.address("00000000000000000000000001000000:0050").getAddress())
                .isEqualTo(InetAddress.getByName("::1"));
    }

    @Test
    void findsThisProcesssOwnListeners() throws Exception {
        try (ServerSocket loop = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                ServerSocket any = new ServerSocket(0)) {
            var mine = ListeningSockets.of(Set.of(ProcessHandle.current().pid()));
            assertThat(mine).contains(new InetSocketAddress(InetAddress.getLoopbackAddress(), loop.getLocalPort()));
            assertThat(mine).filteredOn(a -> a.getPort() == any.getLocalPort())
                    .singleElement().satisfies(a -> assertThat(a.getAddress().isAnyLocalAddress()).isTrue());
        }
    }
}
