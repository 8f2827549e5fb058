package certgate.adapters.serve;

import certgate.engine.Engine;
import certgate.eventstore.Event;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

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

    /** How an exchange is answered once what it waited for is done: with the value, or with the failure. */
    interface LaterAnswer<T> {
        void send(T value, Throwable failure) throws IOException;
    }

    /**
     * Answers {@code exchange} through {@code answer} when {@code done} completes, on the thread that completes it,
     * and closes the exchange whatever happens (a client that is gone is nothing to report: what it was told is in
     * the log). Marks the exchange {@link #ANSWERED_LATER}, so the request's log line waits for the answer; the
     * handler returns at once.
     */
    static <T> void answerWhenDone(HttpExchange exchange, CompletableFuture<T> done, LaterAnswer<T> answer) {
        CompletableFuture<Void> answered = new CompletableFuture<>();
        exchange.setAttribute(ANSWERED_LATER, answered);
        done.whenComplete((value, failure) -> {
            try (exchange) {
                answer.send(value, failure instanceof CompletionException c && c.getCause() != null ? c.getCause()
                        : failure);
            } catch (IOException | RuntimeException e) {
                // the client is gone, or its answer could not be written: the exchange is closed all the same
            } finally {
                answered.complete(null);
            }
        });
    }

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
