package certgate.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import certgate.engine.testpki.TestPki;
import certgate.eventstore.Blob;
import certgate.eventstore.CaCertificateLoaded;
import certgate.testkit.Gens;
import certgate.testkit.Property;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A body from a distribution point is network input: damaged anyhow, it is refused with a code and a reason, never
 * a crash and never taken as the CA's CRL unless it is the very CRL the CA signed.
 */
class FetchedCrlProperties {
    private final TestPki ca = TestPki.root("CN=Fetch CA");
    private final byte[] good = ca.crl().revoke(java.math.BigInteger.TEN).build();

    @Test
    void a_damaged_body_is_refused_with_a_reason_or_is_exactly_the_signed_crl() {
        Engine engine = Engine.empty().apply(new CaCertificateLoaded("default", ca.certificate().blob()));
        CrlNeed need = engine.caCrls(TestPki.NOW, Optional.empty()).get(0);
        Property.forAll(Gens.damaged(good)).tries(1000).check(body -> {
            FetchedCrl checked = engine.checkFetchedCrl(Blob.of(body), need, "http://crl.example.net/x.crl",
                    TestPki.NOW);
            if (checked instanceof FetchedCrl.Unusable unusable) {
                assertNotNull(unusable.code());
                assertEquals(false, unusable.detail().isBlank());
            } else {
                assertArrayEquals(good, body, "a changed body was taken as the CA's CRL");
            }
        });
    }
}
