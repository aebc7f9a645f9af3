package io.callbridge.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.callbridge.broker.EmbeddedKafkaBroker;

import static org.awaitility.Awaitility.await;

/**
 * The README's first command, {@code java @jvm.options -Dcamel.main.profile=dev -jar target/callbridge.jar}, run in a
 * working folder of its own that holds what the command finds beside it ({@code routes/}, {@code mappings/},
 * {@code jvm.options}); only the three ports are moved, so a developer's own instance is left alone.
 */
public final class ReadmeCommand implements AutoCloseable {

    private static final Pattern DEV_KEY = Pattern.compile("Callbridge dev API key \\(admin\\): (\\S+)");

    /** The ports the command listens on: {@code callbridge.http.port}, {@code callbridge.sandbox.port}, the broker's. */
    public record Ports(int http, int sandbox, int kafka) {
        public static Ports free() {
            return new Ports(EmbeddedKafkaBroker.freePort(), EmbeddedKafkaBroker.freePort(), EmbeddedKafkaBroker.freePort());
        }

        List<String> options() {
            return List.of("-Dcallbridge.http.port=" + http, "-Dcallbridge.sandbox.port=" + sandbox,
                    "-Dcallbridge.kafka.brokers=localhost:" + kafka);
        }
    }

    private final Process process;
    private final Ports ports;
    private final Path output;

    private ReadmeCommand(Process process, Ports ports, Path output) {
        this.process = process;
        this.ports = ports;
        this.output = output;
    }

    /** A new working folder under {@code parent} with what the README's command reads from the repository's root. */
    public static Path workingFolder(Path parent) {
        Path folder = parent.resolve("callbridge");
        for (String name : List.of("routes", "mappings", "jvm.options")) {
            copy(Path.of(name), folder.resolve(name));
        }
        return folder;
    }

    /** Launches the command; {@code options} go before {@code -jar}, as a developer would add {@code -Dkey=value}. */
    public static ReadmeCommand launch(Path folder, Ports ports, String... options) {
        Path jar = Path.of("target", "callbridge.jar").toAbsolutePath();
        if (!Files.exists(jar)) {
            throw new IllegalStateException("target/callbridge.jar is missing: run mvn -B -q -DskipTests package first");
        }
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "@jvm.options",
                "-Dcamel.main.profile=dev"));
        cmd.addAll(ports.options());
        cmd.addAll(List.of(options));
        cmd.addAll(List.of("-jar", jar.toString()));
        try {
            Path output = Files.createTempFile(folder.getParent(), "callbridge-", ".out");
            Process p = new ProcessBuilder(cmd).directory(folder.toFile()).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            return new ReadmeCommand(p, ports, output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Launches the command and returns once {@code /observe/health} says UP. */
    public static ReadmeCommand start(Path folder, Ports ports, String... options) {
        ReadmeCommand c = launch(folder, ports, options);
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).until(() -> {
            if (!c.process.isAlive()) {
                throw new IllegalStateException("Callbridge exited during start-up:\n" + c.output());
            }
            try {
                HttpResponse<String> r = Events.send(HttpRequest.newBuilder(c.app("/observe/health")).build());
                // while Camel starts, health answers 200 too, with "DOWN" and the routes still stopped
                return r.statusCode() == 200 && r.body().startsWith("{\"status\":\"UP\"");
            } catch (RuntimeException notListeningYet) {
                return false;
            }
        });
        return c;
    }

    /** Waits for the command to end by itself (a start-up that fails); answers its exit code. */
    public int exitCode(Duration atMost) {
        await().atMost(atMost).until(() -> !process.isAlive());
        return process.exitValue();
    }

    public URI app(String path) {
        return URI.create("http://localhost:" + ports.http() + path);
    }

    /** The sandbox's admin API, e.g. {@code admin("/hubspot/records")}. */
    public URI admin(String path) {
        return URI.create("http://localhost:" + ports.sandbox() + "/_sandbox" + path);
    }

    /** The admin key the dev profile printed at start. */
    public String apiKey() {
        Matcher m = DEV_KEY.matcher(output());
        if (!m.find()) throw new IllegalStateException("no dev API key printed:\n" + output());
        return m.group(1);
    }

    /** Everything the command printed so far (stdout and stderr). */
    public String output() {
        try {
            return Files.readString(output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Ctrl-C's signal, SIGTERM; returns once the JVM has ended. */
    public void stop() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }

    private static void copy(Path from, Path to) {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : all.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
