package certgate.eventstore;

import java.util.List;
import java.util.function.Consumer;

/**
 * An append-only sequence of events. Sequence numbers start at 0 and have no gaps. {@link #append} returns only
 * once the events are as durable as the implementation promises (for the on-disk log: fsynced).
 */
public interface EventLog extends AutoCloseable {

    /** Appends the events in order, as one batch, and returns the sequence number of each. */
    List<Long> append(List<? extends Event> events);

    /** Appends one event and returns its sequence number. */
    default long append(Event event) {
        return append(List.of(event)).get(0);
    }

    /** The sequence number the next appended event will get: the number of events in the log. */
    long nextSequence();

    /** Feeds every event from {@code fromSequence} (inclusive) to the end, in order, to {@code reader}. */
    void read(long fromSequence, Consumer<RecordedEvent> reader);

    @Override
    void close();
}
