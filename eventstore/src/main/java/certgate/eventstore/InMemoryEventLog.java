package certgate.eventstore;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** A log that lives as long as the process: what {@code certgate verify} records into. Not thread-safe. */
public final class InMemoryEventLog implements EventLog {
    private final Clock clock;
    private final List<RecordedEvent> events = new ArrayList<>();

    private InMemoryEventLog(Clock clock) {
        this.clock = clock;
    }

    public static InMemoryEventLog create(Clock clock) {
        return new InMemoryEventLog(clock);
    }

    @Override
    public List<Long> append(List<? extends Event> batch) {
        List<Long> sequences = new ArrayList<>(batch.size());
        var now = clock.instant();
        for (Event event : batch) {
            long sequence = events.size();
            events.add(new RecordedEvent(sequence, now, event));
            sequences.add(sequence);
        }
        return sequences;
    }

    @Override
    public long nextSequence() {
        return events.size();
    }

    @Override
    public void read(long fromSequence, Consumer<RecordedEvent> reader) {
        for (int i = (int) Math.max(0, fromSequence); i < events.size(); i++) {
            reader.accept(events.get(i));
        }
    }

    @Override
    public void close() {
    }
}
