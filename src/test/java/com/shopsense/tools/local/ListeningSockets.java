package com.shopsense.tools.local;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The TCP sockets in LISTEN state owned by given processes, read from Linux's /proc (no ss or netstat
 * needed): the socket inodes among each process's file descriptors, matched with /proc/net/tcp and tcp6.
 */
final class ListeningSockets {
    private static final String LISTEN = "0A";

    private ListeningSockets() {
    }

    static List<InetSocketAddress> of(Set<Long> pids) throws IOException {
        Set<String> inodes = new HashSet<>();
        for (long pid : pids) {
            Path fds = Path.of("/proc", Long.toString(pid), "fd");
            try (Stream<Path> s = Files.list(fds)) {
                for (Path fd : s.toList()) {
                    try {
                        String target = Files.readSymbolicLink(fd).toString();
                        if (target.startsWith("socket:[")) {
                            inodes.add(target.substring(8, target.length() - 1));
                        }
                    } catch (IOException closedMeanwhile) {
                        // a descriptor closed while listing
                    }
                }
            }
        }
        List<InetSocketAddress> out = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            for (String row : Files.readAllLines(Path.of(table)).stream().skip(1).toList()) {
                String[] f = row.trim().split("\\s+");
                // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
                if (f.length > 9 && f[3].equals(LISTEN) && inodes.contains(f[9])) {
                    out.add(address(f[1]));
                }
            }
        }
        return out;
    }

    /** {@code 0100007F:1F90} (or 32 hex digits for IPv6): 32-bit words in host (little-endian) byte order. */
    static InetSocketAddress address(String hex) throws IOException {
        String[] hostPort = hex.split(":");
        String h = hostPort[0];
        byte[] b = new byte[h.length() / 2];
        for (int word = 0; word < b.length / 4; word++) {
            for (int i = 0; i < 4; i++) {
                int at = word * 8 + (3 - i) * 2;
                b[word * 4 + i] = (byte) Integer.parseInt(h.substring(at, at + 2), 16);
            }
        }
        // An IPv4-mapped IPv6 address (::ffff:127.0.0.1) comes back as the Inet4Address 127.0.0.1.
        return new InetSocketAddress(InetAddress.getByAddress(b), Integer.parseInt(hostPort[1], 16));
    }
}
