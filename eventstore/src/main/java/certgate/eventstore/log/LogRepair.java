package certgate.eventstore.log;

import certgate.eventstore.LogRepaired;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * {@code certgate log repair}: the one way past damage to acknowledged records. It moves the damaged part of the
 * log (from the first bad record to the end) aside into {@code damaged-<time>/} in the store, never deleting a
 * byte, and appends a {@link LogRepaired} event that says what was moved, which sequences were lost and why.
 * Sequence numbers are never reused: the log resumes after the highest sequence ever acknowledged (the writer
 * checkpoint's), in a new segment that starts with that event, leaving a gap it explains.
 */
public final class LogRepair {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private LogRepair() {
    }

    /** A segment file to move aside: whole, or (when {@code from} is past its header) its bytes from {@code from}. */
    public record Move(String segment, long from, long size) {
        public boolean whole() {
            return from == 0;
        }

        public String describe() {
            return whole() ? segment + " (" + size + " bytes, whole)" : segment + " (bytes " + from + ".." + size
                    + " copied aside; the " + from + " bytes before them stay in the log)";
        }
    }

    /** What a repair does: the damage found, the files moved aside, the sequences lost, where the log resumes. */
    public record Plan(LogProblem problem, List<Move> moves, long firstLost, long resumedAt, String head) {
        public Plan {
            moves = List.copyOf(moves);
        }

        /** A few lines for a person. */
        public String describe() {
            StringBuilder out = new StringBuilder("damage: ").append(problem.describe()).append('\n');
            if (moves.isEmpty()) {
                out.append("nothing to move aside (the log ends before what was acknowledged)\n");
            }
            for (Move move : moves) {
                out.append("move aside: ").append(move.describe()).append('\n');
            }
            out.append(resumedAt > firstLost ? "sequences lost: " + firstLost + ".." + (resumedAt - 1)
                    : "sequences lost: none acknowledged").append('\n');
            out.append("the log resumes at sequence ").append(resumedAt).append(" with a LogRepaired event\n");
            return out.toString();
        }
    }

    /** What a repair did: its plan, where the files went, and the sequence of its LogRepaired event. */
    public record Repaired(Plan plan, Path movedTo, long sequence) {
    }

    /** What a repair of {@code dir} would do; empty when the log verifies (a torn tail is no damage). */
    public static Optional<Plan> plan(Path dir) {
        VerifyReport report = LogVerifier.verify(dir);
        if (report.passed()) {
            return Optional.empty();
        }
        LogProblem problem = report.problem().orElseThrow();
        long firstLost = problem.sequence();
        long resumedAt = Math.max(Checkpoint.acknowledged(dir), firstLost);
        String head = report.head();
        List<Move> moves = new ArrayList<>();
        boolean cut = false;
        try {
            for (Segments.SegmentFile segment : Segments.list(dir)) {
                long size = Files.size(segment.path());
                if (cut) {
                    moves.add(new Move(segment.name(), 0, size));
                } else if (segment.name().equals(problem.segment())) {
                    cut = true;
                    // A segment left with no event (only its header, or blobs before the damaged event) goes whole,
                    // and the log continues from the chain value its header carries.
                    boolean whole = problem.offset() <= Segments.HEADER_BYTES || segment.base() == firstLost;
                    if (whole && problem.offset() > Segments.HEADER_BYTES) {
                        head = previousChain(segment);
                    }
                    if (whole) {
                        moves.add(new Move(segment.name(), 0, size));
                    } else if (size > problem.offset()) {
                        moves.add(new Move(segment.name(), problem.offset(), size));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading event store " + dir + ": " + e.getMessage(), e);
        }
        return Optional.of(new Plan(problem, moves, firstLost, resumedAt, head));
    }

    /**
     * Repairs {@code dir} under the writer lock: moves the damaged part aside, then appends {@link LogRepaired}.
     *
     * @throws IllegalStateException when the log verifies: there is nothing to repair
     * @throws StoreLockedException when a writer holds the store
     */
    public static Repaired repair(Path dir, Clock clock) {
        WriterLock lock = WriterLock.acquire(dir);
        boolean handedOver = false;
        try {
            Plan plan = plan(dir).orElseThrow(() -> new IllegalStateException("event store " + dir
                    + " verifies: there is nothing to repair"));
            Path aside = asideDirectory(dir, clock);
            List<String> moved = new ArrayList<>();
            for (Move move : plan.moves()) {
                moveAside(dir, aside, move);
                moved.add(move.describe());
            }
            Segments.forceDirectory(aside);
            Segments.forceDirectory(dir);
            Segments.create(dir, plan.resumedAt(), HexFormat.of().parseHex(plan.head())).close();
            FileEventLog log = FileEventLog.openLocked(dir, clock, FileEventLog.DEFAULT_SEGMENT_BYTES, lock);
            handedOver = true;
            try (log) {
                long sequence = log.append(new LogRepaired(aside.getFileName().toString(), moved, plan.firstLost(),
                        plan.resumedAt(), plan.problem().describe()));
                return new Repaired(plan, aside, sequence);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("repairing event store " + dir + ": " + e.getMessage(), e);
        } finally {
            if (!handedOver) {
                lock.close();
            }
        }
    }

    private static Path asideDirectory(Path dir, Clock clock) throws IOException {
        String stamp = "damaged-" + STAMP.format(clock.instant());
        Path aside = dir.resolve(stamp);
        for (int n = 2; Files.exists(aside); n++) {
            aside = dir.resolve(stamp + "-" + n);
        }
        return Files.createDirectory(aside);
    }

    private static void moveAside(Path dir, Path aside, Move move) throws IOException {
        Path source = dir.resolve(move.segment());
        Path target = aside.resolve(move.segment());
        if (move.whole()) {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
            return;
        }
        // The whole file is copied aside and forced before the log loses a byte of it.
        Files.copy(source, target);
        try (FileChannel copy = FileChannel.open(target, StandardOpenOption.WRITE)) {
            copy.force(true);
        }
        try (FileChannel log = FileChannel.open(source, StandardOpenOption.WRITE)) {
            log.truncate(move.from());
            log.force(true);
        }
    }

    private static String previousChain(Segments.SegmentFile segment) throws IOException {
        try (FileChannel channel = FileChannel.open(segment.path(), StandardOpenOption.READ)) {
            return HexFormat.of().formatHex(Segments.readHeader(channel, segment).header().previousChain());
        }
    }
}
