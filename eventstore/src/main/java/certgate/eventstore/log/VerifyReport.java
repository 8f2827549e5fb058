package certgate.eventstore.log;

import java.util.Objects;
import java.util.Optional;

/**
 * What {@link LogVerifier} found. {@code records} and {@code events} count what checked out before the first
 * problem; {@code head} is the chain value of the last of those records (hex; 64 zeroes for an empty log), and
 * {@code nextSequence} the sequence the event after them carries (it differs from {@code events} after a repair's
 * gap). {@code earlierHead} says, when a head was given, after how many records that head was the chain value.
 */
public record VerifyReport(long records, long events, long blobs, String head, long nextSequence,
                           Optional<TornTail> tornTail, Optional<HeadMatch> earlierHead,
                           Optional<LogProblem> problem) {

    /**
     * The given earlier head is the chain value after the first {@code records} records ({@code events} events);
     * {@code nextSequence} is the sequence of the event after that record, so the head covers every record before
     * it.
     */
    public record HeadMatch(String head, long records, long events, long nextSequence) {
    }

    public VerifyReport {
        Objects.requireNonNull(head, "head");
        Objects.requireNonNull(tornTail, "tornTail");
        Objects.requireNonNull(earlierHead, "earlierHead");
        Objects.requireNonNull(problem, "problem");
    }

    /** True when every record checked out (a torn tail is allowed) and a given earlier head was found. */
    public boolean passed() {
        return problem.isEmpty();
    }

    /** A few lines for a person: the verdict, the counts, the head, and the torn tail or the problem. */
    public String describe() {
        StringBuilder out = new StringBuilder();
        out.append(passed() ? "log verified: " : "log verification FAILED: ")
                .append(records).append(" records (").append(events).append(" events, ").append(blobs)
                .append(" blobs), head ").append(head).append('\n');
        earlierHead.ifPresent(match -> out.append("earlier head ").append(match.head()).append(" found after ")
                .append(match.records()).append(" records (").append(match.events()).append(" events)\n"));
        tornTail.ifPresent(torn -> out.append(torn.describe())
                .append("; the next writer truncates it\n"));
        problem.ifPresent(p -> out.append("first bad record: ").append(p.describe()).append('\n'));
        return out.toString();
    }
}
