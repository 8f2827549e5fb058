package certgate.adapters.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import certgate.adapters.pem.PkiFiles;
import certgate.adapters.pem.PkiFiles.Kind;
import certgate.engine.Decision;
import certgate.engine.Engine;
import certgate.eventstore.Blob;
import certgate.eventstore.CaCertificateLoaded;
import certgate.eventstore.CrlLoaded;
import certgate.eventstore.Event;
import certgate.eventstore.InMemoryEventLog;
import certgate.eventstore.RecordedEvent;
import certgate.eventstore.Reason;
import certgate.eventstore.ValidationDecided;
import certgate.eventstore.ValidationRequested;
import certgate.eventstore.ValidationSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LoggedEngineTest {
    private static final Map<String, byte[]> PKI = ExamplePkiGenerator.files();

    private static Blob only(String name, Kind kind) throws Exception {
        return PkiFiles.parse(name, PKI.get(name), kind).get(0);
    }

    @Test
    void loads_request_and_decision_are_recorded_in_order_and_the_decision_is_the_logs() throws Exception {
        InMemoryEventLog log = InMemoryEventLog.create(Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));
        LoggedEngine engine = new LoggedEngine(log);
        engine.append(List.of(new CaCertificateLoaded("default", only("issuing-ca.pem", Kind.CERTIFICATE)),
                new CrlLoaded(only("issuing-ca.crl", Kind.CRL), "file:issuing-ca.crl")));
        ValidationRequested request = new ValidationRequested("req-1", only("gw-revoked.pem", Kind.CERTIFICATE),
                List.of(), Optional.empty(), Instant.parse("2030-01-01T00:00:00Z"), ValidationSettings.DEFAULTS,
                Optional.empty(), Optional.empty());

        Decision decision = engine.decide(request);

        assertEquals(Reason.REVOKED, decision.reason());
        List<Event> events = new ArrayList<>();
        log.read(0, recorded -> events.add(recorded.event()));
        assertEquals(4, events.size());
        assertInstanceOf(CaCertificateLoaded.class, events.get(0));
        assertInstanceOf(CrlLoaded.class, events.get(1));
        assertEquals(request, events.get(2));
        assertEquals(new ValidationDecided("req-1", decision.verdict(), decision.reason()), events.get(3));
        // Replaying the log alone gives the same decision: nothing reached the engine around the log.
        assertEquals(decision, Engine.replay(events.subList(0, 3)).decide(request));
    }

    @Test
    void an_engine_over_an_existing_log_starts_from_what_it_holds() throws Exception {
        InMemoryEventLog log = InMemoryEventLog.create(Clock.systemUTC());
        log.append(new CaCertificateLoaded("default", only("issuing-ca.pem", Kind.CERTIFICATE)));
        ValidationSettings noCrl = new ValidationSettings(ValidationSettings.RevocationCheck.DISABLE,
                ValidationSettings.OnDownloadFailure.REJECT, ValidationSettings.PathValidation.PARTIAL, 7, false,
                Duration.ZERO);
        Decision decision = new LoggedEngine(log).decide(new ValidationRequested("req-1",
                only("gw-good.pem", Kind.CERTIFICATE), List.of(), Optional.empty(),
                Instant.parse("2030-01-01T00:00:00Z"), noCrl, Optional.empty(), Optional.empty()));
        assertEquals(Reason.OK, decision.reason());
        List<RecordedEvent> recorded = new ArrayList<>();
        log.read(0, recorded::add);
        assertEquals(List.of(0L, 1L, 2L), recorded.stream().map(RecordedEvent::sequence).toList());
    }
}
