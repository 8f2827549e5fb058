package certgate.eventstore;

import java.time.Instant;
import java.util.Objects;

/** An event as the log holds it: its position (from 0) and the time it was appended. */
public record RecordedEvent(long sequence, Instant appendedAt, Event event) {
    public RecordedEvent {
        if (sequence < 0) {
            throw new IllegalArgumentException("sequence must not be negative, was " + sequence);
        }
        Objects.requireNonNull(appendedAt, "appendedAt");
        Objects.requireNonNull(event, "event");
    }
}
