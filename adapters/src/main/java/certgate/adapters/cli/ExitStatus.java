package certgate.adapters.cli;

/** The exit statuses every certgate command uses. */
public final class ExitStatus {
    /** Accepted, or the command did what was asked. */
    public static final int OK = 0;
    /** Rejected (or, for a batch, at least one request rejected or in error). */
    public static final int REJECTED = 1;
    /** Usage error, or an input file (trust anchors, CRLs) that cannot be read or parsed. */
    public static final int USAGE = 2;
    /** A bug in certgate: an exception nobody expected. Fails closed, like a rejection. */
    public static final int INTERNAL_ERROR = 3;
    /** The store is busy: another writer holds it (after waiting {@code --wait}, when given). Try again. */
    public static final int STORE_BUSY = 4;
    /** The store is damaged: acknowledged records are damaged or missing; see {@code certgate log repair}. */
    public static final int STORE_DAMAGED = 5;
    /** ({@code log verify --checkpoint}) The checkpoint's signature is not valid for the key: forged or damaged. */
    public static final int CHECKPOINT_BAD_SIGNATURE = 6;
    /** ({@code log verify --checkpoint}) The checkpoint was signed by another key than the one given. */
    public static final int CHECKPOINT_OTHER_KEY = 7;
    /** ({@code log verify --checkpoint}) The log does not have the checkpoint's head at its sequence. */
    public static final int CHECKPOINT_OTHER_LOG = 8;
    /** ({@code log verify --checkpoint}) The log ends, or lost records, before the checkpoint's sequence. */
    public static final int CHECKPOINT_TRUNCATED = 9;

    private ExitStatus() {
    }
}
