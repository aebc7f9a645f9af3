package io.callbridge.image;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.callbridge.broker.EmbeddedKafkaBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The image `mvn package` writes to target/callbridge-image.tar (Jib, no Docker daemon): its config launches
 * Callbridge as the README does, as a non-root user, and the entrypoint really starts it from the image's own files,
 * answers the health check the image's healthcheck runs, and stops cleanly on SIGTERM, as `docker stop` sends it.
 */
class ImageTarballIT {

    private static final Path TARBALL = Path.of("target", "callbridge-image.tar");
    private static final List<String> ENTRYPOINT = List.of("/opt/java/bin/java", "@jvm.options", "-jar", "callbridge.jar");
    private static final String APP = "/opt/callbridge";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private static OciImage image;

    @BeforeAll
    static void read() throws IOException {
        assertThat(TARBALL).as("mvn package builds the image tarball (jib-maven-plugin, buildTar)").isRegularFile();
        image = OciImage.read(TARBALL);
    }

    @AfterAll
    static void close() {
        image.close();
    }

    @Test
    void theConfigLaunchesLikeTheReadmeAsANonRootUser() {
        JsonNode config = image.config();
        assertThat(strings(config.path("Entrypoint"))).isEqualTo(ENTRYPOINT);
        assertThat(config.path("Cmd").isMissingNode() || config.path("Cmd").isNull()).as("no Cmd: %s", config).isTrue();
        assertThat(config.path("WorkingDir").asText()).isEqualTo(APP);
        assertThat(config.path("User").asText()).isEqualTo("10001:10001");
        assertThat(config.path("ExposedPorts").has("8080/tcp")).as("%s", config).isTrue();
        assertThat(config.path("Volumes").has(APP + "/data")).as("%s", config).isTrue();
        assertThat(environment(config)).containsEntry("JAVA_HOME", "/opt/java")
                .hasEntrySatisfying("PATH", path -> assertThat(path).startsWith("/opt/java/bin:"));
    }

    @Test
    void theLayersHoldTheAppItsFilesAndAJavaRuntime() throws IOException {
        Map<String, Integer> paths = image.paths();
        assertThat(paths).containsKeys("opt/java/bin/java", "opt/callbridge/callbridge.jar", "opt/callbridge/jvm.options",
                "opt/callbridge/routes", "opt/callbridge/mappings/rules.yaml", "opt/callbridge/data",
                "lib64/ld-linux-x86-64.so.2", "etc/passwd", "tmp");
        assertThat(paths.get("opt/java/bin/java") & 0111).as("java is executable").isEqualTo(0111);
        assertThat(paths.get("opt/callbridge/data") & 0002).as("data/ writable by the image's user").isEqualTo(0002);
        // the jar's manifest Class-Path names lib/<jar> for every runtime dependency, as target/lib has them
        try (Stream<Path> libs = Files.list(Path.of("target", "lib"))) {
            assertThat(libs.map(p -> "opt/callbridge/lib/" + p.getFileName()).toList()).isNotEmpty()
                    .allSatisfy(jar -> assertThat(paths).containsKey(jar));
        }
        try (Stream<Path> routes = Files.list(Path.of("routes"))) {
            assertThat(routes.map(p -> "opt/callbridge/routes/" + p.getFileName()).toList())
                    .allSatisfy(route -> assertThat(paths).containsKey(route));
        }
    }

    @Test
    void theEntrypointStartsCallbridgeWhichTheHealthcheckFindsLiveAndSigtermStops(@TempDir Path root, TestReporter report)
            throws Exception {
        image.extractTo(root);
        assertThat(root.resolve("opt/callbridge/jvm.options")).as("the heap is sized as the README's launch sizes it")
                .hasSameTextualContentAs(Path.of("jvm.options"));
        JsonNode config = image.config();
        UnpackedContainer container = UnpackedContainer.of(root, config.path("WorkingDir").asText(),
                config.path("User").asText(), environment(config), "/opt/java/bin/java");
        if (container.isolated()) {
            String isolated = "ISOLATED: the image's entrypoint runs in the image's own root (unshare --root), as 10001";
            report.publishEntry("isolation", isolated);
            System.err.println(isolated);
        } else {
            // said in the report and on stderr: the image's files ran, but on the host's libc and as the host's user
            String warning = "NOT ISOLATED: the image's entrypoint runs from its unpacked files with rebased paths, as "
                    + System.getProperty("user.name") + ", not in the image's root as 10001: " + container.whyNotIsolated();
            report.publishEntry("isolation", warning);
            System.err.println(warning);
        }
        int port = EmbeddedKafkaBroker.freePort();
        Map<String, String> dev = Map.of("CAMEL_MAIN_PROFILE", "dev", "CALLBRIDGE_HTTP_PORT", String.valueOf(port),
                "CALLBRIDGE_SANDBOX_PORT", String.valueOf(EmbeddedKafkaBroker.freePort()),
                "CALLBRIDGE_KAFKA_BROKERS", "localhost:" + EmbeddedKafkaBroker.freePort());
        Path log = Files.createTempFile("callbridge-image", ".log");
        Process app = container.start(strings(config.path("Entrypoint")), dev, log);
        try {
            awaitLive(app, port, log);
            if (container.isolated()) {
                assertThat(uidOf(app)).as("the entrypoint's process runs as the image's user").isEqualTo("10001");
                assertThat(root.resolve("opt/callbridge/data/kafka")).as("the embedded broker writes data/ as 10001")
                        .isDirectory();
            }
            assertThat(probe(container, port)).as("LiveProbe from the image, as compose's healthcheck runs it").isZero();
            app.destroy();
            assertThat(app.waitFor(60, TimeUnit.SECONDS)).as("stopped within the shutdown timeout").isTrue();
            String output = Files.readString(log, StandardCharsets.UTF_8);
            // 143 = 128 + SIGTERM: the JVM's exit once its shutdown hooks (Camel's graceful shutdown) have run
            assertThat(app.exitValue()).as(output).isEqualTo(143);
            assertThat(output).contains("is shutdown").doesNotContain(" ERROR ");
        } finally {
            app.destroyForcibly();
            app.waitFor();
        }
        Files.delete(log);
    }

    private static void awaitLive(Process app, int port, Path log) {
        URI live = URI.create("http://localhost:" + port + "/observe/health/live");
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
                .ignoreExceptionsInstanceOf(IOException.class).until(() -> {
                    if (!app.isAlive()) {
                        throw new IllegalStateException("the entrypoint exited with " + app.exitValue() + ":\n"
                                + Files.readString(log, StandardCharsets.UTF_8));
                    }
                    return HTTP.send(HttpRequest.newBuilder(live).timeout(Duration.ofSeconds(2)).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                });
    }

    private static int probe(UnpackedContainer container, int port) throws IOException, InterruptedException {
        Path out = Files.createTempFile("callbridge-probe", ".log");
        Process p = container.start(List.of("/opt/java/bin/java", "-cp", APP + "/callbridge.jar",
                "io.callbridge.LiveProbe", String.valueOf(port)), out);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("the probe's own timeout is 2 s").isTrue();
        String output = Files.readString(out, StandardCharsets.UTF_8);
        Files.delete(out);
        assertThat(p.exitValue()).as(output).isNotNegative();
        return p.exitValue();
    }

    /** The real uid of a process, from the host's /proc. */
    private static String uidOf(Process p) throws IOException {
        return Files.readAllLines(Path.of("/proc", String.valueOf(p.pid()), "status")).stream()
                .filter(l -> l.startsWith("Uid:")).findFirst().orElseThrow().split("\\s+")[1];
    }

    private static Map<String, String> environment(JsonNode config) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String kv : strings(config.path("Env"))) {
            int eq = kv.indexOf('=');
            env.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        return env;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
