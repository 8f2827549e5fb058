package certgate.adapters.cli;

/**
 * The command line asks for something the command cannot do: an unknown option, a missing or malformed value,
 * or an input file that cannot be used. The message is one line; the dispatcher adds the command and a hint.
 */
public final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }
}
