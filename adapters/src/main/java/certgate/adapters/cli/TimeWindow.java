package certgate.adapters.cli;

import java.time.Instant;
import java.util.Optional;

/**
 * The window of {@code --from TIME} and {@code --until TIME} that audit, whatif and report take: either end may be
 * open, and a window that ends before it starts is a usage error rather than an empty answer.
 */
record TimeWindow(Optional<Instant> from, Optional<Instant> until) {
    /** The window the command line gives. */
    static TimeWindow of(Args args) throws UsageException {
        Optional<Instant> from = ReplayCommand.time(args, "--from");
        Optional<Instant> until = ReplayCommand.time(args, "--until");
        if (from.isPresent() && until.isPresent() && from.get().isAfter(until.get())) {
            throw new UsageException("--from " + from.get() + " is after --until " + until.get());
        }
        return new TimeWindow(from, until);
    }
}
