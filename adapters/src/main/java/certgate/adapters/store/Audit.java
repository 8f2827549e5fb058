package certgate.adapters.store;

import certgate.engine.Decision;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
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
 * <p>With more than one thread, the reading thread folds the log and hands batches of (state, request) pairs to
 * worker threads: an engine value is immutable and its verification cache is safe for concurrent use, so
 * decisions are independent of one another. Results are taken back in log order, so mismatches are reported in
 * the order the log holds them, whatever the number of threads.
 */
public final class Audit {
    /** Decisions handed to a worker at once: large enough that handing over costs little next to deciding. */
    private static final int BATCH = 256;

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
        Redecider redecider = threads == 1 ? new Inline(tally) : new Parallel(tally, threads);
        try {
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
                        redecider.unanswered(answer);
                    } else {
                        tally.outsideWindow++;
                    }
                    return;
                }
                tally.audited++;
                redecider.redecide(answer);
            });
            OpenedStore.reading(dir, replay, progress);
            redecider.finish();
            progress.done();
            return new Result(replay, tally.audited, tally.matched, tally.mismatched, tally.outsideWindow);
        } finally {
            redecider.close();
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

    /** Where answers go to be re-decided; outcomes reach the tally in the order the answers came. */
    private interface Redecider extends AutoCloseable {
        void redecide(Replay.Answer answer);

        /** An answer without a request (already counted as a mismatch), kept in order with the others. */
        void unanswered(Replay.Answer answer);

        void finish();

        @Override
        void close();
    }

    private static final class Inline implements Redecider {
        private final Tally tally;

        Inline(Tally tally) {
            this.tally = tally;
        }

        @Override
        public void redecide(Replay.Answer answer) {
            tally.outcome(answer, answer.request().orElseThrow().redecide());
        }

        @Override
        public void unanswered(Replay.Answer answer) {
            tally.outcome(answer, null);
        }

        @Override
        public void finish() {
        }

        @Override
        public void close() {
        }
    }

    /**
     * Batches of answers decided on a fixed pool; at most a few batches per thread in flight, so memory stays
     * bounded however long the log. An answer without a request rides in its batch with a null decision.
     */
    private static final class Parallel implements Redecider {
        private final Tally tally;
        private final ExecutorService pool;
        private final int maxInFlight;
        private final ArrayDeque<Future<Decided>> inFlight = new ArrayDeque<>();
        private List<Replay.Answer> batch = new ArrayList<>(BATCH);

        private record Decided(List<Replay.Answer> answers, Decision[] decisions) {
        }

        Parallel(Tally tally, int threads) {
            this.tally = tally;
            this.maxInFlight = threads * 4;
            AtomicInteger created = new AtomicInteger();
            this.pool = Executors.newFixedThreadPool(threads, task -> {
                Thread thread = new Thread(task, "certgate-audit-" + created.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            });
        }

        @Override
        public void redecide(Replay.Answer answer) {
            add(answer);
        }

        @Override
        public void unanswered(Replay.Answer answer) {
            add(answer);
        }

        private void add(Replay.Answer answer) {
            batch.add(answer);
            if (batch.size() == BATCH) {
                submit();
            }
        }

        private void submit() {
            List<Replay.Answer> answers = batch;
            batch = new ArrayList<>(BATCH);
            inFlight.add(pool.submit(() -> {
                Decision[] decisions = new Decision[answers.size()];
                for (int i = 0; i < decisions.length; i++) {
                    Optional<Replay.Request> request = answers.get(i).request();
                    decisions[i] = request.isPresent() ? request.get().redecide() : null;
                }
                return new Decided(answers, decisions);
            }));
            while (inFlight.size() > maxInFlight) {
                takeOldest();
            }
        }

        private void takeOldest() {
            Decided decided;
            try {
                decided = inFlight.removeFirst().get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("the audit was interrupted", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException runtime) {
                    throw runtime;
                }
                if (e.getCause() instanceof Error error) {
                    throw error;
                }
                throw new IllegalStateException(e.getCause());
            }
            for (int i = 0; i < decided.decisions().length; i++) {
                tally.outcome(decided.answers().get(i), decided.decisions()[i]);
            }
        }

        @Override
        public void finish() {
            if (!batch.isEmpty()) {
                submit();
            }
            while (!inFlight.isEmpty()) {
                takeOldest();
            }
        }

        @Override
        public void close() {
            pool.shutdownNow();
        }
    }
}
