package certgate.bench.crl;

import certgate.engine.Decision;
import certgate.engine.Engine;
import certgate.eventstore.Blob;
import certgate.eventstore.CaCertificateLoaded;
import certgate.eventstore.CrlLoaded;
import certgate.eventstore.IkeIdentity;
import certgate.eventstore.ValidationRequested;
import certgate.eventstore.ValidationSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * certgate on the benchmark's inputs: an {@link Engine} with the three CA certificates and the three CRLs
 * applied as events, deciding one {@link ValidationRequested} per peer (fqdn identity, default settings). The
 * requests are built before the clock starts, so a round times {@code decide} alone.
 */
final class CertgateRunner {
    private final BenchPki pki;
    private final List<ValidationRequested> requests;

    CertgateRunner(BenchPki pki) {
        this.pki = pki;
        List<ValidationRequested> built = new ArrayList<>(pki.peers.size());
        for (int i = 0; i < pki.peers.size(); i++) {
            built.add(new ValidationRequested("bench-" + i, Blob.of(pki.peerDers.get(i)), List.of(),
                    Optional.of(new IkeIdentity(IkeIdentity.Type.FQDN, BenchPki.peerName(i))), pki.at,
                    ValidationSettings.DEFAULTS, Optional.empty(), Optional.empty()));
        }
        this.requests = List.copyOf(built);
    }

    /** A fresh engine (nothing memoized yet) with the hierarchy and the CRLs loaded. */
    Engine loadedEngine() {
        Engine engine = Engine.empty();
        engine = engine.apply(new CaCertificateLoaded("default", Blob.of(BenchPki.encoded(pki.root))));
        engine = engine.apply(new CaCertificateLoaded("default", Blob.of(BenchPki.encoded(pki.intermediate))));
        engine = engine.apply(new CaCertificateLoaded("default", Blob.of(BenchPki.encoded(pki.issuing))));
        engine = engine.apply(new CrlLoaded(Blob.of(pki.rootCrl), "file:bench-root.crl"));
        engine = engine.apply(new CrlLoaded(Blob.of(pki.intermediateCrl), "file:bench-intermediate.crl"));
        return engine.apply(new CrlLoaded(Blob.of(pki.issuingCrl), "file:bench-issuing.crl"));
    }

    int peers() {
        return requests.size();
    }

    Decision decide(Engine engine, int peer) {
        return engine.decide(requests.get(peer));
    }
}
