package io.callbridge.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarFile;

/**
 * An OCI image layout tarball as Jib's buildTar writes it (oci-layout, index.json, blobs/sha256/...): what a runtime
 * reads of it, its config and its layers, without a container engine.
 */
final class OciImage implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final TarFile tar;
    private final Map<String, TarArchiveEntry> entries = new LinkedHashMap<>();
    private final JsonNode config;
    private final List<String> layerDigests = new ArrayList<>();

    private OciImage(TarFile tar) throws IOException {
        this.tar = tar;
        for (TarArchiveEntry e : tar.getEntries()) {
            entries.put(e.getName(), e);
        }
        JsonNode index = json("index.json");
        if (index.path("manifests").size() != 1) {
            throw new IllegalStateException("expected one image in index.json: " + index);
        }
        JsonNode manifest = blob(index.path("manifests").get(0).path("digest").asText());
        config = blob(manifest.path("config").path("digest").asText());
        manifest.path("layers").forEach(l -> layerDigests.add(l.path("digest").asText()));
    }

    static OciImage read(Path tarball) throws IOException {
        return new OciImage(new TarFile(tarball.toFile()));
    }

    /** The {@code config} object of the image config: Entrypoint, Env, User, WorkingDir, ExposedPorts, Volumes. */
    JsonNode config() {
        return config.path("config");
    }

    /** Every path the layers hold, relative to the root without a leading slash, and its mode, the last layer's winning. */
    Map<String, Integer> paths() throws IOException {
        Map<String, Integer> paths = new TreeMap<>();
        for (String digest : layerDigests) {
            try (TarArchiveInputStream layer = layer(digest)) {
                for (TarArchiveEntry e = layer.getNextEntry(); e != null; e = layer.getNextEntry()) {
                    paths.put(relative(e.getName()), e.getMode());
                }
            }
        }
        return paths;
    }

    /** The layers unpacked in order under {@code root}, as a runtime lays out the container's file system. */
    void extractTo(Path root) throws IOException {
        // a container's / is open to its users; a test's temporary folder is not
        Files.setPosixFilePermissions(root, permissions(0755));
        for (String digest : layerDigests) {
            try (TarArchiveInputStream layer = layer(digest)) {
                for (TarArchiveEntry e = layer.getNextEntry(); e != null; e = layer.getNextEntry()) {
                    extract(layer, e, root);
                }
            }
        }
    }

    private static void extract(InputStream in, TarArchiveEntry e, Path root) throws IOException {
        String name = relative(e.getName());
        Path target = root.resolve(name).normalize();
        if (!target.startsWith(root) || name.contains(".wh.")) {
            // a path out of the root, or a whiteout: Jib writes neither, and unpacking them naively would be wrong
            throw new IllegalStateException("unexpected layer entry " + e.getName());
        }
        if (e.isDirectory()) {
            Files.createDirectories(target);
        } else if (e.isSymbolicLink()) {
            Files.createDirectories(target.getParent());
            Files.deleteIfExists(target);
            Files.createSymbolicLink(target, Path.of(e.getLinkName()));
            return;
        } else if (e.isFile()) {
            Files.createDirectories(target.getParent());
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        } else {
            throw new IllegalStateException("unsupported layer entry type " + e.getName());
        }
        Files.setPosixFilePermissions(target, permissions(e.getMode()));
    }

    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] bits = PosixFilePermission.values(); // OWNER_READ ... OTHERS_EXECUTE, high bit first
        for (int i = 0; i < bits.length; i++) {
            if ((mode & (1 << (8 - i))) != 0) {
                set.add(bits[i]);
            }
        }
        return set;
    }

    private static String relative(String name) {
        String n = name.startsWith("./") ? name.substring(2) : name;
        n = n.startsWith("/") ? n.substring(1) : n;
        return n.endsWith("/") ? n.substring(0, n.length() - 1) : n;
    }

    private TarArchiveInputStream layer(String digest) throws IOException {
        return new TarArchiveInputStream(new GZIPInputStream(tar.getInputStream(entry(blobPath(digest)))));
    }

    private JsonNode blob(String digest) throws IOException {
        return json(blobPath(digest));
    }

    private JsonNode json(String name) throws IOException {
        try (InputStream in = tar.getInputStream(entry(name))) {
            return JSON.readTree(in);
        }
    }

    private TarArchiveEntry entry(String name) {
        TarArchiveEntry e = entries.get(name);
        if (e == null) {
            throw new IllegalStateException("the tarball has no " + name + ": " + entries.keySet());
        }
        return e;
    }

    private static String blobPath(String digest) {
        return "blobs/" + digest.replace(':', '/');
    }

    @Override
    public void close() {
        try {
            tar.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
