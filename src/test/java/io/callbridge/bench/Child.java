package io.callbridge.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.callbridge.broker.EmbeddedKafkaBroker;
import org.awaitility.core.ConditionTimeoutException;

import static org.awaitility.Awaitility.await;

/**
 * Callbridge as {@code java @jvm.options -Dcamel.main.profile=dev -jar target/callbridge.jar} runs it: a separate JVM
 * with the embedded broker (fresh storage in a temp directory) and the CRM sandbox, on free ports so a developer's own
 * instance on 8080/8089/9092 is left alone; the JVM options are the caller's.
 */
final class Child implements AutoCloseable {

    private static final HttpClient PROBE = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofMillis(500)).build();

    final String name;
    final int httpPort;
    final int sandboxPort;
    /** Where this child's Kafka listens (its own embedded broker, or the one it was pointed at). */
    final String brokers;
    final long readyMillis;
    private final Process process;
    private final Path dataDir;
    final Path log;
    /** The CRM sandbox's own process, when it has one: closed with this child. */
    private Child sandbox;

    private Child(String name, Process process, int httpPort, int sandboxPort, String brokers, Path dataDir, Path log,
            long readyMillis) {
        this.name = name;
        this.process = process;
        this.httpPort = httpPort;
        this.sandboxPort = sandboxPort;
        this.brokers = brokers;
        this.dataDir = dataDir;
        this.log = log;
        this.readyMillis = readyMillis;
    }

    /** Launches the jar and returns once GET /observe/health answers {"status":"UP"}; readyMillis counts from the launch. */
    static Child start(String name, Path jar, Map<String, String> settings, List<String> jvmOptions, Path logDir) throws Exception {
        int httpPort = EmbeddedKafkaBroker.freePort();
        int sandboxPort = EmbeddedKafkaBroker.freePort();
        int brokerPort = EmbeddedKafkaBroker.freePort();
        Path dataDir = Files.createTempDirectory("callbridge-e2e-kafka-");
        Map<String, String> all = new LinkedHashMap<>();
        all.put("camel.main.profile", "dev");
        all.put("callbridge.http.port", String.valueOf(httpPort));
        all.put("callbridge.sandbox.port", String.valueOf(sandboxPort));
        all.put("callbridge.kafka.brokers", "localhost:" + brokerPort);
        all.put("callbridge.kafka.embedded.data-dir", dataDir.toString());
        // every run from empty CRMs, as its storage starts empty: the dev profile's data/sandbox is the repository's
        // folder, and would carry one run's records into the next
        all.put("callbridge.sandbox.data-dir", "");
        all.putAll(settings);
        return launch(name, jar, all, jvmOptions, logDir, httpPort, sandboxPort, "localhost:" + brokerPort, dataDir);
    }

    /**
     * Callbridge on its embedded broker (dev profile) with the CRM sandbox in a process of its own, so the sandbox's
     * work is not counted as Callbridge's: {@code settings} must point the CRMs at {@code sandbox}. The sandbox is
     * stopped with this child.
     */
    static Child start(String name, Path jar, Map<String, String> settings, List<String> jvmOptions, Path logDir, Child sandbox)
            throws Exception {
        Map<String, String> all = new LinkedHashMap<>(plainHttpOnThisMachine());
        all.putAll(settings);
        all.put("callbridge.sandbox.enabled", "false");
        Child c = start(name, jar, all, jvmOptions, logDir);
        Child withSandbox = new Child(c.name, c.process, c.httpPort, sandbox.sandboxPort, c.brokers, c.dataDir, c.log, c.readyMillis);
        withSandbox.sandbox = sandbox;
        return withSandbox;
    }

    /**
     * The CRM sandbox on its own ({@code io.callbridge.sandbox.CrmSandbox}'s main, from the jar) serving {@code crms},
     * configured by {@code config} ({@code callbridge.sandbox.<crm>.<key>}); ready once its admin API answers.
     */
    static Child sandbox(String name, Path jar, List<String> crms, Map<String, String> config, List<String> jvmOptions, Path logDir)
            throws Exception {
        int port = EmbeddedKafkaBroker.freePort();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(jvmOptions);
        config.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.addAll(List.of("-cp", jar.toString(), "io.callbridge.sandbox.CrmSandbox", String.valueOf(port), String.join(",", crms)));
        Path log = logDir.resolve(name + ".log");
        long launched = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        URI ready = URI.create("http://localhost:" + port + "/_sandbox/" + crms.get(0) + "/requests");
        try {
            await().atMost(Duration.ofSeconds(60)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20)).until(() -> {
                if (!p.isAlive()) {
                    throw new IllegalStateException(name + ": the sandbox exited during start-up, see " + log);
                }
                try {
                    return PROBE.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(1)).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                } catch (IOException notListeningYet) {
                    return false;
                }
            });
        } catch (ConditionTimeoutException e) {
            p.destroyForcibly();
            throw new IllegalStateException(name + ": not ready after 60 s, see " + log);
        }
        return new Child(name, p, -1, port, null, null, log, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - launched));
    }

    /** The sandbox's own process, or null when the sandbox runs inside this child. */
    Child sandboxProcess() {
        return sandbox;
    }

    /**
     * Callbridge alone, as production runs it: no profile, so no embedded broker and no sandbox; Kafka and the CRMs
     * are those of {@code infrastructure}, a dev-profile child.
     */
    static Child alone(String name, Path jar, Child infrastructure, Map<String, String> settings, List<String> jvmOptions,
            Path logDir) throws Exception {
        int httpPort = EmbeddedKafkaBroker.freePort();
        Map<String, String> all = new LinkedHashMap<>();
        all.put("callbridge.http.port", String.valueOf(httpPort));
        all.put("callbridge.kafka.brokers", infrastructure.brokers);
        all.putAll(plainHttpOnThisMachine());
        all.putAll(settings);
        return launch(name, jar, all, jvmOptions, logDir, httpPort, infrastructure.sandboxPort, infrastructure.brokers, null);
    }

    /** On one machine: plain HTTP, said by name, to Callbridge and to the sandbox's CRMs. */
    private static Map<String, String> plainHttpOnThisMachine() {
        Map<String, String> plain = new LinkedHashMap<>();
        plain.put("callbridge.http.plain", "true");
        for (String crm : io.callbridge.crm.CrmCatalog.load().names()) {
            plain.put("callbridge.crm." + crm + ".allow-plain-http", "true");
        }
        return plain;
    }

    private static Child launch(String name, Path jar, Map<String, String> all, List<String> jvmOptions, Path logDir, int httpPort,
            int sandboxPort, String brokers, Path dataDir) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(jvmOptions);
        all.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.addAll(List.of("-jar", jar.toString()));
        Path log = logDir.resolve(name + ".log");
        long launched = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        URI health = URI.create("http://localhost:" + httpPort + "/observe/health");
        try {
            await().atMost(Duration.ofSeconds(120)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20)).until(() -> {
                if (!p.isAlive()) {
                    throw new IllegalStateException(name + ": Callbridge exited during start-up, see " + log);
                }
                try {
                    HttpResponse<String> r = PROBE.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(1)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    // while Camel starts, health answers 200 too, with "DOWN" and the routes still stopped
                    return r.statusCode() == 200 && r.body().startsWith("{\"status\":\"UP\"");
                } catch (IOException notListeningYet) {
                    return false; // the port opens only when Vert.x starts
                }
            });
        } catch (ConditionTimeoutException e) {
            p.destroyForcibly();
            throw new IllegalStateException(name + ": not ready after 120 s, see " + log);
        }
        long ready = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - launched);
        return new Child(name, p, httpPort, sandboxPort, brokers, dataDir, log, ready);
    }

    URI app(String path) {
        return URI.create("http://localhost:" + httpPort + path);
    }

    /** The sandbox's admin API, e.g. {@code admin("/hubspot/requests")}. */
    URI admin(String path) {
        return URI.create("http://localhost:" + sandboxPort + "/_sandbox" + path);
    }

    String crmBase(String crm) {
        return "http://localhost:" + sandboxPort + "/" + crm;
    }

    long pid() {
        return process.pid();
    }

    /** VmRSS, VmHWM … of /proc/<pid>/status, in MB. */
    double procStatusMb(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid()), "status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
                }
            }
            return -1;
        } catch (IOException e) {
            return -1;
        }
    }

    /** jcmd Thread.print, written next to the log. */
    String threadDump(Path file) {
        String dump = run(List.of(tool("jcmd"), String.valueOf(pid()), "Thread.print"));
        try {
            Files.writeString(file, dump);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dump;
    }

    /** Samples the heap with {@code jstat -gc} (reads the JVM's perf counters; costs the child nothing). */
    HeapSampler heapSampler() {
        return new HeapSampler(pid());
    }

    static String tool(String name) {
        Path p = Path.of(System.getProperty("java.home"), "bin", name);
        return Files.isExecutable(p) ? p.toString() : name;
    }

    private static String run(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(30, TimeUnit.SECONDS);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        process.destroy(); // SIGTERM: Callbridge's own shutdown, the broker's storage closed cleanly
        try {
            if (!process.waitFor(40, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (sandbox != null) {
            sandbox.close();
        }
        if (dataDir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // a temp directory left behind is harmless
        }
    }

    /** Peak heap used and committed (young + old, MB) seen by jstat every 250 ms while it runs. */
    static final class HeapSampler implements AutoCloseable {
        private final Process jstat;
        private final Thread reader;
        private volatile double peakUsedMb;
        private volatile double peakCommittedMb;

        HeapSampler(long pid) {
            try {
                jstat = new ProcessBuilder(tool("jstat"), "-gc", String.valueOf(pid), "250").redirectErrorStream(true).start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            reader = new Thread(this::read, "jstat-reader");
            reader.setDaemon(true);
            reader.start();
        }

        private void read() {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(jstat.getInputStream(), StandardCharsets.UTF_8))) {
                List<String> header = null;
                for (String line; (line = in.readLine()) != null; ) {
                    List<String> cols = List.of(line.trim().split("\\s+"));
                    if (cols.contains("EU")) {
                        header = cols;
                        continue;
                    }
                    if (header == null || cols.size() != header.size()) {
                        continue;
                    }
                    double used = 0;
                    double committed = 0;
                    for (String c : List.of("S0U", "S1U", "EU", "OU")) used += Double.parseDouble(cols.get(header.indexOf(c)));
                    for (String c : List.of("S0C", "S1C", "EC", "OC")) committed += Double.parseDouble(cols.get(header.indexOf(c)));
                    peakUsedMb = Math.max(peakUsedMb, used / 1024);
                    peakCommittedMb = Math.max(peakCommittedMb, committed / 1024);
                }
            } catch (IOException | RuntimeException ignored) {
                // the sampler stops with the child
            }
        }

        double peakUsedMb() {
            return peakUsedMb;
        }

        double peakCommittedMb() {
            return peakCommittedMb;
        }

        @Override
        public void close() {
            jstat.destroy();
        }
    }
}
