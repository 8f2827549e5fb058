package certgate.adapters.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.adapters.cli.StoreFixture.Pki;
import certgate.adapters.cli.StoreFixture.Result;
import certgate.testkit.Gens;
import certgate.testkit.Property;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A damaged CA certificate or CRL file is refused with a message naming the file, and the store is left as it was:
 * never an exception, never a changed certificate or CRL taken in. The CA that issued the damaged object is loaded,
 * so a changed object cannot pass as one whose issuer is unknown.
 */
class LoadCommandProperties {
    @TempDir
    Path dir;

    private void assertRefusedUntouched(StoreFixture fixture, Result result, long storeBytes) {
        assertEquals(2, result.status(), result.toString());
        assertTrue(result.err().contains("damaged.der"), result.toString());
        assertTrue(result.err().contains("nothing appended"), result.toString());
        assertFalse(result.err().contains("internal error"), result.toString());
        assertEquals(storeBytes, fixture.storeBytes(), "a refused load must leave the store as it was");
    }

    @Test
    void a_damaged_ca_certificate_is_refused_by_name_and_appends_nothing() {
        StoreFixture fixture = new StoreFixture(dir);
        Pki pki = Pki.create().writeTo(fixture);
        fixture.run("load", "ca", "root.pem");
        long storeBytes = fixture.storeBytes();
        byte[] valid = pki.issuing().certificate().der();
        assertEquals(0, fixture.run("load", "ca", fixture.write("valid.der", valid), "--store", "elsewhere")
                .status(), "the undamaged certificate loads");

        Property.forAll(Gens.damaged(valid)).tries(60).check(damaged -> {
            fixture.write("damaged.der", damaged);
            assertRefusedUntouched(fixture, fixture.run("load", "ca", "damaged.der"), storeBytes);
        });
    }

    @Test
    void a_damaged_root_is_refused_by_name_even_into_an_empty_store() {
        StoreFixture fixture = new StoreFixture(dir);
        Pki pki = Pki.create().writeTo(fixture);
        byte[] valid = pki.root().certificate().der();
        assertEquals(0, fixture.run("load", "ca", fixture.write("valid.der", valid), "--store", "elsewhere")
                .status(), "the undamaged root loads");

        Property.forAll(Gens.damaged(valid)).tries(60).check(damaged -> {
            fixture.write("damaged.der", damaged);
            assertRefusedUntouched(fixture, fixture.run("load", "ca", "damaged.der"), 0);
        });
    }

    @Test
    void a_damaged_crl_is_refused_by_name_and_appends_nothing() {
        StoreFixture fixture = new StoreFixture(dir);
        Pki pki = Pki.create().writeTo(fixture);
        fixture.run("load", "ca", "root.pem", "issuing.pem");
        long storeBytes = fixture.storeBytes();
        byte[] valid = pki.issuingCrl();
        fixture.write("valid.der", valid);
        assertEquals(0, fixture.run("load", "ca", "root.pem", "issuing.pem", "--store", "elsewhere").status());
        assertEquals(0, fixture.run("load", "crl", "valid.der", "--store", "elsewhere").status(),
                "the undamaged CRL loads");

        Property.forAll(Gens.damaged(valid)).tries(60).check(damaged -> {
            fixture.write("damaged.der", damaged);
            assertRefusedUntouched(fixture, fixture.run("load", "crl", "damaged.der"), storeBytes);
        });
    }
}
