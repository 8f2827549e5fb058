package certgate.engine.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import certgate.engine.Decision;
import certgate.engine.Engine;
import certgate.engine.TraceStep;
import certgate.eventstore.Blob;
import certgate.eventstore.CaCertificateLoaded;
import certgate.eventstore.CrlLoaded;
import certgate.eventstore.Event;
import certgate.eventstore.ValidationRequested;
import certgate.eventstore.ValidationSettings;
import certgate.eventstore.Verdict;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * NIST PKITS sections 4.1-4.7 and 4.14, one dynamic test per row of expected.tsv: the trust anchor and its CRL
 * loaded as events, the row's intermediates sent as the chain, its CRLs loaded, partial path validation at
 * 2022-05-01, SHA-1 allowed (PKITS 2011 signs with it), up to 16 CA levels, and revocation_mode mapped to
 * on-download-failure (require = reject, check-if-available = accept).
 */
class PkitsTest {
    private static final Instant AT = Instant.parse("2022-05-01T00:00:00Z");

    @TestFactory
    Stream<DynamicTest> every_pkits_path_gets_the_expected_verdict() throws IOException {
        return SharedFiles.dynamicTests("pkits", PkitsTest.class, this::rows);
    }

    private Stream<DynamicTest> rows(Path dir) throws IOException {
        List<String> lines = Files.readAllLines(dir.resolve("expected.tsv"));
        List<String> header = Arrays.asList(lines.get(0).split("\t", -1));
        return lines.stream().skip(1).filter(line -> !line.isBlank()).map(line -> {
            String[] fields = line.split("\t", -1);
            Row row = new Row(fields[header.indexOf("pkits_id")], fields[header.indexOf("name")],
                    fields[header.indexOf("ee_cert")], list(fields[header.indexOf("intermediate_certs")]),
                    list(fields[header.indexOf("crls")]), fields[header.indexOf("revocation_mode")],
                    fields[header.indexOf("expected")]);
            return DynamicTest.dynamicTest(row.id() + " " + row.name(), () -> run(dir, row));
        }).collect(Collectors.collectingAndThen(Collectors.toList(), tests -> Stream.concat(tests.stream(),
                Stream.of(DynamicTest.dynamicTest("decisions written to target/pkits-decisions.txt",
                        this::writeDecisions)))));
    }

    private final Map<String, String> decisions = new ConcurrentHashMap<>();

    private void writeDecisions() throws IOException {
        Files.createDirectories(Path.of("target"));
        Files.write(Path.of("target", "pkits-decisions.txt"), decisions.entrySet().stream()
                .sorted(Map.Entry.comparingByKey(PkitsTest::byId))
                .map(entry -> entry.getKey() + "\t" + entry.getValue()).toList());
    }

    private static int byId(String a, String b) {
        int[] x = Arrays.stream(a.split("\\.")).mapToInt(Integer::parseInt).toArray();
        int[] y = Arrays.stream(b.split("\\.")).mapToInt(Integer::parseInt).toArray();
        return Arrays.compare(x, y);
    }

    record Row(String id, String name, String ee, List<String> intermediates, List<String> crls, String mode,
               String expected) {
    }

    private static List<String> list(String field) {
        return field.isBlank() ? List.of() : Arrays.stream(field.split(",")).map(String::trim).toList();
    }

    private void run(Path dir, Row row) {
        Decision decision = decide(dir, row);
        String last = decision.trace().isEmpty() ? "" : decision.trace().get(decision.trace().size() - 1).detail();
        decisions.put(row.id(), row.expected() + "\t" + decision.verdict() + " " + decision.reason() + "\t" + last);
        Verdict expected = row.expected().equals("valid") ? Verdict.ACCEPT : Verdict.REJECT;
        assertEquals(expected, decision.verdict(), () -> row.id() + " expected " + row.expected() + ", got "
                + decision.reason() + "\n" + trace(decision));
    }

    static Decision decide(Path dir, Row row) {
        List<Event> events = new ArrayList<>();
        events.add(new CaCertificateLoaded("pkits", blob(dir.resolve("certs/TrustAnchorRootCertificate.crt"))));
        events.add(new CrlLoaded(blob(dir.resolve("crls/TrustAnchorRootCRL.crl")), "file:TrustAnchorRootCRL.crl"));
        for (String crl : row.crls()) {
            events.add(new CrlLoaded(blob(dir.resolve("crls").resolve(crl)), "file:" + crl));
        }
        Engine engine = Engine.replay(events);
        ValidationSettings settings = new ValidationSettings(ValidationSettings.RevocationCheck.CRL,
                row.mode().equals("require") ? ValidationSettings.OnDownloadFailure.REJECT
                        : ValidationSettings.OnDownloadFailure.ACCEPT,
                ValidationSettings.PathValidation.PARTIAL, 16, true, Duration.ZERO);
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
        try {
            return Blob.of(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
