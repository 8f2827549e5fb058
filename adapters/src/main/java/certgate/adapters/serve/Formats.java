package certgate.adapters.serve;

import certgate.adapters.store.Replay;
import certgate.engine.Decision;
import certgate.eventstore.IkeIdentity;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Instant;

/**
 * The formats the service shares with the command line, given by it ({@code ServeCommand}), so that a decision,
 * the state and an IKE ID read and print exactly as {@code validate}, {@code replay} and {@code verify} do, and
 * this package does not depend on the command line's.
 */
public interface Formats {
    /** A decision as {@code certgate validate --format json} prints it. */
    ObjectNode decision(String requestId, Decision decision);

    /** The state as {@code certgate replay --format json} prints it, CRL freshness judged at {@code freshAt}. */
    ObjectNode state(Path store, Replay replay, Instant freshAt);

    /**
     * An IKE ID in the command line's syntax ({@code fqdn:gw1.example.net}, {@code ip:192.0.2.1}, ...).
     *
     * @throws IllegalArgumentException naming what is wrong with it
     */
    IkeIdentity ikeId(String text);
}
