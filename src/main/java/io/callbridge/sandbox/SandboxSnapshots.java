package io.callbridge.sandbox;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each simulated CRM's {@link SandboxCrm#snapshot} in {@code <dir>/<crm>.json}: read back at start, written again
 * shortly after requests that may have changed it (debounced, so a burst of writes costs one file), and once more at
 * close. A file is written whole to a temporary file beside it and moved over it, so a crash leaves the old snapshot or
 * the new one, never half of one. The snapshots hold personal data: readable by their owner only.
 */
final class SandboxSnapshots implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SandboxSnapshots.class);
    private static final long DEBOUNCE_MILLIS = 200;

    private final Path dir;
    private final Map<String, SandboxCrm> crms;
    private final Set<String> dirty = new LinkedHashSet<>();
    /** What each file holds now: an unchanged snapshot is not written again. */
    private final Map<String, byte[]> written = new HashMap<>();
    private final ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "crm-sandbox-snapshots");
        t.setDaemon(true);
        return t;
    });
    private boolean scheduled;
    private long lastFlushMillis;

    SandboxSnapshots(Path dir, Map<String, SandboxCrm> crms) {
        this.dir = dir;
        this.crms = new LinkedHashMap<>(crms);
    }

    /** The file of one CRM's snapshot. */
    Path file(String crm) {
        return dir.resolve(crm + ".json");
    }

    /** Restores every CRM that has a snapshot, and answers their names; one that cannot be read stops the start, naming its file. */
    Set<String> load() {
        Set<String> restored = new LinkedHashSet<>();
        for (Map.Entry<String, SandboxCrm> e : crms.entrySet()) {
            Path file = file(e.getKey());
            if (!Files.exists(file)) continue;
            try {
                byte[] bytes = Files.readAllBytes(file);
                JsonNode snapshot = Json.parse(bytes);
                if (snapshot == null || !snapshot.isObject()) throw new IOException("not a JSON object");
                e.getValue().restore(snapshot);
                written.put(e.getKey(), bytes);
                restored.add(e.getKey());
            } catch (IOException | RuntimeException ex) {
                throw new SandboxSnapshotException(file, ex);
            }
        }
        LOG.info("CRM sandbox keeps its records under {}", dir);
        return restored;
    }

    /**
     * A request may have changed {@code crm}: its snapshot is written {@value #DEBOUNCE_MILLIS} ms later, or later still
     * while writes take long (a big store under load), so that writing takes at most a fifth of the writer's time.
     */
    synchronized void changed(String crm) {
        dirty.add(crm);
        if (!scheduled && !writer.isShutdown()) {
            scheduled = true;
            writer.schedule(this::flush, Math.max(DEBOUNCE_MILLIS, 4 * lastFlushMillis), TimeUnit.MILLISECONDS);
        }
    }

    /** Writes what changed since the last time; a failure is logged and tried again at the next change. */
    void flush() {
        long begin = System.nanoTime();
        Set<String> names;
        synchronized (this) {
            names = new LinkedHashSet<>(dirty);
            dirty.clear();
            scheduled = false;
        }
        for (String name : names) {
            try {
                write(name);
            } catch (IOException | RuntimeException e) {
                LOG.warn("CRM sandbox could not write {}: {}", file(name), e.toString());
            }
        }
        synchronized (this) {
            lastFlushMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
        }
    }

    private void write(String name) throws IOException {
        SandboxCrm crm = crms.get(name);
        byte[] bytes;
        // the simulators serialise their requests on their own monitor, and a snapshot may share the live records' nodes
        synchronized (crm) {
            bytes = Json.MAPPER.writeValueAsBytes(crm.snapshot());
        }
        if (Arrays.equals(bytes, written.get(name))) return;
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, "." + name, ".json.tmp");
        try {
            try {
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the folder's own permissions protect it
            }
            Files.write(temp, bytes);
            try {
                Files.move(temp, file(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file(name), StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
        written.put(name, bytes);
    }

    /** Writes what is still pending; called once no request arrives any more. */
    @Override
    public void close() {
        writer.shutdown();
        try {
            writer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        flush();
    }
}
