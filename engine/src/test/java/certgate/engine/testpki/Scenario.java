package certgate.engine.testpki;

import certgate.engine.Decision;
import certgate.engine.Engine;
import certgate.eventstore.CaCertificateLoaded;
import certgate.eventstore.CrlLoaded;
import certgate.eventstore.Blob;
import certgate.eventstore.Event;
import certgate.eventstore.IkeIdentity;
import certgate.eventstore.ValidationRequested;
import certgate.eventstore.ValidationSettings;
import certgate.eventstore.ValidationSettings.OnDownloadFailure;
import certgate.eventstore.ValidationSettings.PathValidation;
import certgate.eventstore.ValidationSettings.RevocationCheck;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A decision in a few lines: what is trusted, which CRLs are loaded, the settings, then the request.
 *
 * <pre>{@code
 * Decision d = Scenario.trusting(root).checkRevocation().crl(root.crl().build()).decide(gw, sub.certificate());
 * }</pre>
 *
 * <p>Defaults: the Junos defaults ({@link ValidationSettings#DEFAULTS}) except that revocation is not checked
 * unless the test asks for it ({@link #checkRevocation()}); decisions at {@link TestPki#NOW}; no IKE ID.
 */
public final class Scenario {
    private final List<Event> events = new ArrayList<>();
    private RevocationCheck revocationCheck = RevocationCheck.DISABLE;
    private OnDownloadFailure onDownloadFailure = OnDownloadFailure.REJECT;
    private PathValidation pathValidation = PathValidation.PARTIAL;
    private int maxCaLevels = ValidationSettings.DEFAULTS.maxCaLevels();
    private boolean allowSha1;
    private Duration clockSkew = Duration.ZERO;
    private Instant at = TestPki.NOW;
    private Optional<IkeIdentity> identity = Optional.empty();

    private Scenario() {
    }

    public static Scenario trusting(TestPki... cas) {
        Scenario scenario = new Scenario();
        for (TestPki ca : cas) {
            scenario.trust(ca.certificate());
        }
        return scenario;
    }

    public Scenario trust(TestCert certificate) {
        events.add(new CaCertificateLoaded("default", certificate.blob()));
        return this;
    }

    public Scenario crl(byte[] der) {
        events.add(new CrlLoaded(Blob.of(der), "test:crl" + events.size()));
        return this;
    }

    /** Revocation on, failing closed when no CRL covers a certificate. */
    public Scenario checkRevocation() {
        revocationCheck = RevocationCheck.CRL;
        return this;
    }

    public Scenario onDownloadFailure(OnDownloadFailure choice) {
        onDownloadFailure = choice;
        return this;
    }

    public Scenario fullPathValidation() {
        pathValidation = PathValidation.FULL;
        return this;
    }

    public Scenario maxCaLevels(int levels) {
        maxCaLevels = levels;
        return this;
    }

    public Scenario allowSha1() {
        allowSha1 = true;
        return this;
    }

    public Scenario clockSkew(Duration skew) {
        clockSkew = skew;
        return this;
    }

    public Scenario at(Instant time) {
        at = time;
        return this;
    }

    /** The IKE ID the peer presents, as {@code TYPE:VALUE}. */
    public Scenario identity(String typeColonValue) {
        identity = Optional.of(IkeIdentity.parse(typeColonValue));
        return this;
    }

    public ValidationSettings settings() {
        return new ValidationSettings(revocationCheck, onDownloadFailure, pathValidation, maxCaLevels, allowSha1,
                clockSkew);
    }

    public List<Event> events() {
        return List.copyOf(events);
    }

    public Engine engine() {
        return Engine.replay(events);
    }

    public ValidationRequested request(Blob peer, List<Blob> chain) {
        return new ValidationRequested("test", peer, chain, identity, at, settings(), Optional.empty(),
                Optional.empty());
    }

    public Decision decide(TestCert peer, TestCert... chain) {
        return decide(peer.blob(), Arrays.stream(chain).map(TestCert::blob).toList());
    }

    public Decision decide(Blob peer, List<Blob> chain) {
        return engine().decide(request(peer, chain));
    }
}
