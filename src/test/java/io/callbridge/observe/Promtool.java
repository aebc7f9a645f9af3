package io.callbridge.observe;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Runs Prometheus's promtool, the tool operators check rules with. Without it a local run skips the test, saying
 * why; under {@code CI=true} it fails, since {@code .ci/run} installs it and a silent skip would hide the rules.
 */
final class Promtool {

    /** What promtool answered: its exit code and everything it printed. */
    record Result(int exitCode, String output) {
    }

    private static final long TIMEOUT_SECONDS = 120;

    private Promtool() {
    }

    /** Runs promtool with these arguments in the project folder, or skips (locally) or fails (CI) without it. */
    static Result run(String... args) throws IOException, InterruptedException {
        Path promtool = require();
        List<String> command = new ArrayList<>(List.of(promtool.toString()));
        command.addAll(List.of(args));
        // output to a file, not a pipe: a full pipe cannot block promtool, and a hung promtool still times out
        Path out = Files.createTempFile("promtool", ".out");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("promtool did not finish within %d s: %s%n%s", TIMEOUT_SECONDS, command, Files.readString(out));
            }
            return new Result(process.exitValue(), String.join(" ", command) + "\n"
                    + Files.readString(out, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    static Path require() {
        Optional<Path> found = find();
        if (found.isEmpty() && "true".equals(System.getenv("CI"))) {
            fail("promtool is not on the PATH; CI needs it (.ci/run installs Debian's package prometheus)");
        }
        assumeTrue(found.isPresent(), "promtool is not on the PATH: install Prometheus's promtool "
                + "(Debian/Ubuntu: apt-get install prometheus) to run the alert rule and dashboard checks");
        return found.get();
    }

    private static Optional<Path> find() {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "promtool");
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
