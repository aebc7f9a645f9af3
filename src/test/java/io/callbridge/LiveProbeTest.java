package io.callbridge;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import io.callbridge.broker.EmbeddedKafkaBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The image's health check against a real HTTP server: its exit code is all compose reads. */
class LiveProbeTest {

    private final AtomicInteger status = new AtomicInteger(200);
    private HttpServer server;

    @BeforeEach
    void serveLiveness() throws IOException {
        server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        server.createContext("/observe/health/live", exchange -> {
            byte[] body = "{\"status\":\"UP\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status.get(), body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void exitsZeroWhenLiveAndOneWhenNot() throws Exception {
        assertThat(probe(server.getAddress().getPort())).isZero();
        status.set(503);
        assertThat(probe(server.getAddress().getPort())).isEqualTo(1);
    }

    @Test
    void nothingListeningIsNotLive() {
        assertThat(LiveProbe.isLive(EmbeddedKafkaBroker.freePort())).isFalse();
    }

    @Test
    void onlyTheLivenessPathIsAsked() {
        server.removeContext("/observe/health/live");
        assertThat(LiveProbe.isLive(server.getAddress().getPort())).as("404 on the path").isFalse();
    }

    /** As compose runs it: a JVM of its own, the port as argument, the exit code as the answer. */
    private static int probe(int port) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                LiveProbe.class.getName(), String.valueOf(port))).inheritIO().start();
        return p.waitFor();
    }
}
