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
    /** The store is locked by another writer. */
    public static final int STORE_BUSY = 4;
    /** The store is damaged: a record fails its checksum or the hash chain (eventstore's CorruptLogException). */
    public static final int STORE_DAMAGED = 5;

    private ExitStatus() {
    }
}
