package io.callbridge.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.stream.Stream;

/** A private copy of mappings/ that a test may break and edit. */
public final class MappingsCopy {

    private final Path dir;

    private MappingsCopy(Path dir) {
        this.dir = dir;
    }

    public static MappingsCopy of(Path source) {
        try {
            Path target = Files.createTempDirectory("callbridge-mappings-");
            try (Stream<Path> files = Files.walk(source)) {
                for (Path f : files.toList()) {
                    Path t = target.resolve(source.relativize(f).toString());
                    if (Files.isDirectory(f)) {
                        Files.createDirectories(t);
                    } else {
                        Files.copy(f, t);
                    }
                }
            }
            return new MappingsCopy(target);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * mappings/ with only the log-call rule: one call per event and CRM, for tests and benchmarks about delivery
     * rather than rules.
     */
    public static MappingsCopy logCallOnly() {
        MappingsCopy copy = of(Path.of("mappings"));
        copy.write("rules.yaml", """
                rules:
                  - id: log-call
                    description: Every ended call is logged as an activity on the caller's record.
                    when: type = 'call.ended'
                    actions:
                      - log-call
                """);
        return copy;
    }

    public Path dir() {
        return dir;
    }

    public Path file(String relative) {
        return dir.resolve(relative);
    }

    public String read(String relative) {
        try {
            return Files.readString(file(relative), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a file and moves its modification time forward, so a watcher cannot miss the edit. */
    public void write(String relative, String content) {
        try {
            Path f = file(relative);
            Files.createDirectories(f.getParent());
            Files.writeString(f, content, StandardCharsets.UTF_8);
            Instant next = Files.exists(f) ? Files.getLastModifiedTime(f).toInstant().plusSeconds(2) : Instant.now();
            Files.setLastModifiedTime(f, FileTime.from(next));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void replace(String relative, String from, String to) {
        String content = read(relative);
        if (!content.contains(from)) {
            throw new IllegalArgumentException(relative + " does not contain " + from);
        }
        write(relative, content.replace(from, to));
    }
}
