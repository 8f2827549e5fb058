package certgate.engine;

/** A snapshot that cannot be read back: damaged, truncated, or written by another format version. */
public final class SnapshotFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    public SnapshotFormatException(String message) {
        super(message);
    }

    public SnapshotFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
