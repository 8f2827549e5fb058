package certgate.engine.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import certgate.engine.Decision;
import certgate.engine.Engine;
import certgate.engine.chain.PathValidator;
import certgate.engine.chain.PolicyTree;
import certgate.engine.x509.CertificateFormatException;
import certgate.engine.x509.ParsedCertificate;
import certgate.engine.x509.VerificationCache;
import certgate.engine.trace.TraceStep;
import certgate.eventstore.Blob;
import certgate.eventstore.CaCertificateLoaded;
import certgate.eventstore.CrlLoaded;
import certgate.eventstore.Event;
import certgate.eventstore.Reason;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * NIST PKITS sections 4.1-4.12 and 4.14, one dynamic test per case: the trust anchor and its CRL loaded as events,
 * the case's intermediates sent as the chain, its CRLs loaded, partial path validation at 2022-05-01, SHA-1
 * allowed (PKITS 2011 signs with it), up to 16 CA levels, and the revocation mode mapped to on-download-failure
 * (require = reject, check-if-available = accept).
 *
 * <p>Sections 4.1-4.7 and 4.14 are the rows of expected.tsv. The certificate policy sections 4.8-4.12 are the
 * entries of pkits.json: those with the RFC 5280 default initial values (any policy, no explicit policy, mapping
 * and anyPolicy not inhibited, which a gateway uses) go through the engine like the rest; those that give other
 * initial values (user-initial-policy-set, initial-explicit-policy, initial-policy-mapping-inhibit,
 * initial-any-policy-inhibit) are validated by {@link PathValidator} with those values on the path peer,
 * intermediates, trust anchor, without revocation (their default-valued entry for the same path checks it).
 * An invalid policy case must fail for a policy reason.
 */
class PkitsTest {
    private static final Instant AT = Instant.parse("2022-05-01T00:00:00Z");
    private static final List<String> POLICY_SECTIONS = List.of("408", "409", "410", "411", "412");

    private static boolean policySection(String id) {
        int section = Integer.parseInt(id.split("\\.")[1]);
        return section >= 8 && section <= 12;
    }

    @TestFactory
    Stream<DynamicTest> every_pkits_path_gets_the_expected_verdict() throws IOException {
        return SharedFiles.dynamicTests("pkits", PkitsTest.class, this::rows);
    }

    private Stream<DynamicTest> rows(Path dir) throws IOException {
        List<String> lines = Files.readAllLines(dir.resolve("expected.tsv"));
        List<String> header = Arrays.asList(lines.get(0).split("\t", -1));
        List<DynamicTest> tests = new ArrayList<>();
        lines.stream().skip(1).filter(line -> !line.isBlank()).forEach(line -> {
            String[] fields = line.split("\t", -1);
            Row row = new Row(fields[header.indexOf("pkits_id")], fields[header.indexOf("name")],
                    fields[header.indexOf("ee_cert")], list(fields[header.indexOf("intermediate_certs")]),
                    list(fields[header.indexOf("crls")]), fields[header.indexOf("revocation_mode")],
                    fields[header.indexOf("expected")], PolicyTree.Initial.GATEWAY, "");
            tests.add(DynamicTest.dynamicTest(row.id() + " " + row.name(), () -> run(dir, row)));
        });
        for (JsonNode entry : new ObjectMapper().readTree(dir.resolve("pkits.json").toFile())) {
            String number = entry.get("id").asText();
            if (POLICY_SECTIONS.contains(number.substring(0, 3))) {
                Row row = policyRow(entry);
                tests.add(DynamicTest.dynamicTest(row.id() + " " + row.name(), () -> run(dir, row)));
            }
        }
        tests.add(DynamicTest.dynamicTest("decisions written to target/pkits-decisions.txt", this::writeDecisions));
        return tests.stream();
    }

    /** A pkits.json entry: id "40801" is 4.8.1; an "error" makes it invalid; "params" are the initial values. */
    private static Row policyRow(JsonNode entry) {
        String number = entry.get("id").asText();
        String id = "4." + Integer.parseInt(number.substring(1, 3)) + "." + Integer.parseInt(number.substring(3));
        JsonNode params = entry.path("params");
        Set<String> userSet = new HashSet<>();
        params.path("user_initial_policy_set").forEach(oid -> userSet.add(oid.asText()));
        PolicyTree.Initial initial = new PolicyTree.Initial(userSet.isEmpty() ? Set.of(PolicyTree.ANY_POLICY) : userSet,
                params.path("initial_explicit_policy").asBoolean(false),
                params.path("initial_policy_mapping_inhibit").asBoolean(false),
                params.path("initial_any_policy_inhibit").asBoolean(false));
        List<String> intermediates = new ArrayList<>();
        entry.get("other_certs").forEach(name -> intermediates.add(name.asText()));
        List<String> crls = new ArrayList<>();
        entry.get("crls").forEach(name -> crls.add(name.asText()));
        JsonNode error = entry.path("error");
        return new Row(id, entry.get("name").asText(), entry.get("cert").asText(), intermediates, crls,
                entry.path("revocation").asBoolean(false) ? "require" : "check-if-available",
                error.isMissingNode() ? "valid" : "invalid", initial, error.path("msg_regex").asText(""));
    }

    private final Map<String, String> decisions = new ConcurrentHashMap<>();

    private void writeDecisions() throws IOException {
        Files.createDirectories(Path.of("target"));
        Files.write(Path.of("target", "pkits-decisions.txt"), decisions.entrySet().stream()
                .sorted(Map.Entry.comparingByKey(PkitsTest::byId))
                .map(entry -> entry.getKey() + "\t" + entry.getValue()).toList());
    }

    /** Decision keys are "id name": by the id's numbers, then by name. */
    private static int byId(String a, String b) {
        int[] x = Arrays.stream(a.split(" ")[0].split("\\.")).mapToInt(Integer::parseInt).toArray();
        int[] y = Arrays.stream(b.split(" ")[0].split("\\.")).mapToInt(Integer::parseInt).toArray();
        int byNumbers = Arrays.compare(x, y);
        return byNumbers != 0 ? byNumbers : a.compareTo(b);
    }

    record Row(String id, String name, String ee, List<String> intermediates, List<String> crls, String mode,
               String expected, PolicyTree.Initial policies, String failure) {
    }

    private static List<String> list(String field) {
        return field.isBlank() ? List.of() : Arrays.stream(field.split(",")).map(String::trim).toList();
    }

    private void run(Path dir, Row row) throws CertificateFormatException {
        Verdict expected = row.expected().equals("valid") ? Verdict.ACCEPT : Verdict.REJECT;
        Optional<Reason> expectedReason = Optional.empty();
        String note = "";
        if (policySection(row.id())) {
            List<ParsedCertificate> path = path(dir, row);
            Reason policyReason = row.failure().contains("policy mapping for the \"any policy\"")
                    ? Reason.INVALID_CERTIFICATE : Reason.POLICY_CONSTRAINTS_VIOLATED;
            PolicyTree.Outcome outcome = PolicyTree.process(path, row.policies());
            assertEquals(expected == Verdict.ACCEPT ? Reason.OK : policyReason,
                    outcome instanceof PolicyTree.Invalid invalid ? invalid.reason() : Reason.OK,
                    () -> row.id() + " policy processing alone: " + outcome);
            expectedReason = expected == Verdict.REJECT ? Optional.of(policyReason) : Optional.empty();
            if (path.stream().anyMatch(PkitsTest::nonCriticalPolicyConstraints)) {
                // RFC 5280 4.2.1.11: conforming CAs MUST mark policyConstraints critical; certgate refuses a CA
                // that does not (as limbo's rfc5280::pc::ica-noncritical-pc expects), PKITS accepts it.
                expected = Verdict.REJECT;
                expectedReason = Optional.of(Reason.INVALID_CERTIFICATE);
                note = " (deliberate: non-critical policyConstraints; policy processing alone: "
                        + (outcome instanceof PolicyTree.Valid ? "valid" : "invalid") + ", as expected)";
            }
        }
        Decision decision = row.policies().equals(PolicyTree.Initial.GATEWAY) ? decide(dir, row)
                : validate(dir, row);
        String last = decision.trace().isEmpty() ? "" : decision.trace().get(decision.trace().size() - 1).detail();
        decisions.put(row.id() + " " + row.name(), row.expected() + "\t" + decision.verdict() + " "
                + decision.reason() + note + "\t" + last);
        Verdict verdict = expected;
        assertEquals(verdict, decision.verdict(), () -> row.id() + " expected " + verdict + ", got "
                + decision.reason() + "\n" + trace(decision));
        if (expectedReason.isPresent()) {
            assertEquals(expectedReason.get(), decision.reason(), () -> row.id() + " " + trace(decision));
        }
    }

    private static boolean nonCriticalPolicyConstraints(ParsedCertificate certificate) {
        return certificate.profileProblems().stream().anyMatch(problem -> problem.startsWith("policyConstraints is "
                + "not marked critical"));
    }

    /** The path peer, intermediates (listed from the trust anchor down), trust anchor. */
    private static List<ParsedCertificate> path(Path dir, Row row) throws CertificateFormatException {
        List<ParsedCertificate> path = new ArrayList<>();
        path.add(ParsedCertificate.parse(bytes(dir.resolve("certs").resolve(row.ee()))));
        for (int i = row.intermediates().size() - 1; i >= 0; i--) {
            path.add(ParsedCertificate.parse(bytes(dir.resolve("certs").resolve(row.intermediates().get(i)))));
        }
        path.add(ParsedCertificate.parse(bytes(dir.resolve("certs/TrustAnchorRootCertificate.crt"))));
        return path;
    }

    /** A case with other initial policy values: its path through PathValidator with them (no revocation). */
    private static Decision validate(Path dir, Row row) throws CertificateFormatException {
        PathValidator.Context context = new PathValidator.Context(AT, settings(row), new VerificationCache(),
                PathValidator.Purpose.IKE_PEER, row.policies());
        PathValidator.Result result = PathValidator.validate(path(dir, row), context);
        Reason reason = result instanceof PathValidator.Invalid invalid ? invalid.failure().reason() : Reason.OK;
        return new Decision(reason == Reason.OK ? Verdict.ACCEPT : Verdict.REJECT, reason, result.trace(), List.of());
    }

    private static ValidationSettings settings(Row row) {
        return new ValidationSettings(ValidationSettings.RevocationCheck.CRL,
                row.mode().equals("require") ? ValidationSettings.OnDownloadFailure.REJECT
                        : ValidationSettings.OnDownloadFailure.ACCEPT,
                ValidationSettings.PathValidation.PARTIAL, 16, true, Duration.ZERO);
    }

    static Decision decide(Path dir, Row row) {
        List<Event> events = new ArrayList<>();
        events.add(new CaCertificateLoaded("pkits", blob(dir.resolve("certs/TrustAnchorRootCertificate.crt"))));
        events.add(new CrlLoaded(blob(dir.resolve("crls/TrustAnchorRootCRL.crl")), "file:TrustAnchorRootCRL.crl"));
        for (String crl : row.crls()) {
            events.add(new CrlLoaded(blob(dir.resolve("crls").resolve(crl)), "file:" + crl));
        }
        Engine engine = Engine.replay(events);
        ValidationSettings settings = settings(row);
        List<Blob> chain = row.intermediates().stream().map(name -> blob(dir.resolve("certs").resolve(name)))
                .toList();
        ValidationRequested request = new ValidationRequested("pkits-" + row.id(),
                blob(dir.resolve("certs").resolve(row.ee())), chain, Optional.empty(), AT, settings,
                Optional.empty(), Optional.empty());
        return engine.decide(request);
    }

    static String trace(Decision decision) {
        return decision.trace().stream().map(PkitsTest::line).collect(Collectors.joining("\n"));
    }

    private static String line(TraceStep step) {
        return "  " + step.step() + " " + step.outcome() + ": " + step.detail();
    }

    private static Blob blob(Path file) {
        return Blob.of(bytes(file));
    }

    private static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
