package certgate.adapters.store;

import certgate.engine.Decision;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Re-decides every recorded decision in one pass over a store and compares: what {@code certgate audit} and the
 * replay benchmark run. Each request is decided again in the state it was recorded in (see {@link Replay}); a
 * decision whose verdict or reason differs, or that answers no request, is a mismatch.
 *
 * <p>The window ({@code from}, {@code until}, both inclusive) selects decisions by the append time of their
 * request; the events before the window are still folded, since they make the state the window's requests were
 * decided in.
 *
 * <p>With more than one thread, the reading thread folds the log and hands the (state, request) pairs to worker
 * threads ({@link InOrder}): an engine value is immutable and its verification cache is safe for concurrent use, so
 * decisions are independent of one another. Results are taken back in log order, so mismatches are reported in
 * the order the log holds them, whatever the number of threads.
 */
public final class Audit {
    /** A decision the log holds that a replay does not reproduce; {@code redecided} is empty without a request. */
    public record Mismatch(Replay.Answer answer, Optional<Decision> redecided) {
        public String describe() {
            var recorded = answer.decision();
            String head = recorded.requestId() + " (decision at sequence " + answer.recorded().sequence() + "): ";
            if (redecided.isEmpty()) {
                return head + "recorded " + verdict(recorded.verdict()) + " " + recorded.reason()
                        + " answers no request recorded before it";
            }
            return head + "recorded " + verdict(recorded.verdict()) + " " + recorded.reason() + ", re-decided "
                    + verdict(redecided.get().verdict()) + " " + redecided.get().reason() + " (request at sequence "
                    + answer.request().orElseThrow().recorded().sequence() + ")";
        }

        private static String verdict(Enum<?> verdict) {
            return verdict.name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** What one audit found. {@code replay} is the fold at the end of the log, for its counts. */
    public record Result(Replay replay, long audited, long matched, long mismatched, long outsideWindow) {
        public boolean passed() {
            return mismatched == 0;
        }

        public List<Replay.Request> unanswered() {
            return replay.unanswered();
        }
    }

    private Audit() {
    }

    /** {@link #run(Path, Optional, Optional, int, Consumer, Progress)} with a thread per processor. */
    public static Result run(Path dir, Optional<Instant> from, Optional<Instant> until,
                             Consumer<Mismatch> mismatches, Progress progress) {
        return run(dir, from, until, Runtime.getRuntime().availableProcessors(), mismatches, progress);
    }

    /**
     * Audits every decision of the store in {@code dir} on {@code threads} deciding threads (1: all on the
     * calling thread), handing each mismatch to {@code mismatches} in log order.
     */
    public static Result run(Path dir, Optional<Instant> from, Optional<Instant> until, int threads,
                             Consumer<Mismatch> mismatches, Progress progress) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, was " + threads);
        }
        Tally tally = new Tally(mismatches);
        // An answer without a request rides along with a null decision, so that it is reported in log order too.
        try (InOrder<Replay.Answer, Decision> redecider = new InOrder<>(threads, "certgate-audit",
                answer -> answer.request().map(Replay.Request::redecide).orElse(null), tally::outcome)) {
            Replay replay = Replay.listening(answer -> {
                Optional<Replay.Request> request = answer.request();
                if (request.isPresent() && !inWindow(request.get().recorded().appendedAt(), from, until)) {
                    tally.outsideWindow++;
                    return;
                }
                if (request.isEmpty()) {
                    if (inWindow(answer.recorded().appendedAt(), from, until)) {
                        tally.audited++;
                        tally.mismatched++;
                        redecider.add(answer);
                    } else {
                        tally.outsideWindow++;
                    }
                    return;
                }
                tally.audited++;
                redecider.add(answer);
            });
            OpenedStore.reading(dir, replay, progress);
            redecider.finish();
            progress.done();
            return new Result(replay, tally.audited, tally.matched, tally.mismatched, tally.outsideWindow);
        }
    }

    static boolean inWindow(Instant at, Optional<Instant> from, Optional<Instant> until) {
        return from.map(start -> !at.isBefore(start)).orElse(true)
                && until.map(end -> !at.isAfter(end)).orElse(true);
    }

    /** The counts, kept by the reading thread only. */
    private static final class Tally {
        final Consumer<Mismatch> mismatches;
        long audited;
        long matched;
        long mismatched;
        long outsideWindow;

        Tally(Consumer<Mismatch> mismatches) {
            this.mismatches = mismatches;
        }

        /** One audited answer's outcome; {@code redecided} is null for an answer without a request. */
        void outcome(Replay.Answer answer, Decision redecided) {
            if (redecided == null) {
                mismatches.accept(new Mismatch(answer, Optional.empty()));
            } else if (answer.matches(redecided)) {
                matched++;
            } else {
                mismatched++;
                mismatches.accept(new Mismatch(answer, Optional.of(redecided)));
            }
        }
    }
}
