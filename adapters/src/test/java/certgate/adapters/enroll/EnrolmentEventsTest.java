package certgate.adapters.enroll;

import static org.junit.jupiter.api.Assertions.assertSame;

import certgate.engine.Engine;
import certgate.eventstore.Blob;
import certgate.eventstore.CertificateRequestGenerated;
import certgate.eventstore.Event;
import certgate.eventstore.IkeIdentity;
import certgate.eventstore.KeyPairGenerated;
import certgate.eventstore.LocalCertificateLoaded;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The gateway's own key, request and certificate are recorded, but the trust state does not depend on them. */
class EnrolmentEventsTest {

    @Test
    void the_engine_folds_nothing_from_the_enrolment_events() {
        Blob blob = Blob.of(new byte[] {0x30, 0x00});
        List<Event> events = List.of(new KeyPairGenerated(blob, "ec-p256", "gw.key"),
                new CertificateRequestGenerated("CN=gw1", List.of(IkeIdentity.parse("fqdn:gw1.example.net")), "aa",
                        "bb", "gw.p10"),
                new LocalCertificateLoaded(blob, Optional.of("gw1")));
        Engine empty = Engine.empty();
        for (Event event : events) {
            assertSame(empty, empty.apply(event), event.toString());
        }
    }
}
