package certgate.adapters.report;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/** A time span mapped onto a horizontal pixel range, with tick marks at round times (UTC). */
record TimeAxis(Instant start, Instant end, double left, double width) {
    private static final List<Duration> STEPS = List.of(Duration.ofMinutes(10), Duration.ofMinutes(30),
            Duration.ofHours(1), Duration.ofHours(2), Duration.ofHours(3), Duration.ofHours(6), Duration.ofHours(12),
            Duration.ofDays(1), Duration.ofDays(2), Duration.ofDays(7), Duration.ofDays(14), Duration.ofDays(28),
            Duration.ofDays(91), Duration.ofDays(182), Duration.ofDays(364));
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("MM-dd HH:mm").withZone(ZoneOffset.UTC);

    TimeAxis {
        if (!end.isAfter(start)) {
            throw new IllegalArgumentException("the axis ends at " + end + ", not after its start " + start);
        }
    }

    /** The x of {@code at}, clamped to the axis. */
    double x(Instant at) {
        double span = Duration.between(start, end).toMillis();
        double offset = Duration.between(start, at).toMillis();
        return left + width * Math.max(0, Math.min(1, offset / span));
    }

    boolean contains(Instant at) {
        return !at.isBefore(start) && !at.isAfter(end);
    }

    /** Round times within the axis, at most about {@code most} of them. */
    List<Instant> ticks(int most) {
        Duration span = Duration.between(start, end);
        Duration step = STEPS.get(STEPS.size() - 1);
        for (Duration candidate : STEPS) {
            if (span.dividedBy(candidate) <= most) {
                step = candidate;
                break;
            }
        }
        long seconds = step.getSeconds();
        long first = Math.floorDiv(start.getEpochSecond() + seconds - 1, seconds) * seconds;
        List<Instant> ticks = new ArrayList<>();
        for (long t = first; t <= end.getEpochSecond() && ticks.size() <= most * 2; t += seconds) {
            ticks.add(Instant.ofEpochSecond(t));
        }
        return ticks;
    }

    /** A tick's label: the date when the axis spans days, else the date and time. */
    String label(Instant tick) {
        return Duration.between(start, end).compareTo(Duration.ofDays(4)) > 0 ? DAY.format(tick) : HOUR.format(tick);
    }
}
