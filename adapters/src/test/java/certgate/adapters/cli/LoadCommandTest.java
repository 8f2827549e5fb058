package certgate.adapters.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.adapters.cli.StoreFixture.Pki;
import certgate.adapters.cli.StoreFixture.Result;
import certgate.engine.testpki.TestCert;
import certgate.engine.testpki.TestPki;
import certgate.eventstore.CaCertificateLoaded;
import certgate.eventstore.CrlLoaded;
import certgate.eventstore.RecordedEvent;
import certgate.eventstore.log.FileEventLog;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoadCommandTest {
    @TempDir
    Path dir;
    StoreFixture fixture;
    Pki pki;

    @BeforeEach
    void setUp() {
        fixture = new StoreFixture(dir);
        pki = Pki.create().writeTo(fixture);
    }

    private List<RecordedEvent> events() {
        return fixture.events();
    }

    @Test
    void loads_a_root_and_its_intermediate_and_reports_each_at_its_sequence() {
        Result result = fixture.run("load", "ca", "root.pem", "issuing.pem");

        assertEquals(0, result.status(), result.toString());
        assertTrue(result.out().contains("root.pem: loaded at sequence 0: CA 'CN=Store Root CA"), result.out());
        assertTrue(result.out().contains("self-signed"), result.out());
        assertTrue(result.out().contains("issuing.pem: loaded at sequence 1: CA 'CN=Store Issuing CA"), result.out());
        assertTrue(result.out().contains("signature verified with CA 'CN=Store Root CA"), result.out());
        List<RecordedEvent> events = events();
        assertEquals(2, events.size());
        CaCertificateLoaded first = (CaCertificateLoaded) events.get(0).event();
        assertEquals("default", first.profile());
        assertEquals(pki.root().certificate().blob(), first.certificate());
    }

    @Test
    void loads_under_the_profile_named() {
        assertEquals(0, fixture.run("load", "ca", "root.pem", "--profile", "corp").status());

        assertEquals("corp", ((CaCertificateLoaded) events().get(0).event()).profile());
    }

    @Test
    void loads_an_intermediate_alone_since_a_partial_path_may_end_there() {
        Result result = fixture.run("load", "ca", "issuing.pem");

        assertEquals(0, result.status(), result.toString());
        assertTrue(result.out().contains("is not loaded, so a path may end here"), result.out());
    }

    @Test
    void refuses_a_file_that_is_not_a_certificate_and_creates_no_store() {
        fixture.write("junk.pem", "hello\n".getBytes());

        Result result = fixture.run("load", "ca", "root.pem", "junk.pem");

        assertEquals(2, result.status(), result.toString());
        assertTrue(result.err().contains("junk.pem"), result.err());
        assertTrue(result.err().contains("nothing appended"), result.err());
        assertFalse(Files.exists(fixture.store()), "a refused first load must not create the store");
    }

    @Test
    void refuses_a_crl_given_as_a_ca_certificate() {
        Result result = fixture.run("load", "ca", "root.crl");

        assertEquals(2, result.status(), result.toString());
        assertTrue(result.err().contains("root.crl") && result.err().contains("X509 CRL"), result.err());
    }

    @Test
    void refuses_an_end_entity_certificate_as_a_ca() {
        Result result = fixture.run("load", "ca", "gw1.pem");

        assertEquals(2, result.status(), result.toString());
        assertTrue(result.err().contains("gw1.pem: refused:"), result.err());
        assertTrue(result.err().contains("has no basicConstraints: not a CA; the engine would never take it as an"
                + " issuer or trust anchor"), result.err());
        assertFalse(Files.exists(fixture.store()), "a refused first load must not create the store");
    }

    @Test
    void refuses_a_ca_whose_signature_does_not_verify_with_its_loaded_issuer() {
        TestCert forged = pki.root().intermediate(TestPki.spec("CN=Forged CA, O=certgate test").badSignature())
                .certificate();
        fixture.writePem("forged.pem", forged);
        fixture.run("load", "ca", "root.pem");

        Result result = fixture.run("load", "ca", "forged.pem");

        assertEquals(2, result.status(), result.toString());
        assertTrue(result.err().contains("forged.pem: refused: the signature of 'CN=Forged CA"), result.err());
        assertTrue(result.err().contains("does not verify with the key of the loaded CA 'CN=Store Root CA"),
                result.err());
        assertEquals(1, events().size());
    }

    @Test
    void refuses_a_self_signed_root_whose_signature_is_broken() {
        TestPki broken = TestPki.root(TestPki.spec("CN=Broken Root").badSignature());
        fixture.writePem("broken.pem", broken.certificate());

        Result result = fixture.run("load", "ca", "broken.pem");

        assertEquals(2, result.status(), result.toString());
        assertTrue(result.err().contains("does not verify"), result.err());
    }

    @Test
    void refuses_a_ca_that_names_neither_itself_nor_its_issuers_key() {
        TestCert orphan = pki.root().intermediate(TestPki.spec("CN=No AKI CA, O=certgate test").noAuthorityKeyId())
                .certificate();
        fixture.writePem("orphan.pem", orphan);

        Result result = fixture.run("load", "ca", "orphan.pem");

        assertEquals(2, result.status(), result.toString());
        assertTrue(result.err().contains("has no authorityKeyIdentifier"), result.err());
    }

    @Test
    void checks_every_file_before_appending_any() {
        fixture.run("load", "ca", "root.pem");
        long before = fixture.storeBytes();

        Result result = fixture.run("load", "ca", "issuing.pem", "gw1.pem");

        assertEquals(2, result.status(), result.toString());
        assertTrue(result.err().contains("1 of 2 refused"), result.err());
        assertEquals(before, fixture.storeBytes(), "the good file of a refused load must not be appended either");
        assertEquals(1, events().size());
    }

    @Test
    void loads_a_crl_whose_signature_verifies_with_its_loaded_issuer() {
        fixture.run("load", "ca", "root.pem", "issuing.pem");

        Result result = fixture.run("load", "crl", "issuing.crl");

        assertEquals(0, result.status(), result.toString());
        assertTrue(result.out().contains("signature verified with CA 'CN=Store Issuing CA"), result.out());
        CrlLoaded loaded = (CrlLoaded) events().get(2).event();
        assertEquals("file:issuing.crl", loaded.source());
    }

    @Test
    void refuses_a_crl_whose_signature_does_not_verify_and_appends_nothing() {
        fixture.run("load", "ca", "root.pem", "issuing.pem");
        fixture.writeCrl("bad.crl", pki.issuing().crl().badSignature().build());
        fixture.writeCrl("other-key.crl", pki.issuing().crl().signedWith(pki.root().keyPair()).build());

        Result result = fixture.run("load", "crl", "root.crl", "bad.crl", "other-key.crl");

        assertEquals(2, result.status(), result.toString());
        assertTrue(result.err().contains("bad.crl: refused: the signature of the CRL of 'CN=Store Issuing CA"),
                result.err());
        assertTrue(result.err().contains("other-key.crl: refused:"), result.err());
        assertEquals(2, events().size(), "root.crl is good, but nothing of a refused load is appended");
    }

    @Test
    void keeps_a_crl_whose_issuer_is_not_loaded_and_says_it_is_checked_later() {
        fixture.run("load", "ca", "root.pem");

        Result result = fixture.run("load", "crl", "issuing.crl");

        assertEquals(0, result.status(), result.toString());
        assertTrue(result.out().contains("its issuer is not a loaded CA, so it is kept and its signature is"
                + " checked when a chain reaches that issuer"), result.out());
    }

    @Test
    void refuses_a_crl_the_engine_would_never_use() {
        fixture.writeCrl("unnumbered.crl", pki.issuing().crl().noNumber().build());

        Result result = fixture.run("load", "crl", "unnumbered.crl");

        assertEquals(2, result.status(), result.toString());
        assertTrue(result.err().contains("would never be used: it has no cRLNumber"), result.err());
    }

    @Test
    void refuses_a_certificate_given_as_a_crl() {
        Result result = fixture.run("load", "crl", "root.pem");

        assertEquals(2, result.status(), result.toString());
        assertTrue(result.err().contains("root.pem"), result.err());
    }

    @Test
    void skips_what_the_store_already_holds() {
        fixture.loadAll();

        Result result = fixture.run("load", "ca", "root.pem");
        Result again = fixture.run("load", "crl", "issuing.crl");

        assertEquals(0, result.status(), result.toString());
        assertTrue(result.out().contains("skipped:") && result.out().contains("already loaded"), result.out());
        assertTrue(result.out().contains("nothing appended"), result.out());
        assertEquals(0, again.status(), again.toString());
        assertEquals(4, events().size());
    }

    @Test
    void a_second_writer_is_refused_with_a_message_naming_the_holder() {
        try (FileEventLog holder = FileEventLog.openForAppend(fixture.store(), fixture.clock)) {
            Result result = fixture.run("load", "ca", "root.pem");

            assertEquals(ExitStatus.STORE_BUSY, result.status(), result.toString());
            assertTrue(result.err().contains("already open for writing by pid " + ProcessHandle.current().pid()),
                    result.err());
            assertEquals(0, holder.nextSequence());
        }
    }

    @Test
    void the_store_is_taken_from_the_environment_when_no_option_names_it() {
        StoreFixture withVariable = new StoreFixture(dir, Map.of("CERTGATE_STORE", "from-env"));

        Result result = withVariable.runExactly(List.of("load", "ca", "root.pem"));

        assertEquals(0, result.status(), result.toString());
        assertTrue(Files.isDirectory(dir.resolve("from-env")));
    }

    @Test
    void the_store_defaults_to_certgate_data_in_the_working_directory() {
        Result result = fixture.runExactly(List.of("load", "ca", "root.pem"));

        assertEquals(0, result.status(), result.toString());
        assertTrue(result.out().contains(dir.resolve("certgate-data").toString()), result.out());
    }

    @Test
    void usage_errors_say_what_load_takes() {
        assertTrue(fixture.run("load").err().contains("'load ca FILE...' or 'load crl FILE...'"));
        Result misspelt = fixture.run("load", "cas", "root.pem");
        assertEquals(2, misspelt.status());
        assertTrue(misspelt.err().contains("'cas' is not what load takes"), misspelt.err());
        assertTrue(fixture.run("load", "ca").err().contains("missing FILE"));
        assertTrue(fixture.run("load", "crl", "root.crl", "--profile", "x").err().contains("'load ca' only"));
        assertTrue(fixture.run("load", "ca", "root.pem", "--profile", "a b").err().contains("not a profile name"));
        assertEquals(0, fixture.run("load", "--help").status());
    }

    @Test
    void a_bug_while_loading_reaches_the_internal_error_handler_instead_of_passing_for_damage() {
        fixture.loadAll();
        // The store resolves once before the writer opens it; the second look stands in for a bug inside the
        // store's work, where damage used to be caught.
        int[] looks = {0};
        StoreOption failing = new StoreOption(name -> {
            if (++looks[0] > 1) {
                throw new IllegalStateException("a bug");
            }
            return dir.resolve("store").toString();
        }, dir);
        PrintStream discard = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

        // Main turns what escapes a command into exit status 3 and a request to report it (MainTest).
        assertThrows(IllegalStateException.class, () -> new LoadCommand(fixture.clock, failing)
                .run(List.of("ca", "root.pem"), new ByteArrayInputStream(new byte[0]), discard, discard));
    }
}
