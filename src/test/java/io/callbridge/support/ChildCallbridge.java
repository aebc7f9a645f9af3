package io.callbridge.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.callbridge.Callbridge;

import static org.awaitility.Awaitility.await;

/** Callbridge's own main in a separate JVM, configured through the environment, that a test can SIGTERM or SIGKILL. */
public final class ChildCallbridge implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path log;

    private ChildCallbridge(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    public static ChildCallbridge start(int port, Map<String, String> environment) {
        try {
            Path log = Files.createTempFile("callbridge-child", ".log");
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), Callbridge.class.getName())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().putAll(environment);
            pb.environment().put("CALLBRIDGE_HTTP_PORT", String.valueOf(port));
            pb.environment().put("CALLBRIDGE_HTTP_PLAIN", "true");
            // the CRMs of a test are simulators on localhost
            for (String crm : io.callbridge.crm.CrmCatalog.load().names()) {
                pb.environment().put("CALLBRIDGE_CRM_" + crm.toUpperCase(java.util.Locale.ROOT) + "_ALLOW_PLAIN_HTTP", "true");
            }
            ChildCallbridge child = new ChildCallbridge(pb.start(), port, log);
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> Events.send(HttpRequest.newBuilder(
                    child.uri("/observe/health")).build()).statusCode() == 200);
            return child;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    public Process process() {
        return process;
    }

    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** SIGKILL: no shutdown hook, no commit, no goodbye. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
