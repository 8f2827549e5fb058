package certgate.adapters.checkpoint;

/** A key file that cannot be used for checkpoints, with why; the message is one line naming the file. */
public final class KeyFileException extends Exception {
    private static final long serialVersionUID = 1L;

    KeyFileException(String message) {
        super(message);
    }
}
