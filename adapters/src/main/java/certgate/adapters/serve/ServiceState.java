package certgate.adapters.serve;

import certgate.engine.Engine;
import certgate.eventstore.Event;
import java.util.List;

/**
 * What an endpoint mounted in {@code certgate serve} may use: the engine state as of the last durable event,
 * and the log, through the service's group commit. An endpoint that records what it answered appends that
 * first and answers only once it is durable, so an auditor sees what each client was told.
 */
public interface ServiceState {
    /** The state as of the last event made durable (immutable: safe to use while others append). */
    Engine state();

    /**
     * Appends {@code events} as one batch, in the group commit shared by all concurrent callers, and returns
     * their sequences once they are durable (fsynced). Throws when the log refuses them; nothing was acknowledged
     * then.
     */
    List<Long> appendDurably(List<? extends Event> events);
}
