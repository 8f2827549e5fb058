package certgate.adapters.checkpoint;

import certgate.eventstore.CheckpointSigned;
import certgate.eventstore.log.LogProblem;
import certgate.eventstore.log.VerifyReport;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code certgate log verify --checkpoint} found: whether the checkpoint is signed by the given key, and
 * whether the log still holds, unaltered, every record it covers. The log side reads {@link VerifyReport}: the
 * checkpoint's head is given to the verifier as an earlier head, and it must be the chain value found just
 * before the checkpoint's sequence.
 */
public record CheckpointCheck(Outcome outcome, String message) {
    /** Each with its own exit status in the command. */
    public enum Outcome {
        /** Signed by the key, and the log holds every record the checkpoint covers, unaltered. */
        VERIFIED,
        /** The signature is not valid for the key: forged, or damaged. */
        BAD_SIGNATURE,
        /** The checkpoint names another key than the one given. */
        OTHER_KEY,
        /** The log's chain value at the checkpoint's sequence is not its head: another store, or a rewritten log. */
        OTHER_LOG,
        /** The log ends, or lost records, before the checkpoint's sequence. */
        TRUNCATED,
        /** A record before the checkpoint's sequence fails its checks. */
        ALTERED,
        /** The checkpoint holds, but a record after it fails its checks. */
        DAMAGED_AFTER
    }

    public CheckpointCheck {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(message, "message");
    }

    /** The key's half: the fingerprint must be the key's, then the signature must verify with it. */
    public static Optional<CheckpointCheck> signature(CheckpointSigned checkpoint, CheckpointKeys.VerifyingKey key) {
        if (!checkpoint.keyFingerprint().equals(key.fingerprint())) {
            return Optional.of(new CheckpointCheck(Outcome.OTHER_KEY, "the checkpoint was signed by another key:"
                    + " it names key " + checkpoint.keyFingerprint() + ", the public key given is "
                    + key.fingerprint()));
        }
        if (!Checkpoints.signatureValid(checkpoint, key)) {
            return Optional.of(new CheckpointCheck(Outcome.BAD_SIGNATURE, "the checkpoint's signature is not valid"
                    + " for key " + key.fingerprint() + ": the checkpoint was forged or damaged (its sequence, head"
                    + " or signature changed)"));
        }
        return Optional.empty();
    }

    /** The log's half, from a verification given {@code checkpoint.head()} as the earlier head. */
    public static CheckpointCheck log(CheckpointSigned checkpoint, VerifyReport report) {
        long sequence = checkpoint.sequence();
        Optional<VerifyReport.HeadMatch> match = report.earlierHead();
        Optional<LogProblem> problem = report.problem().filter(p -> p.kind() != LogProblem.Kind.HEAD_NOT_FOUND);
        if (match.isPresent() && match.get().nextSequence() == sequence) {
            String holds = "the log holds every record before sequence " + sequence + " unaltered (head "
                    + checkpoint.head() + ")";
            if (problem.isPresent()) {
                return new CheckpointCheck(Outcome.DAMAGED_AFTER, "the checkpoint holds: " + holds
                        + "; but the log is damaged after it: first bad record: " + problem.get().describe());
            }
            return new CheckpointCheck(Outcome.VERIFIED, "checkpoint verified: signed by key "
                    + checkpoint.keyFingerprint() + "; " + holds);
        }
        if (problem.isPresent() && problem.get().sequence() < sequence) {
            if (problem.get().kind() == LogProblem.Kind.LOST_ACKNOWLEDGED) {
                return new CheckpointCheck(Outcome.TRUNCATED, "the log was truncated before the checkpoint's"
                        + " sequence " + sequence + ": " + problem.get().describe());
            }
            return new CheckpointCheck(Outcome.ALTERED, "the log was altered before the checkpoint's sequence "
                    + sequence + ": first bad record: " + problem.get().describe());
        }
        if (report.nextSequence() < sequence) {
            return new CheckpointCheck(Outcome.TRUNCATED, "the log was truncated before the checkpoint's sequence "
                    + sequence + ": it ends with " + (report.nextSequence() == 0 ? "no event"
                    : "sequence " + (report.nextSequence() - 1)) + " (records were cut from its end, or the"
                    + " checkpoint is of another, longer log)");
        }
        String after = problem.map(p -> "; the log is also damaged after it: first bad record: " + p.describe())
                .orElse("");
        return new CheckpointCheck(Outcome.OTHER_LOG, "the log's chain value before sequence " + sequence
                + " is not the checkpoint's head " + checkpoint.head() + ": the checkpoint is of another store, or"
                + " the log before it was rewritten and its chain recomputed" + after);
    }
}
