package io.callbridge.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Programs run from an unpacked image root as a container runtime runs them, without one: util-linux's unshare
 * changes the root to the image's, the directory to its working directory and the user to the image's, in a mount
 * namespace of its own where /dev and a /proc are mounted (the dynamic loader needs /proc to find the JVM's libraries).
 * The program is exec'd, never forked, so its process is the one a test signals. Where that cannot be done (not root,
 * no unshare) the programs run rebased instead: the image's files from the host's root, as the host's user; as root
 * with unshare, a refusal fails.
 */
final class UnpackedContainer {

    private static final String UNSHARE = "/usr/bin/unshare";
    private static final String MOUNT = "/usr/bin/mount";
    private static final String ISOLATE = MOUNT + " --rbind /dev \"$0/dev\" && root=\"$0\" wd=\"$1\" uid=\"$2\" gid=\"$3\""
            + " && shift 3 && exec " + UNSHARE + " --root=\"$root\" --wd=\"$wd\" --mount-proc=/proc"
            + " --setgid \"$gid\" --setuid \"$uid\" \"$@\"";

    private final Path root;
    private final String workingDir;
    private final String uid;
    private final String gid;
    private final Map<String, String> environment;
    /** Null when the image's root and user are used; else why not. */
    private final String notIsolated;

    private UnpackedContainer(Path root, String workingDir, String user, Map<String, String> environment, String notIsolated) {
        this.root = root;
        this.workingDir = workingDir;
        String[] ids = user.split(":");
        this.uid = ids[0];
        this.gid = ids.length > 1 ? ids[1] : ids[0];
        this.environment = environment;
        this.notIsolated = notIsolated;
    }

    /** Tries the image's own java in the image's root as its user; falls back to rebased paths if that is refused. */
    static UnpackedContainer of(Path root, String workingDir, String user, Map<String, String> environment, String java)
            throws IOException, InterruptedException {
        UnpackedContainer isolated = new UnpackedContainer(root, workingDir, user, environment, null);
        Path out = Files.createTempFile("callbridge-image-probe", ".log");
        Process p = isolated.start(List.of(java, "-version"), out);
        boolean ended = p.waitFor(60, TimeUnit.SECONDS);
        String why = ended && p.exitValue() == 0 ? null
                : "unshare --root/--setuid refused (" + (ended ? "exit " + p.exitValue() : "timeout") + "): "
                        + Files.readString(out, StandardCharsets.UTF_8).strip();
        p.destroyForcibly();
        Files.delete(out);
        if (why != null && mayIsolate()) {
            // root with unshare at hand: a refusal is the image's fault (or the test's), never a reason to fall back
            throw new IllegalStateException("the image's java does not run in its own root as " + user + ": " + why);
        }
        return why == null ? isolated : new UnpackedContainer(root, workingDir, user, environment, why);
    }

    /** Only root may change the root and the user; without unshare, nothing can. */
    private static boolean mayIsolate() {
        return "root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of(UNSHARE));
    }

    boolean isolated() {
        return notIsolated == null;
    }

    String whyNotIsolated() {
        return notIsolated;
    }

    /** Starts {@code argv} (paths as inside the image) with the image's environment plus {@code extraEnv}. */
    Process start(List<String> argv, Path log) throws IOException {
        return start(argv, Map.of(), log);
    }

    Process start(List<String> argv, Map<String, String> extraEnv, Path log) throws IOException {
        List<String> command = new ArrayList<>();
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        if (isolated()) {
            command.addAll(List.of(UNSHARE, "--mount", "--propagation", "private", "/bin/sh", "-c", ISOLATE,
                    root.toString(), workingDir, uid, gid));
            command.addAll(argv);
        } else {
            argv.forEach(a -> command.add(rebased(a)));
            pb.directory(root.resolve(workingDir.substring(1)).toFile());
        }
        pb.environment().clear();
        pb.environment().putAll(environment);
        pb.environment().putAll(extraEnv);
        return pb.start();
    }

    /** An absolute path of the image, as seen from the host; anything else as it is. */
    private String rebased(String arg) {
        if (arg.startsWith("/") && Files.exists(root.resolve(arg.substring(1)))) {
            return root.resolve(arg.substring(1)).toString();
        }
        return arg;
    }
}
