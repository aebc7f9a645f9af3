package io.callbridge.dev;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code callbridge.dev.reset}: the embedded broker's storage and the sandbox's records deleted together, so that what
 * the broker remembers (accepted event ids, offsets) and what the CRMs hold start empty at the same time.
 */
final class FreshStart {

    /** A directory to delete and what it holds, in the developer's words. */
    record Kept(Path dir, String what) { }

    private FreshStart() {
    }

    /** Deletes each directory; answers the line that says what was deleted. */
    static String clear(List<Kept> kept) {
        List<String> deleted = new ArrayList<>();
        List<String> absent = new ArrayList<>();
        for (Kept k : kept) {
            guard(k.dir());
            if (Files.exists(k.dir())) {
                delete(k.dir());
                deleted.add(k.dir() + " (" + k.what() + ")");
            } else {
                absent.add(k.dir().toString());
            }
        }
        String line = "Callbridge starts afresh (" + DevSettings.RESET.key() + "): "
                + (deleted.isEmpty() ? "nothing to delete" : "deleted " + String.join(" and ", deleted));
        return absent.isEmpty() ? line : line + "; " + String.join(" and ", absent) + " did not exist";
    }

    /** A data directory that holds the working folder (a typo such as {@code .}) would take everything with it. */
    private static void guard(Path dir) {
        Path abs = dir.toAbsolutePath().normalize();
        if (Path.of("").toAbsolutePath().normalize().startsWith(abs)) {
            throw new IllegalStateException(DevSettings.RESET.key() + " will not delete " + dir + ": it holds the working folder");
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
