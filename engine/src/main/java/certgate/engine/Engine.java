package certgate.engine;

import certgate.eventstore.Event;
import certgate.eventstore.ValidationRequested;

/**
 * The engine: PKI state built only by applying events, and decisions made only from that state and the
 * request. Pure: no clock, network or disk. An {@code Engine} value never changes; {@link #apply} returns the
 * next one.
 */
public final class Engine {

    private Engine() {
    }

    /** The state before any event. */
    public static Engine empty() {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** The state after {@code event}. Requests and decisions leave the PKI state as it is. */
    public Engine apply(Event event) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** Decides {@code request} against this state, at the request's time, under the request's settings. */
    public Decision decide(ValidationRequested request) {
        throw new UnsupportedOperationException("not yet implemented");
    }
}
