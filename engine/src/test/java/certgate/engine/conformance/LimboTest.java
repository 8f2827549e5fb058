package certgate.engine.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import certgate.engine.Decision;
import certgate.engine.Engine;
import certgate.eventstore.Blob;
import certgate.eventstore.CaCertificateLoaded;
import certgate.eventstore.CrlLoaded;
import certgate.eventstore.Event;
import certgate.eventstore.IkeIdentity;
import certgate.eventstore.ValidationRequested;
import certgate.eventstore.ValidationSettings;
import certgate.eventstore.Verdict;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * x509-limbo's RFC 5280 cases (not {@code webpki::}, no extended_key_usage constraint, no
 * {@code pedantic-webpki} feature: 141 cases), one dynamic test each, then the pass rate.
 *
 * <p>Mapping to an IKE decision: trusted_certs are locally stored CA certificates, untrusted_intermediates the
 * chain the peer sent, crls loaded CRLs; expected_peer_name is the IKE ID (DNS = fqdn, IP = ip, RFC822 =
 * ufqdn; none = no identity step); max_chain_depth + 1 is maxCaLevels (capped at 16, certgate's limit; 16 when
 * unspecified); a null validation_time is {@link #DEFAULT_TIME} (fixed, so the test never reads the clock).
 * Limbo has no revocation mode: on-download-failure accept. Partial path validation; SHA-1 refused. The
 * key_usage constraints are empty in these cases; certgate always requires digitalSignature on a peer key that
 * has keyUsage, since the peer signs the IKE AUTH payload with it.
 *
 * <p>A case that certgate decides differently from limbo fails its test, unless it is one of the
 * {@link #DIVERGENCES} documented below, which are reported as skipped with their reason. The last test fails
 * when fewer than 95% of the cases pass, prints every failing case with certgate's reason, and writes them to
 * {@code target/limbo-failures.txt}.
 */
class LimboTest {
    static final Instant DEFAULT_TIME = Instant.parse("2025-06-01T00:00:00Z");
    private static final double REQUIRED_PASS_RATE = 0.95;

    /** Cases where certgate knowingly decides otherwise than limbo expects, and why. */
    static final Map<String, String> DIVERGENCES = Map.of(
            "rfc5280::root-non-critical-basic-constraints",
            "RFC 5280 path validation does not require basicConstraints to be critical, and PKITS 4.6.4 requires "
                    + "a CA with non-critical basicConstraints to validate; certgate keeps one rule for all CAs",
            "rfc5280::aki::cross-signed-root-missing-aki",
            "a locally stored certificate is a trust anchor: only its name and key start the path (RFC 5280 "
                    + "6.1.1), so how it was issued (its AKI, its serial) is not checked; cve::cve-2024-0567 "
                    + "expects the same anchor without AKI to be accepted",
            "online::docs.python.org",
            "IKE identity: the certificate must carry the peer's FQDN itself; a wildcard dNSName "
                    + "(*.python.org) does not stand for a host in IKE, as in strongSwan",
            "pathlen::validation-ignores-pathlen-in-leaf",
            "IKE: the peer signs the AUTH payload with its key, so a peer certificate with keyUsage must assert "
                    + "digitalSignature; this leaf is a CA certificate with keyCertSign only",
            "rfc5280::ca-as-leaf",
            "IKE: the peer signs the AUTH payload with its key, so a peer certificate with keyUsage must assert "
                    + "digitalSignature; this leaf is a CA certificate with keyCertSign and cRLSign only",
            "rfc5280::nc::invalid-dnsname-leading-period",
            "a dNSName constraint '.example.com' is read as the names below example.com, as OpenSSL, Go, the "
                    + "JDK and BouncyCastle read it, rather than refused as malformed (RFC 5280 4.2.1.10 gives "
                    + "the leading dot for URI and rfc822Name constraints only)");

    private final Map<String, String> failures = new ConcurrentHashMap<>();
    private final Map<String, String> decisions = new ConcurrentHashMap<>();
    private int cases;

    @TestFactory
    Stream<DynamicTest> rfc5280_cases_of_x509_limbo() throws IOException {
        return SharedFiles.dynamicTests("limbo", LimboTest.class, this::selectedCases);
    }

    private Stream<DynamicTest> selectedCases(Path dir) throws IOException {
        JsonNode root = new ObjectMapper().readTree(dir.resolve("limbo.json").toFile());
        List<JsonNode> selected = new ArrayList<>();
        for (JsonNode testcase : root.get("testcases")) {
            if (selected(testcase)) {
                selected.add(testcase);
            }
        }
        cases = selected.size();
        Stream<DynamicTest> perCase = selected.stream().map(testcase ->
                DynamicTest.dynamicTest(testcase.get("id").asText(), () -> run(testcase)));
        return Stream.concat(perCase, Stream.of(DynamicTest.dynamicTest("pass rate is at least 95%",
                this::passRate)));
    }

    static boolean selected(JsonNode testcase) {
        String id = testcase.get("id").asText();
        boolean ekuConstrained = testcase.hasNonNull("extended_key_usage") && testcase.get("extended_key_usage")
                .size() > 0;
        boolean pedantic = StreamSupport.stream(testcase.get("features").spliterator(), false)
                .anyMatch(feature -> feature.asText().contains("pedantic-webpki"));
        return !id.startsWith("webpki::") && !ekuConstrained && !pedantic;
    }

    private void run(JsonNode testcase) {
        String id = testcase.get("id").asText();
        Decision decision = decide(testcase);
        Verdict expected = testcase.get("expected_result").asText().equals("SUCCESS") ? Verdict.ACCEPT
                : Verdict.REJECT;
        String detail = decision.trace().isEmpty() ? "" : decision.trace().get(decision.trace().size() - 1).detail();
        String reason = "expected " + expected + ", certgate " + decision.verdict() + " " + decision.reason()
                + (detail.isEmpty() ? "" : ": " + detail);
        decisions.put(id, reason);
        if (decision.verdict() == expected) {
            return;
        }
        failures.put(id, reason);
        if (DIVERGENCES.containsKey(id)) {
            Assumptions.abort("known divergence: " + DIVERGENCES.get(id) + " (" + reason + ")");
        }
        fail(id + ": " + reason + "\n" + PkitsTest.trace(decision));
    }

    static Decision decide(JsonNode testcase) {
        List<Event> events = new ArrayList<>();
        for (JsonNode pem : testcase.get("trusted_certs")) {
            events.add(new CaCertificateLoaded("limbo", Blob.of(Pem.decode(pem.asText()))));
        }
        int crl = 0;
        for (JsonNode pem : testcase.get("crls")) {
            events.add(new CrlLoaded(Blob.of(Pem.decode(pem.asText())), "limbo:crl" + crl++));
        }
        Engine engine = Engine.replay(events);
        List<Blob> chain = new ArrayList<>();
        for (JsonNode pem : testcase.get("untrusted_intermediates")) {
            chain.add(Blob.of(Pem.decode(pem.asText())));
        }
        JsonNode depth = testcase.get("max_chain_depth");
        int maxCaLevels = depth == null || depth.isNull() ? 16 : Math.min(16, depth.asInt() + 1);
        ValidationSettings settings = new ValidationSettings(ValidationSettings.RevocationCheck.CRL,
                ValidationSettings.OnDownloadFailure.ACCEPT, ValidationSettings.PathValidation.PARTIAL, maxCaLevels,
                false, Duration.ZERO);
        JsonNode time = testcase.get("validation_time");
        Instant at = time == null || time.isNull() ? DEFAULT_TIME : OffsetDateTime.parse(time.asText()).toInstant();
        ValidationRequested request = new ValidationRequested(testcase.get("id").asText(),
                Blob.of(Pem.decode(testcase.get("peer_certificate").asText())), chain, identity(testcase), at,
                settings, Optional.empty(), Optional.empty());
        return engine.decide(request);
    }

    private static Optional<IkeIdentity> identity(JsonNode testcase) {
        JsonNode name = testcase.get("expected_peer_name");
        if (name == null || name.isNull()) {
            return Optional.empty();
        }
        IkeIdentity.Type type = switch (name.get("kind").asText()) {
            case "DNS" -> IkeIdentity.Type.FQDN;
            case "IP" -> IkeIdentity.Type.IP;
            case "RFC822" -> IkeIdentity.Type.UFQDN;
            default -> throw new IllegalArgumentException("unknown peer name kind " + name.get("kind"));
        };
        return Optional.of(new IkeIdentity(type, name.get("value").asText()));
    }

    private void passRate() {
        List<String> lines = new ArrayList<>();
        failures.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(entry -> lines.add(entry.getKey() + "\t" + entry.getValue()));
        try {
            Path out = Path.of("target", "limbo-failures.txt");
            Files.createDirectories(out.getParent());
            Files.write(out, lines);
            Files.write(Path.of("target", "limbo-decisions.txt"), decisions.entrySet().stream()
                    .sorted(Map.Entry.comparingByKey()).map(entry -> entry.getKey() + "\t" + entry.getValue())
                    .toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int passed = cases - failures.size();
        double rate = cases == 0 ? 0 : (double) passed / cases;
        String summary = String.format("limbo: %d of %d RFC 5280 cases pass (%.1f%%)%n%s", passed, cases,
                100 * rate, String.join("\n", lines));
        System.out.println(summary);
        assertTrue(cases == 141, "expected the 141 RFC 5280 cases of limbo, selected " + cases);
        assertTrue(rate >= REQUIRED_PASS_RATE, summary);
    }
}
