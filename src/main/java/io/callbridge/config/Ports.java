package io.callbridge.config;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** A port Callbridge is about to listen on, checked first: a port already taken stops start-up with one line, not a server's stack trace. */
public final class Ports {

    private Ports() {
    }

    /**
     * Throws when nothing can listen on {@code host:port} now, naming the port, what wanted it and the setting that
     * moves it; {@code port} 0 (a free one) passes.
     */
    public static void requireFree(String host, int port, String what, Setting moveIt) {
        if (port == 0) return;
        try (ServerSocket probe = new ServerSocket()) {
            // as the servers themselves bind: connections of a previous run waiting out TIME_WAIT do not hold the port
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(host, port));
        } catch (IOException e) {
            throw new IllegalStateException("port " + port + " (" + what + ") is already in use: stop what listens there, or move it with "
                    + moveIt.key());
        }
    }
}
