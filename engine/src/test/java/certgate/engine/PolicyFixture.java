package certgate.engine;

import certgate.dsl.CompileResult;
import certgate.dsl.PolicyCompiler;
import certgate.dsl.policy.CompiledPolicy;
import certgate.engine.testpki.TestCert;
import certgate.engine.testpki.TestPki;
import certgate.eventstore.Blob;
import certgate.eventstore.CaCertificateLoaded;
import certgate.eventstore.CrlLoaded;
import certgate.eventstore.Event;
import certgate.eventstore.IkeIdentity;
import certgate.eventstore.PolicyActivated;
import certgate.eventstore.ValidationRequested;
import certgate.eventstore.ValidationSettings;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A policy from YAML text, the events of a test (CA loads under profiles, CRLs, the activation) and requests
 * bound to the policy. Decisions go through {@link Engine#decide(ValidationRequested)}, the path every adapter
 * and every replay takes.
 */
final class PolicyFixture {
    final String source;
    final CompiledPolicy policy;
    private final List<Event> events = new ArrayList<>();

    private PolicyFixture(String source) {
        this.source = source;
        CompileResult result = PolicyCompiler.compile("test-policy.yaml", source.getBytes(StandardCharsets.UTF_8));
        this.policy = result.policy().orElseThrow(() -> new AssertionError("the test policy does not compile: "
                + result.diagnostics()));
        events.add(new PolicyActivated(policy.revision(), source));
    }

    static PolicyFixture of(String yaml) {
        return new PolicyFixture(yaml);
    }

    PolicyFixture load(String profile, TestPki ca) {
        events.add(new CaCertificateLoaded(profile, ca.certificate().blob()));
        return this;
    }

    PolicyFixture crl(byte[] der) {
        events.add(new CrlLoaded(Blob.of(der), "test:crl" + events.size()));
        return this;
    }

    List<Event> events() {
        return List.copyOf(events);
    }

    Engine engine() {
        return Engine.replay(events);
    }

    ValidationRequested request(TestCert peer, Optional<String> id, Optional<String> gateway) {
        ValidationRequested draft = new ValidationRequested("test", peer.blob(), List.of(),
                id.map(IkeIdentity::parse), TestPki.NOW, ValidationSettings.DEFAULTS, gateway, Optional.empty());
        return PolicyDecisions.bind(policy, draft);
    }

    Decision decide(TestCert peer, String id) {
        return engine().decide(request(peer, Optional.of(id), Optional.empty()));
    }

    Decision decideAt(TestCert peer, String id, Instant at) {
        ValidationRequested bound = request(peer, Optional.of(id), Optional.empty());
        return engine().decide(new ValidationRequested(bound.requestId(), bound.peer(), bound.chain(),
                bound.identity(), at, bound.settings(), bound.gateway(), bound.policyRevision()));
    }

    Decision decideAtGateway(TestCert peer, Optional<String> id, String gateway) {
        return engine().decide(request(peer, id, Optional.of(gateway)));
    }
}
