package certgate.adapters.cli;

import certgate.engine.Decision;
import certgate.engine.Engine;
import certgate.eventstore.Event;
import certgate.eventstore.EventLog;
import certgate.eventstore.RecordedEvent;
import certgate.eventstore.ValidationDecided;
import certgate.eventstore.ValidationRequested;
import java.util.ArrayList;
import java.util.List;

/**
 * The event-sourced path every input takes: append to the log, then fold what the log holds into the engine.
 * The engine never sees an event the log did not record, and decides the request as the log recorded it.
 */
final class LoggedEngine {
    private final EventLog log;
    private Engine engine = Engine.empty();
    private long nextToApply;

    LoggedEngine(EventLog log) {
        this.log = log;
        this.nextToApply = 0;
        catchUp();
    }

    /** Appends the events as one batch and applies them. */
    void append(List<? extends Event> events) {
        log.append(events);
        catchUp();
    }

    /** Appends the request, decides it as recorded, appends the decision. */
    Decision decide(ValidationRequested request) {
        long sequence = log.append(request);
        List<RecordedEvent> recorded = catchUp();
        ValidationRequested asRecorded = recorded.stream()
                .filter(r -> r.sequence() == sequence)
                .map(r -> (ValidationRequested) r.event())
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("request " + request.requestId()
                        + " was appended at " + sequence + " but the log does not return it"));
        Decision decision = engine.decide(asRecorded);
        log.append(new ValidationDecided(asRecorded.requestId(), decision.verdict(), decision.reason()));
        catchUp();
        return decision;
    }

    private List<RecordedEvent> catchUp() {
        List<RecordedEvent> recorded = new ArrayList<>();
        log.read(nextToApply, event -> {
            engine = engine.apply(event.event());
            nextToApply = event.sequence() + 1;
            recorded.add(event);
        });
        return recorded;
    }
}
