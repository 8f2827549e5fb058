package certgate.dsl.dn;

/** A DN string that is not RFC 4514 text, with the 0-based character column where the problem was found. */
public final class DnSyntaxException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int column;
    private final String problem;

    DnSyntaxException(String input, int column, String problem) {
        super("DN '" + input + "': " + problem + " (at column " + column + ")");
        this.column = column;
        this.problem = problem;
    }

    /** What is wrong, without the DN and column (for messages that show those their own way). */
    public String problem() {
        return problem;
    }

    /** The 0-based column in the DN string. */
    public int column() {
        return column;
    }
}
