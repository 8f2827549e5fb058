package certgate.engine.x509;

import static org.junit.jupiter.api.Assertions.assertEquals;

import certgate.engine.testpki.TestPki;
import certgate.testkit.Gens;
import certgate.testkit.Property;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The DER walk never throws and agrees with BouncyCastle's own DER reading on damaged certificates. */
class DerProperties {
    private static final byte[] CERTIFICATE = TestPki.root("CN=Der Root").certificate().der();

    @Test
    void a_valid_certificate_is_well_formed_der() {
        assertEquals(Optional.empty(), Der.problem(CERTIFICATE));
    }

    @Test
    void damaged_der_is_answered_with_a_problem_or_accepted_never_an_exception() {
        Property.forAll(Gens.damaged(CERTIFICATE)).tries(2000).check(Der::problem);
        Property.forAll(Gens.bytes(0, 64)).tries(2000).check(Der::problem);
    }
}
