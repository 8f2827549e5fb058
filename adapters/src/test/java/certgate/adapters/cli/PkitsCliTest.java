package certgate.adapters.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.engine.conformance.SharedFiles;
import certgate.engine.x509.ParsedCertificate;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * NIST PKITS sections 4.1-4.12 and 4.14 through the command line: every row of expected.tsv (4.1-4.7, 4.14) and
 * every entry of pkits.json in 4.8-4.12 with the default initial policy values (the only ones the command line
 * has) as a {@code certgate verify} run on the suite's files, with the engine test's settings (partial path
 * validation, 2022-05-01, SHA-1 allowed, 16 CA levels, revocation_mode {@code require} failing closed). Valid
 * must exit 0, invalid 1; a policy case whose path has a CA with a non-critical policyConstraints exits 1 (certgate
 * refuses such a CA, RFC 5280 4.2.1.11; see CONFORMANCE.md).
 */
class PkitsCliTest {
    private static final List<String> POLICY_SECTIONS = List.of("408", "409", "410", "411", "412");

    private record Row(String id, String name, String ee, List<String> intermediates, List<String> crls,
            String mode, boolean valid) {
    }

    @TestFactory
    Stream<DynamicTest> every_pkits_row_exits_as_expected() throws IOException {
        return SharedFiles.dynamicTests("pkits", PkitsCliTest.class, PkitsCliTest::rows);
    }

    private static Stream<DynamicTest> rows(Path pkits) throws IOException {
        List<String> lines = Files.readAllLines(pkits.resolve("expected.tsv"));
        List<Row> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t", -1);
            rows.add(new Row(f[0], f[1], f[2], split(f[3]), split(f[4]), f[6], f[7].equals("valid")));
        }
        assertEquals(111, rows.size(), "expected.tsv rows");
        for (JsonNode entry : new ObjectMapper().readTree(pkits.resolve("pkits.json").toFile())) {
            String number = entry.get("id").asText();
            if (POLICY_SECTIONS.contains(number.substring(0, 3)) && entry.path("params").isMissingNode()) {
                List<String> intermediates = new ArrayList<>();
                entry.get("other_certs").forEach(name -> intermediates.add(name.asText()));
                List<String> crls = new ArrayList<>();
                entry.get("crls").forEach(name -> crls.add(name.asText()));
                rows.add(new Row("4." + Integer.parseInt(number.substring(1, 3)) + "."
                        + Integer.parseInt(number.substring(3)), entry.get("name").asText(), entry.get("cert").asText(),
                        intermediates, crls, entry.path("revocation").asBoolean(false) ? "require"
                        : "check-if-available", entry.path("error").isMissingNode()));
            }
        }
        assertEquals(111 + 52, rows.size(), "expected.tsv rows and default-valued policy entries of pkits.json");
        return rows.stream().map(row -> DynamicTest.dynamicTest(row.id() + " " + row.name(), () -> check(pkits, row)));
    }

    /** Whether the peer or an intermediate has a non-critical policyConstraints (a profile rule refuses it). */
    private static boolean nonCriticalPolicyConstraints(Path pkits, Row row) throws Exception {
        List<String> names = new ArrayList<>(row.intermediates());
        names.add(row.ee());
        for (String name : names) {
            ParsedCertificate certificate = ParsedCertificate.parse(Files.readAllBytes(Path.of(cert(pkits, name))));
            if (certificate.profileProblems().stream().anyMatch(problem -> problem.startsWith(
                    "policyConstraints is not marked critical"))) {
                return true;
            }
        }
        return false;
    }

    private static void check(Path pkits, Row row) throws Exception {
        boolean valid = row.valid() && !nonCriticalPolicyConstraints(pkits, row);
        assertTrue(row.mode().equals("require") || row.mode().equals("check-if-available"), row.mode());
        List<String> args = new ArrayList<>(List.of("verify",
                "--trust", cert(pkits, "TrustAnchorRootCertificate.crt"),
                "--crl", crl(pkits, "TrustAnchorRootCRL.crl")));
        row.crls().forEach(crl -> args.addAll(List.of("--crl", crl(pkits, crl))));
        row.intermediates().forEach(cert -> args.addAll(List.of("--chain", cert(pkits, cert))));
        args.addAll(List.of("--peer", cert(pkits, row.ee()),
                "--at", "2022-05-01T00:00:00Z", "--allow-sha1", "--max-ca-levels", "16",
                "--on-download-failure", row.mode().equals("require") ? "reject" : "accept"));
        Cli.Run run = Cli.run(args.toArray(String[]::new));
        assertEquals(valid ? 0 : 1, run.status(), row.id() + " " + row.name() + " expected "
                + (valid ? "valid" : "invalid") + "\n" + run);
    }

    private static String cert(Path pkits, String name) {
        return pkits.resolve("certs").resolve(name).toString();
    }

    private static String crl(Path pkits, String name) {
        return pkits.resolve("crls").resolve(name).toString();
    }

    private static List<String> split(String field) {
        return field.isBlank() ? List.of() : Arrays.stream(field.split(",")).map(String::strip).toList();
    }
}
