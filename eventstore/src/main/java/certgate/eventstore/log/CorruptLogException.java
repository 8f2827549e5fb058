package certgate.eventstore.log;

import java.nio.file.Path;

/**
 * A log that cannot be read or opened as it is: damage that is not a torn tail, named by position. certgate never
 * skips such a record and never truncates anything but a torn tail.
 */
public final class CorruptLogException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final Path directory;
    private final LogProblem problem;

    CorruptLogException(Path directory, LogProblem problem) {
        super("event store " + directory + ": " + problem.describe());
        this.directory = directory;
        this.problem = problem;
    }

    CorruptLogException(Path directory, LogProblem problem, Throwable cause) {
        super("event store " + directory + ": " + problem.describe(), cause);
        this.directory = directory;
        this.problem = problem;
    }

    public Path directory() {
        return directory;
    }

    public LogProblem problem() {
        return problem;
    }
}
