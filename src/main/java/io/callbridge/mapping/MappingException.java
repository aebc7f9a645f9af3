package io.callbridge.mapping;

/** A rule or template that cannot be used, with the file and line an integrator must fix. */
public class MappingException extends Exception {

    private final String file;
    private final int line;

    public MappingException(String file, int line, String reason) {
        super(file + (line > 0 ? ":" + line : "") + ": " + reason);
        this.file = file;
        this.line = line;
    }

    public String file() {
        return file;
    }

    public int line() {
        return line;
    }
}
