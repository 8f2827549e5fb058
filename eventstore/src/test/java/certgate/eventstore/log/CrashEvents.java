package certgate.eventstore.log;

import certgate.eventstore.Blob;
import certgate.eventstore.CrlLoaded;
import certgate.eventstore.Event;
import certgate.eventstore.IkeIdentity;
import certgate.eventstore.Reason;
import certgate.eventstore.ValidationDecided;
import certgate.eventstore.ValidationRequested;
import certgate.eventstore.ValidationSettings;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Events determined by an id alone, so a process can check what another one appended. */
final class CrashEvents {
    private static final Blob[] PEERS = new Blob[20];

    static {
        for (int i = 0; i < PEERS.length; i++) {
            PEERS[i] = Blob.of(("peer certificate " + i + " ").repeat(30).getBytes(StandardCharsets.US_ASCII));
        }
    }

    private CrashEvents() {
    }

    static Event event(String id) {
        int h = id.hashCode() & 0x7fffffff;
        if (h % 40 == 0) {
            // A large CRL makes a write of many pages, which a kill can cut short: a torn tail.
            byte[] crl = (id + " revoked serials ").repeat(4_000).getBytes(StandardCharsets.US_ASCII);
            return new CrlLoaded(Blob.of(crl), "http://crl.example.net/" + id + ".crl");
        }
        if (h % 3 == 0) {
            return new ValidationDecided(id, h % 2 == 0 ? certgate.eventstore.Verdict.ACCEPT
                    : certgate.eventstore.Verdict.REJECT, Reason.values()[h % Reason.values().length]);
        }
        return new ValidationRequested(id, PEERS[h % PEERS.length], List.of(PEERS[(h / 7) % PEERS.length]),
                Optional.of(new IkeIdentity(IkeIdentity.Type.FQDN, "gw" + (h % 100) + ".example.net")),
                Instant.ofEpochSecond(1_700_000_000L + h % 1_000_000), ValidationSettings.DEFAULTS,
                Optional.of("branches"), Optional.empty());
    }

    /** The id of an event made by {@link #event}. */
    static String idOf(Event event) {
        if (event instanceof ValidationDecided decided) {
            return decided.requestId();
        }
        if (event instanceof CrlLoaded crl) {
            return crl.source();
        }
        return ((ValidationRequested) event).requestId();
    }
}
