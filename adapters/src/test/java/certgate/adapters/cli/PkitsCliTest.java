package certgate.adapters.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.engine.conformance.SharedFiles;
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
 * NIST PKITS sections 4.1-4.7 and 4.14 through the command line: every row of expected.tsv as a
 * {@code certgate verify} run on the suite's files, with the engine test's settings (partial path validation,
 * 2022-05-01, SHA-1 allowed, 16 CA levels, revocation_mode {@code require} failing closed). Valid must exit 0,
 * invalid 1.
 */
class PkitsCliTest {
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
        return rows.stream()
                .map(row -> DynamicTest.dynamicTest(row.id() + " " + row.name(), () -> check(pkits, row)));
    }

    private static void check(Path pkits, Row row) {
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
        assertEquals(row.valid() ? 0 : 1, run.status(), row.id() + " " + row.name() + " expected "
                + (row.valid() ? "valid" : "invalid") + "\n" + run);
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
