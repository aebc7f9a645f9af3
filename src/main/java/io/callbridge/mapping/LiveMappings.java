package io.callbridge.mapping;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mappings in use. A change under {@code mappings/} is validated as a whole before it replaces
 * the current version; a broken change is refused with its file and line and the old version stays.
 */
public final class LiveMappings extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(LiveMappings.class);

    /** Builds a validated version from the folder, as at start-up. */
    @FunctionalInterface
    public interface Loader {
        Mappings load() throws MappingException;
    }

    private final Path dir;
    private final Loader loader;
    private final long checkIntervalMs;
    private final AtomicReference<Mappings> current = new AtomicReference<>();
    private volatile String fingerprint;
    private volatile MappingException lastRefusal;
    private ScheduledExecutorService watcher;

    /** @param checkIntervalMs how often to look for edits; 0 disables reload */
    public LiveMappings(Path dir, Loader loader, long checkIntervalMs) throws MappingException {
        this.dir = dir;
        this.loader = loader;
        this.checkIntervalMs = checkIntervalMs;
        this.fingerprint = fingerprint();
        current.set(loader.load());
    }

    /** The mappings of {@code callbridge.mappings.dir} for the enabled CRMs, checked now; reloaded if the settings say so. */
    public static LiveMappings load(io.callbridge.config.Settings settings, CrmNames crms) throws MappingException {
        Path dir = Path.of(settings.get(MappingSettings.DIR));
        ZoneId zone = ZoneId.of(settings.get(MappingSettings.TIMEZONE));
        return new LiveMappings(dir, () -> Mappings.load(dir, crms, key -> settings.find(key).orElse(null), zone,
                Clock.systemUTC()), settings.getLong(MappingSettings.RELOAD_INTERVAL_MS));
    }

    public Mappings current() {
        return current.get();
    }

    /** The reason the last edit was refused, or null when the files in use are the files on disk. */
    public MappingException lastRefusal() {
        return lastRefusal;
    }

    /** Reloads when a file changed; @return true when a new version is in use */
    public synchronized boolean reloadIfChanged() {
        String now = fingerprint();
        if (now.equals(fingerprint)) {
            return false;
        }
        fingerprint = now;
        try {
            current.set(loader.load());
            lastRefusal = null;
            LOG.info("Reloaded mappings from {}", dir);
            return true;
        } catch (MappingException e) {
            lastRefusal = e;
            LOG.warn("Refused the edited mappings, keeping the version in use: {}", e.getMessage());
            return false;
        }
    }

    @Override
    protected void doStart() {
        if (checkIntervalMs > 0) {
            watcher = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "callbridge-mappings-reload");
                t.setDaemon(true);
                return t;
            });
            watcher.scheduleWithFixedDelay(this::reloadIfChanged, checkIntervalMs, checkIntervalMs, TimeUnit.MILLISECONDS);
            LOG.info("Watching {} for edits every {} ms", dir, checkIntervalMs);
        }
    }

    @Override
    protected void doStop() {
        if (watcher != null) {
            watcher.shutdownNow();
        }
    }

    private String fingerprint() {
        StringBuilder sb = new StringBuilder();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                sb.append(f).append('@').append(Files.getLastModifiedTime(f).toMillis()).append('#').append(Files.size(f)).append(';');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sb.toString();
    }
}
