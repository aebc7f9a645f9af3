package io.callbridge.sandbox;

import java.nio.file.Path;

/** A kept snapshot cannot be read back: the sandbox does not start on half its state. */
public final class SandboxSnapshotException extends IllegalStateException {

    private final transient Path file;

    SandboxSnapshotException(Path file, Exception cause) {
        // the cause's class only: a parser's message quotes the file's content, which holds personal data
        super("the CRM sandbox cannot read its snapshot " + file + " (" + cause.getClass().getSimpleName() + ")", cause);
        this.file = file;
    }

    public Path file() {
        return file;
    }
}
