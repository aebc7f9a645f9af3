package io.callbridge.dev;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;

import io.callbridge.support.ReadmeCommand;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 23: one of the embedded default's ports already taken (a Kafka running locally on 9092, a second instance)
 * stops the README's first command with one line that names the port and the setting that moves it, no stack trace.
 */
class OccupiedPortIT {

    @TempDir
    Path temp;

    @ParameterizedTest
    @ValueSource(strings = {"callbridge.http.port", "callbridge.sandbox.port", "callbridge.kafka.brokers"})
    void aTakenPortStopsStartUpNamingItAndItsSetting(String setting) throws Exception {
        ReadmeCommand.Ports free = ReadmeCommand.Ports.free();
        try (ServerSocket taken = new ServerSocket(0)) {
            int port = taken.getLocalPort();
            ReadmeCommand.Ports ports = switch (setting) {
                case "callbridge.http.port" -> new ReadmeCommand.Ports(port, free.sandbox(), free.kafka());
                case "callbridge.sandbox.port" -> new ReadmeCommand.Ports(free.http(), port, free.kafka());
                default -> new ReadmeCommand.Ports(free.http(), free.sandbox(), port);
            };
            try (ReadmeCommand c = ReadmeCommand.launch(ReadmeCommand.workingFolder(temp), ports)) {
                assertThat(c.exitCode(Duration.ofSeconds(60))).as(c.output()).isEqualTo(2);
                String line = c.output().lines().filter(l -> l.startsWith("Callbridge cannot start:")).findFirst()
                        .orElseThrow(() -> new AssertionError("no one-line reason:\n" + c.output()));
                assertThat(line).contains("port " + port + " ", "already in use").endsWith(setting);
                assertThat(c.output()).doesNotContainPattern("(?m)^\\s+at \\S+\\(");
            }
        }
    }
}
