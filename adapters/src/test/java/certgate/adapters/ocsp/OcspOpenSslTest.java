package certgate.adapters.ocsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.adapters.cli.OpenSsl;
import certgate.engine.testpki.TestCert;
import certgate.engine.testpki.TestPki;
import certgate.eventstore.Blob;
import certgate.eventstore.OcspAnswered;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code openssl ocsp} as the client of certgate's responder: it sends its requests (SHA-1 CertIDs, a
 * nonce unless told not to), checks the signature against the delegated responder's certificate and the nonce,
 * and prints the status. Each answer must also be in the log. Skipped with one line where OpenSSL 3 is missing,
 * a failure under {@code CI=true}.
 */
class OcspOpenSslTest {
    @TempDir
    Path dir;
    private OcspFixture fixture;
    private final Instant now = Instant.now();

    @BeforeEach
    void start() {
        OpenSsl.assumeAvailable();
        fixture = new OcspFixture(dir, Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private String ocsp(String issuer, String certificate, String... more) {
        List<String> args = new ArrayList<>(List.of("ocsp", "-issuer", issuer, "-cert", certificate, "-url",
                fixture.url("/ocsp"), "-VAfile", "responder.pem", "-resp_text"));
        args.addAll(List.of(more));
        return OpenSsl.run(dir, args.toArray(String[]::new)).output();
    }

    @Test
    void a_peer_its_ca_has_not_revoked_is_good_with_the_dates_of_the_crl_and_the_nonce_echoed() {
        byte[] crl = fixture.crlRevokingOne(now);
        fixture.loadCrl(crl);
        String out = ocsp("ca.pem", "good.pem");
        assertTrue(out.contains("Response verify OK"), out);
        assertTrue(out.contains("good.pem: good"), out);
        assertTrue(out.contains("OCSP Nonce"), out);
        assertFalse(out.contains("WARNING"), out);
        assertEquals(List.of(new OcspAnswered("1.3.14.3.2.26", nameHash(out), keyHash(out),
                fixture.good.serial(), OcspAnswered.Status.GOOD, Optional.of(Blob.of(crl).sha256Hex()))),
                fixture.service.answers());
    }

    @Test
    void a_revoked_peer_is_revoked_with_the_time_and_reason_of_its_crl_entry() {
        byte[] crl = fixture.crlRevokingOne(now);
        fixture.loadCrl(crl);
        String out = ocsp("ca.pem", "revoked.pem");
        assertTrue(out.contains("Response verify OK"), out);
        assertTrue(out.contains("revoked.pem: revoked"), out);
        assertTrue(out.contains("Reason: keyCompromise"), out);
        OcspAnswered answer = fixture.service.answers().get(0);
        assertEquals(OcspAnswered.Status.REVOKED, answer.status());
        assertEquals(fixture.revoked.serial(), answer.serial());
        assertEquals(Optional.of(Blob.of(crl).sha256Hex()), answer.crlSha256());
    }

    @Test
    void a_peer_of_an_issuer_certgate_does_not_hold_is_unknown() throws IOException {
        fixture.loadCrl(fixture.crlRevokingOne(now));
        TestPki other = TestPki.root("CN=Other CA");
        TestCert stranger = other.leaf("CN=stranger.example.net", TestPki.dns("stranger.example.net"));
        Files.writeString(dir.resolve("other.pem"), other.certificate().pem());
        Files.writeString(dir.resolve("stranger.pem"), stranger.pem());
        String out = ocsp("other.pem", "stranger.pem");
        assertTrue(out.contains("Response verify OK"), out);
        assertTrue(out.contains("stranger.pem: unknown"), out);
        OcspAnswered answer = fixture.service.answers().get(0);
        assertEquals(OcspAnswered.Status.UNKNOWN, answer.status());
        assertEquals(Optional.empty(), answer.crlSha256());
    }

    @Test
    void without_a_crl_or_with_a_stale_one_the_answer_is_try_later() {
        String missing = ocsp("ca.pem", "good.pem");
        assertTrue(missing.contains("Responder Error: trylater"), missing);
        fixture.loadCrl(fixture.ca.crl().thisUpdate(now.minusSeconds(7 * 86_400))
                .nextUpdate(now.minusSeconds(86_400)).build());
        String stale = ocsp("ca.pem", "good.pem");
        assertTrue(stale.contains("Responder Error: trylater"), stale);
        List<OcspAnswered> answers = fixture.service.answers();
        assertEquals(2, answers.size());
        assertTrue(answers.stream().allMatch(a -> a.status() == OcspAnswered.Status.TRY_LATER), answers::toString);
        assertEquals(Optional.empty(), answers.get(0).crlSha256());
        assertTrue(answers.get(1).crlSha256().isPresent());
    }

    @Test
    void without_a_nonce_the_second_answer_comes_from_the_cache_and_is_recorded_too() {
        fixture.loadCrl(fixture.crlRevokingOne(now));
        String first = ocsp("ca.pem", "good.pem", "-no_nonce");
        String second = ocsp("ca.pem", "good.pem", "-no_nonce");
        assertTrue(first.contains("good.pem: good") && second.contains("good.pem: good"), first + second);
        assertEquals(producedAt(first), producedAt(second));
        assertEquals(2, fixture.service.answers().size());
    }

    @Test
    void a_crl_loaded_while_serving_takes_effect_at_once() {
        fixture.loadCrl(fixture.ca.crl().thisUpdate(now.minusSeconds(7_200)).nextUpdate(now.plusSeconds(86_400))
                .number(1).build());
        assertTrue(ocsp("ca.pem", "revoked.pem", "-no_nonce").contains("revoked.pem: good"));
        fixture.loadCrl(fixture.ca.crl().thisUpdate(now.minusSeconds(60)).nextUpdate(now.plusSeconds(86_400))
                .number(2).revoke(fixture.revoked.serial(), now.minusSeconds(120), 1).build());
        String out = ocsp("ca.pem", "revoked.pem", "-no_nonce");
        assertTrue(out.contains("revoked.pem: revoked"), out);
    }

    private static String line(String out, String label) {
        return out.lines().map(String::trim).filter(l -> l.startsWith(label)).findFirst()
                .orElseThrow(() -> new AssertionError("no '" + label + "' in:\n" + out)).substring(label.length())
                .trim();
    }

    private static String producedAt(String out) {
        return line(out, "Produced At:");
    }

    private static String nameHash(String out) {
        return line(out, "Issuer Name Hash:").toLowerCase();
    }

    private static String keyHash(String out) {
        return line(out, "Issuer Key Hash:").toLowerCase();
    }
}
