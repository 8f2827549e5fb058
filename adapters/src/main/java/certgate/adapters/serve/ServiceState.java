package certgate.adapters.serve;

import certgate.engine.Engine;
import certgate.eventstore.Event;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What an endpoint mounted in {@code certgate serve} may use: the engine state as of the last durable event,
 * and the log, through the service's group commit. An endpoint that records what it answered appends that
 * first and answers only once it is durable, so an auditor sees what each client was told.
 */
public interface ServiceState {
    /**
     * Exchange attribute: a handler that answers after it returns (see {@code LoopHttpServer.answersLater}) sets a
     * {@code CompletableFuture} here, completed once the answer is handed over; the service's request log line and
     * counters wait for it.
     */
    String ANSWERED_LATER = "certgate.answeredLater";

    /** The state as of the last event made durable (immutable: safe to use while others append). */
    Engine state();

    /**
     * Appends {@code events} as one batch, in the group commit shared by all concurrent callers, and returns
     * their sequences once they are durable (fsynced). Throws when the log refuses them; nothing was acknowledged
     * then.
     */
    List<Long> appendDurably(List<? extends Event> events);

    /**
     * As {@link #appendDurably}, without waiting: the sequences come once the events are durable, on the thread
     * that made them so (or the failure does). This default waits here; the service's state does not.
     */
    default CompletableFuture<List<Long>> appendDurablyLater(List<? extends Event> events) {
        try {
            return CompletableFuture.completedFuture(appendDurably(events));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
