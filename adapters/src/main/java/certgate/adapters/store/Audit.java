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

    /** Audits every decision of the store in {@code dir}, handing each mismatch to {@code mismatches} as found. */
    public static Result run(Path dir, Optional<Instant> from, Optional<Instant> until,
                             Consumer<Mismatch> mismatches, Progress progress) {
        long[] counts = new long[4];
        Replay replay = Replay.listening(answer -> {
            Optional<Replay.Request> request = answer.request();
            if (request.isPresent() && !inWindow(request.get().recorded().appendedAt(), from, until)) {
                counts[3]++;
                return;
            }
            if (request.isEmpty()) {
                if (inWindow(answer.recorded().appendedAt(), from, until)) {
                    counts[0]++;
                    counts[2]++;
                    mismatches.accept(new Mismatch(answer, Optional.empty()));
                } else {
                    counts[3]++;
                }
                return;
            }
            counts[0]++;
            Decision redecided = request.get().redecide();
            if (answer.matches(redecided)) {
                counts[1]++;
            } else {
                counts[2]++;
                mismatches.accept(new Mismatch(answer, Optional.of(redecided)));
            }
        });
        StoreReading.readWhile(dir, event -> {
            replay.accept(event);
            return true;
        }, progress);
        progress.done();
        return new Result(replay, counts[0], counts[1], counts[2], counts[3]);
    }

    static boolean inWindow(Instant at, Optional<Instant> from, Optional<Instant> until) {
        return from.map(start -> !at.isBefore(start)).orElse(true)
                && until.map(end -> !at.isAfter(end)).orElse(true);
    }
}
