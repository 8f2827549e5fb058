package certgate.eventstore.log;

import certgate.eventstore.Event;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One record as {@code certgate log dump} shows it: where it is, what it is, and a one-line {@code description}
 * of its payload; {@code event} holds the decoded event for event records (for a JSON dump).
 */
public record DumpedRecord(long sequence, Instant appendedAt, RecordKind kind, String type, int version,
                           String segment, long offset, int bytes, String chain, String description,
                           Optional<Event> event) {
    public DumpedRecord {
        Objects.requireNonNull(appendedAt, "appendedAt");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(segment, "segment");
        Objects.requireNonNull(chain, "chain");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(event, "event");
    }

    /** {@code 17 2025-01-01T10:00:00Z EVENT ValidationDecided v1 request=r-9 verdict=accept reason=OK}. */
    public String line() {
        return sequence + " " + appendedAt + " " + kind + " " + type + " v" + version + " " + description;
    }
}
