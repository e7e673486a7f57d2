package com.shopsense.tools.local;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;

/**
 * Where the local run's servers listen (option {@code --bind-address}, default 127.0.0.1: nothing of a
 * demo with a development key and no passwords is reachable from the network unless asked for) and
 * the host its own clients connect to.
 */
record BindAddress(InetAddress address) {
    static final BindAddress LOOPBACK = new BindAddress(InetAddress.getLoopbackAddress());

    static BindAddress of(String host) {
        try {
            return new BindAddress(InetAddress.getByName(host));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("--bind-address: unknown host '" + host + "'", e);
        }
    }

    /** The literal to bind to, e.g. 127.0.0.1 or 0.0.0.0. */
    String host() {
        return address.getHostAddress();
    }

    boolean isLoopback() {
        return address.isLoopbackAddress();
    }

    /** Where the run's own clients connect: loopback when listening there or on every interface. */
    String connectHost() {
        return address.isAnyLocalAddress() || address.isLoopbackAddress() ? "127.0.0.1" : host();
    }

    /** What other machines are told to connect to (Kafka's advertised listener): this host's name when on all interfaces. */
    String advertisedHost() {
        if (!address.isAnyLocalAddress()) {
            return connectHost();
        }
        try {
            return InetAddress.getLocalHost().getCanonicalHostName();
        } catch (UnknownHostException e) {
            return "127.0.0.1";
        }
    }

    /** The first port from {@code from} to {@code from + span} free on this address (from 0: any free port). */
    int firstFreePort(int from, int span) throws IOException {
        IOException last = null;
        for (int p = from; p <= from + (from == 0 ? 0 : span); p++) {
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress(address, p));
                return s.getLocalPort();
            } catch (IOException taken) {
                last = taken;
            }
        }
        throw new IOException("no free port in " + from + "-" + (from + span) + " on " + host(), last);
    }
}
