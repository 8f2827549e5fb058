package certgate.adapters.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.adapters.cli.StoreFixture.Pki;
import certgate.adapters.cli.StoreFixture.Result;
import certgate.engine.testpki.TestPki;
import certgate.eventstore.CrlLoaded;
import certgate.eventstore.IkeIdentity;
import certgate.eventstore.Reason;
import certgate.eventstore.RecordedEvent;
import certgate.eventstore.ValidationDecided;
import certgate.eventstore.ValidationRequested;
import certgate.eventstore.ValidationSettings;
import certgate.eventstore.Verdict;
import certgate.eventstore.log.FileEventLog;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidateCommandTest {
    @TempDir
    Path dir;
    StoreFixture fixture;
    Pki pki;

    @BeforeEach
    void setUp() {
        fixture = new StoreFixture(dir);
        pki = Pki.create().writeTo(fixture);
    }

    @Test
    void accepts_a_good_peer_and_records_the_request_and_the_decision() {
        fixture.loadAll();
        fixture.clock.set(TestPki.NOW);

        Result result = fixture.run("validate", "--peer", "gw1.pem", "--id", "fqdn:gw1.example.net");

        assertEquals(0, result.status(), result.toString());
        assertTrue(result.out().startsWith("decision d-4 recorded at sequence 5 (request at sequence 4)\naccept OK\n"),
                result.out());
        List<RecordedEvent> events = fixture.events();
        assertEquals(6, events.size());
        ValidationRequested request = (ValidationRequested) events.get(4).event();
        assertEquals("d-4", request.requestId());
        assertEquals(pki.good().blob(), request.peer());
        assertEquals(Optional.of(IkeIdentity.parse("fqdn:gw1.example.net")), request.identity());
        assertEquals(TestPki.NOW, request.at(), "without --at the request takes the adapter's clock");
        assertEquals(ValidationSettings.DEFAULTS, request.settings());
        assertEquals(new ValidationDecided("d-4", Verdict.ACCEPT, Reason.OK), events.get(5).event());
    }

    @Test
    void rejects_a_revoked_peer_with_status_1_and_records_the_reason() {
        fixture.loadAll();

        Result result = fixture.run("validate", "--peer", "gw2.pem", "--at", "2025-01-01T00:00:00Z");

        assertEquals(1, result.status(), result.toString());
        assertTrue(result.out().contains("reject REVOKED"), result.out());
        assertEquals(new ValidationDecided("d-4", Verdict.REJECT, Reason.REVOKED), fixture.events().get(5).event());
    }

    @Test
    void ids_stay_unique_across_runs() {
        fixture.loadAll();

        fixture.run("validate", "--peer", "gw1.pem", "--at", "2025-01-01");
        Result second = fixture.run("validate", "--peer", "gw1.pem", "--at", "2025-01-01");

        assertTrue(second.out().startsWith("decision d-6 recorded at sequence 7"), second.out());
    }

    @Test
    void prints_json_with_the_id_and_both_sequence_numbers() throws Exception {
        fixture.loadAll();

        Result result = fixture.run("validate", "--peer", "gw2.pem", "--at", "2025-01-01", "--format", "json");

        JsonNode json = DecisionFormat.JSON.readTree(result.out());
        assertEquals("d-4", json.get("requestId").asText());
        assertEquals(5, json.get("sequence").asLong());
        assertEquals(4, json.get("requestSequence").asLong());
        assertEquals("reject", json.get("verdict").asText());
        assertEquals("REVOKED", json.get("reason").asText());
    }

    @Test
    void appends_its_crls_before_the_request() {
        fixture.run("load", "ca", "root.pem", "issuing.pem");

        Result result = fixture.run("validate", "--peer", "gw2.pem", "--at", "2025-01-01", "--crl", "issuing.crl",
                "root.crl");

        assertEquals(1, result.status(), result.toString());
        assertTrue(result.out().contains("reject REVOKED"), result.out());
        assertTrue(result.err().contains("--crl issuing.crl: loaded at sequence 2"), result.err());
        List<RecordedEvent> events = fixture.events();
        assertTrue(events.get(2).event() instanceof CrlLoaded && events.get(3).event() instanceof CrlLoaded);
        assertEquals("d-4", ((ValidationRequested) events.get(4).event()).requestId());
    }

    @Test
    void a_refused_crl_appends_nothing_not_even_the_request() {
        fixture.run("load", "ca", "root.pem", "issuing.pem");
        fixture.writeCrl("bad.crl", pki.issuing().crl().badSignature().build());
        long before = fixture.storeBytes();

        Result result = fixture.run("validate", "--peer", "gw1.pem", "--crl", "bad.crl");

        assertEquals(2, result.status(), result.toString());
        assertTrue(result.err().contains("--crl bad.crl: refused: the signature"), result.err());
        assertEquals(before, fixture.storeBytes());
    }

    @Test
    void a_peer_file_that_is_no_certificate_is_a_recorded_rejection() {
        fixture.loadAll();
        fixture.write("junk.der", new byte[] {0x30, 0x03, 0x02, 0x01, 0x05});

        Result result = fixture.run("validate", "--peer", "junk.der");

        assertEquals(1, result.status(), result.toString());
        assertTrue(result.out().contains("reject MALFORMED_CERTIFICATE"), result.out());
        assertEquals(Reason.MALFORMED_CERTIFICATE, ((ValidationDecided) fixture.events().get(5).event()).reason());
    }

    @Test
    void a_peer_file_that_cannot_be_read_is_a_usage_error_and_appends_nothing() {
        fixture.loadAll();
        long before = fixture.storeBytes();

        Result result = fixture.run("validate", "--peer", "missing.pem");

        assertEquals(2, result.status(), result.toString());
        assertTrue(result.err().contains("missing.pem: cannot read: no such file"), result.err());
        assertEquals(before, fixture.storeBytes());
    }

    @Test
    void an_identity_the_certificate_does_not_carry_is_rejected() {
        fixture.loadAll();

        Result result = fixture.run("validate", "--peer", "gw1.pem", "--at", "2025-01-01",
                "--id", "fqdn:other.example.net");

        assertEquals(1, result.status(), result.toString());
        assertTrue(result.out().contains("reject IDENTITY_MISMATCH"), result.out());
    }

    @Test
    void settings_are_recorded_with_the_request() {
        fixture.run("load", "ca", "root.pem", "issuing.pem");

        Result result = fixture.run("validate", "--peer", "gw2.pem", "--at", "2025-01-01",
                "--revocation-check", "disable", "--max-ca-levels", "3", "--path-validation", "full");

        assertEquals(0, result.status(), result.toString());
        ValidationSettings settings = ((ValidationRequested) fixture.events().get(2).event()).settings();
        assertEquals(ValidationSettings.RevocationCheck.DISABLE, settings.revocationCheck());
        assertEquals(3, settings.maxCaLevels());
        assertEquals(ValidationSettings.PathValidation.FULL, settings.pathValidation());
    }

    @Test
    void a_second_writer_is_refused() {
        fixture.loadAll();
        try (FileEventLog holder = FileEventLog.openForAppend(fixture.store(), fixture.clock)) {
            Result result = fixture.run("validate", "--peer", "gw1.pem");

            assertEquals(ExitStatus.STORE_BUSY, result.status(), result.toString());
            assertTrue(result.err().contains("is already open for writing by pid"), result.err());
            assertEquals(4, holder.nextSequence());
        }
    }

    @Test
    void usage_errors_name_the_option() {
        assertTrue(fixture.run("validate").err().contains("--peer FILE is required"));
        assertTrue(fixture.run("validate", "--peer", "gw1.pem", "--at", "tomorrow").err().contains("--at:"));
        assertTrue(fixture.run("validate", "--peer", "gw1.pem", "--max-ca-levels", "0").err()
                .contains("--max-ca-levels '0'"));
        assertTrue(fixture.run("validate", "--peer", "gw1.pem", "--trust", "root.pem").err()
                .contains("unknown option '--trust'"));
        assertEquals(0, fixture.run("validate", "--help").status());
    }

    @Test
    void an_ike_id_that_is_not_of_its_type_is_a_usage_error_and_nothing_is_appended() {
        fixture.loadAll();
        long before = fixture.storeBytes();
        for (List<String> bad : List.of(List.of("ip:999.1.1.1", "'999.1.1.1' is not an IP address; expected ip:"),
                List.of("dn:garbage=", "'garbage=' is not a DN: "),
                List.of("ufqdn:no-at", "'no-at' is not an e-mail address; expected ufqdn:LOCAL@DOMAIN"))) {
            Result result = fixture.run("validate", "--peer", "gw1.pem", "--id", bad.get(0), "--at", "2025-01-01");

            assertEquals(2, result.status(), result.toString());
            assertTrue(result.err().startsWith("certgate validate: --id: IKE ID '" + bad.get(0) + "': "
                    + bad.get(1)), result.err());
        }
        assertEquals(before, fixture.storeBytes());
    }

    @Test
    void a_peer_file_that_starts_with_its_ca_gets_a_hint_about_the_order() {
        fixture.loadAll();
        fixture.write("ca-first.pem", (pki.issuing().certificate().pem() + pki.good().pem())
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII));

        Result result = fixture.run("validate", "--peer", "ca-first.pem", "--at", "2025-01-01");

        assertEquals(1, result.status(), result.toString());
        assertTrue(result.err().contains("certgate validate: hint: the first certificate in ca-first.pem is a CA"
                + " certificate; the peer's own certificate must come first"), result.err());
    }

    @Test
    void a_bug_while_validating_reaches_the_internal_error_handler_instead_of_passing_for_damage() {
        fixture.loadAll();
        StoreOption failing = new StoreOption(name -> {
            throw new IllegalStateException("a bug");
        }, dir);
        PrintStream discard = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

        // Main turns what escapes a command into exit status 3 and a request to report it (MainTest).
        assertThrows(IllegalStateException.class, () -> new ValidateCommand(fixture.clock, failing)
                .run(List.of("--peer", "gw1.pem"), new ByteArrayInputStream(new byte[0]), discard, discard));
    }

    @Test
    void the_decision_id_names_the_sequence_the_log_gave_its_request() throws Exception {
        fixture.loadAll();
        fixture.writeCrl("again.crl", pki.issuingCrl());

        Result result = fixture.run("validate", "--peer", "gw1.pem", "--crl", "again.crl", "--format", "json",
                "--at", "2025-01-01");

        JsonNode json = DecisionFormat.JSON.readTree(result.out());
        long requestSequence = json.get("requestSequence").asLong();
        assertEquals("d-" + requestSequence, json.get("requestId").asText());
        assertEquals(requestSequence + 1, json.get("sequence").asLong());
        assertEquals("d-" + requestSequence, ((ValidationRequested) fixture.events().get((int) requestSequence)
                .event()).requestId());
    }
}
