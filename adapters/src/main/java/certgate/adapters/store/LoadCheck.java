package certgate.adapters.store;

import certgate.engine.Admission;
import certgate.engine.Engine;
import certgate.eventstore.Blob;
import certgate.eventstore.CaCertificateLoaded;
import certgate.eventstore.CrlLoaded;
import certgate.eventstore.Event;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides, before anything is appended, whether CA certificates and CRLs may enter a store: the engine's
 * admission checks ({@link Engine#admitCaCertificates}, {@link Engine#admitCrls}) asked of the store's state,
 * each answer turned into the event to append (or none) and named by the file object it came from.
 */
public final class LoadCheck {

    /** Object {@code object} (from 1) of the {@code objects} in {@code file}. */
    public record Named(String file, int object, int objects, Blob blob) {
        /** How messages name it: {@code ca.pem}, or {@code ca.pem (object 2 of 3)}. */
        public String origin() {
            return objects == 1 ? file : file + " (object " + object + " of " + objects + ")";
        }
    }

    /** What becomes of one object. */
    public sealed interface Outcome permits Accepted, AlreadyLoaded, Refused {
        String origin();

        String message();
    }

    /** To be appended as {@code event}. */
    public record Accepted(String origin, Event event, String message) implements Outcome {
    }

    /** The store (or this load) has it already: nothing to append. */
    public record AlreadyLoaded(String origin, String message) implements Outcome {
    }

    /** Not to be loaded, for the reason in the message. */
    public record Refused(String origin, String message) implements Outcome {
    }

    private final Engine engine;

    private LoadCheck(Engine engine) {
        this.engine = engine;
    }

    /** A check against a store whose state is {@code engine}. */
    public static LoadCheck against(Engine engine) {
        return new LoadCheck(engine);
    }

    /** Every object of the load, checked together (one may be another's issuer), in the order given. */
    public List<Outcome> caCertificates(List<Named> certificates, String profile) {
        List<Admission> admissions = engine.admitCaCertificates(bytes(certificates), profile);
        List<Outcome> outcomes = new ArrayList<>();
        for (int i = 0; i < certificates.size(); i++) {
            Named named = certificates.get(i);
            outcomes.add(outcome(named, new CaCertificateLoaded(profile, named.blob()), admissions.get(i)));
        }
        return outcomes;
    }

    /**
     * Every CRL of the load, in the order given, each recorded with the source {@code file:NAME}. {@code now}
     * only adds a note when a CRL's nextUpdate is past (such a CRL is still accepted: a replay of past decisions
     * may need it).
     */
    public List<Outcome> crls(List<Named> crls, Instant now) {
        List<Admission> admissions = engine.admitCrls(crls.stream().map(Named::blob).toList(), now);
        List<Outcome> outcomes = new ArrayList<>();
        for (int i = 0; i < crls.size(); i++) {
            Named named = crls.get(i);
            outcomes.add(outcome(named, new CrlLoaded(named.blob(), "file:" + named.file()), admissions.get(i)));
        }
        return outcomes;
    }

    private static Outcome outcome(Named named, Event event, Admission admission) {
        if (admission instanceof Admission.Admitted admitted) {
            return new Accepted(named.origin(), event, admitted.message());
        }
        if (admission instanceof Admission.AlreadyHeld held) {
            return new AlreadyLoaded(named.origin(), held.message());
        }
        return new Refused(named.origin(), admission.message());
    }

    private static List<byte[]> bytes(List<Named> objects) {
        List<byte[]> bytes = new ArrayList<>(objects.size());
        objects.forEach(named -> bytes.add(named.blob().bytes()));
        return bytes;
    }
}
