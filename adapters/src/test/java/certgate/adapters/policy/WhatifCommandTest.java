package certgate.adapters.policy;

import static certgate.engine.testpki.TestPki.dns;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.engine.testpki.TestCert;
import certgate.engine.testpki.TestPki;
import certgate.eventstore.ValidationRequested;
import certgate.eventstore.log.FileEventLog;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code certgate whatif --policy NEW}: the recorded history re-decided under a policy that is not live, every
 * changed decision listed, the store left as it was.
 */
class WhatifCommandTest {
    /** The live policy: gateway hq by FQDN, gateway branches by DN. */
    private static final String LIVE = PolicyInUseTest.POLICY;
    /** The same but for the branches gateway's DN rule, which no longer matches the branch peers. */
    private static final String NEW = LIVE.replace("OU=Branches\" }", "OU=Stores\" }");
    private static final TestPki ROOT = TestPki.root("CN=Corp Root CA, O=Corp");
    private static final TestPki ISSUING = ROOT.intermediate("CN=Corp Issuing CA, O=Corp");
    private static final TestCert HQ = ISSUING.leaf("CN=hq, O=Corp", dns("hq.corp.example"));
    private static final TestCert B1 = ISSUING.leaf("CN=b1, OU=Branches, O=Corp");
    private static final TestCert B2 = ISSUING.leaf("CN=b2, OU=Branches, O=Corp");
    /** The append times of the three requests, an hour apart. */
    private static final Instant T0 = PolicyCli.NOW;
    private static final Instant T1 = T0.plus(Duration.ofHours(1));
    private static final Instant T2 = T0.plus(Duration.ofHours(2));

    @TempDir
    Path dir;
    private PolicyCli cli;
    private String store;
    private String live;
    private String changed;

    @BeforeEach
    void storeWithDecisionsForTwoGateways() {
        assertTrue(!NEW.equals(LIVE), "the new policy differs");
        cli = new PolicyCli(dir);
        store = dir.resolve("store").toString();
        live = cli.write("live.yaml", LIVE);
        changed = cli.write("new.yaml", NEW);
        String issuing = cli.write("issuing.pem", ISSUING.certificate().pem());
        String crl = cli.write("issuing.crl", ISSUING.crl().build());
        assertEquals(0, PolicyCli.run("load", "ca", issuing, "--profile", "corp", "--store", store).status());
        assertEquals(0, PolicyCli.run("load", "crl", crl, "--store", store).status());
        assertEquals(0, PolicyCli.run("policy", "activate", live, "--store", store).status());
        validate(T0, HQ, "fqdn:hq.corp.example");
        validate(T1, B1, "dn:CN=b1, OU=Branches, O=Corp");
        validate(T2, B2, "dn:CN=b2, OU=Branches, O=Corp");
    }

    private void validate(Instant appendedAt, TestCert peer, String id) {
        String file = cli.write(peer.serial() + ".pem", peer.pem());
        PolicyCli.Run run = PolicyCli.runAt(appendedAt, "validate", "--peer", file, "--id", id, "--at",
                TestPki.NOW.toString(), "--store", store);
        assertEquals(0, run.status(), run.toString());
    }

    private PolicyCli.Run whatif(String... more) {
        List<String> args = new ArrayList<>(List.of("whatif", "--store", store));
        args.addAll(List.of(more));
        return PolicyCli.run(args.toArray(new String[0]));
    }

    @Test
    void a_changed_dn_rule_changes_exactly_the_decisions_of_its_gateway() {
        List<String> ids = requestIds();

        PolicyCli.Run run = whatif("--policy", changed);

        assertEquals(1, run.status(), run.toString());
        assertTrue(run.out().contains("3 decisions considered, 2 changes"), run.out());
        assertTrue(run.out().contains("  accept OK -> reject GATEWAY_NOT_FOUND: 2\n"), run.out());
        assertTrue(run.out().contains("  gateway branches: 2\n"), run.out());
        assertTrue(run.out().contains("CHANGED " + ids.get(1) + " gateway branches peer CN=b1"), run.out());
        assertTrue(run.out().contains("CHANGED " + ids.get(2) + " gateway branches peer CN=b2"), run.out());
        assertTrue(!run.out().contains("CHANGED " + ids.get(0) + " "), run.out());
        assertTrue(run.out().contains("  first difference: gateway step\n    before: gateway pass gateway branches"),
                run.out());
        assertTrue(run.out().endsWith("2 decisions would change\n"), run.out());
    }

    @Test
    void the_live_policy_changes_nothing() {
        PolicyCli.Run run = whatif("--policy", live);

        assertEquals(0, run.status(), run.toString());
        assertTrue(run.out().contains("3 decisions considered, 0 changes"), run.out());
        assertTrue(run.out().endsWith("no decision changes\n"), run.out());
    }

    @Test
    void a_policy_that_does_not_compile_is_reported_as_check_reports_it() {
        String broken = cli.write("broken.yaml", LIVE.replace("ca-profile: corp\n", "ca-profile: nowhere\n"));

        PolicyCli.Run run = whatif("--policy", broken);
        PolicyCli.Run check = PolicyCli.run("check", broken);

        assertEquals(2, run.status(), run.toString());
        String firstDiagnostic = check.out().lines().findFirst().orElseThrow();
        assertTrue(firstDiagnostic.contains("nowhere"), check.toString());
        assertTrue(run.err().startsWith(firstDiagnostic + "\n"), run.err());
        assertTrue(run.err().contains("does not compile"), run.err());
        assertEquals("", run.out());
    }

    @Test
    void the_store_is_left_byte_for_byte_as_it_was() {
        Map<String, String> before = contents();

        whatif("--policy", changed);
        whatif("--policy", changed, "--format", "json");

        assertEquals(before, contents());
    }

    @Test
    void from_and_until_select_by_the_append_time_of_the_request_both_inclusive_as_in_audit() {
        List<String> ids = requestIds();

        PolicyCli.Run second = whatif("--policy", changed, "--from", T1.toString(), "--until", T1.toString());
        PolicyCli.Run last = whatif("--policy", changed, "--from", T2.toString());
        PolicyCli.Run first = whatif("--policy", changed, "--until", T0.toString());

        assertEquals(1, second.status(), second.toString());
        assertTrue(second.out().contains("1 decisions from " + T1 + " until " + T1 + " considered, 1 change "
                + "(2 outside the window)"), second.out());
        assertTrue(second.out().contains("CHANGED " + ids.get(1) + " "), second.out());
        assertTrue(last.out().contains("CHANGED " + ids.get(2) + " ") && !last.out().contains(ids.get(1) + " "),
                last.out());
        assertEquals(0, first.status(), first.toString());
        assertTrue(first.out().contains("1 decisions until " + T0 + " considered, 0 changes"), first.out());
    }

    @Test
    void json_is_one_object_with_the_summary_and_the_changes() throws Exception {
        List<String> ids = requestIds();

        PolicyCli.Run run = whatif("--policy", changed, "--format", "json");

        assertEquals(1, run.status(), run.toString());
        assertEquals(1, run.out().lines().count(), run.out());
        JsonNode root = new ObjectMapper().readTree(run.out());
        assertEquals(3, root.get("summary").get("considered").asLong());
        assertEquals(2, root.get("summary").get("changed").asLong());
        assertEquals(2, root.get("summary").get("byGateway").get("branches").asLong());
        assertEquals(2, root.get("summary").get("byOutcome").get("accept OK -> reject GATEWAY_NOT_FOUND").asLong());
        JsonNode change = root.get("changes").get(0);
        assertEquals(ids.get(1), change.get("requestId").asText());
        assertEquals("ok", change.get("before").get("reason").asText().toLowerCase());
        assertEquals("GATEWAY_NOT_FOUND", change.get("after").get("reason").asText());
        assertEquals("gateway", change.get("firstDifference").get("step").asText());
        assertTrue(change.get("firstDifference").get("before").asText().startsWith("gateway branches"),
                change.toString());
    }

    @Test
    void a_damaged_log_is_reported_as_audit_reports_it() throws IOException {
        Path segment;
        try (Stream<Path> paths = Files.walk(Path.of(store))) {
            segment = paths.filter(path -> path.getFileName().toString().endsWith(".log")).sorted().findFirst()
                    .orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(segment);
        bytes[bytes.length * 2 / 3] ^= 0x20;
        Files.write(segment, bytes);

        PolicyCli.Run run = whatif("--policy", changed);
        PolicyCli.Run audit = PolicyCli.run("audit", "--store", store);

        assertEquals(5, run.status(), run.toString());
        assertEquals(audit.status(), run.status());
        assertEquals(audit.err().replace("certgate audit: ", ""), run.err().replace("certgate whatif: ", ""));
    }

    @Test
    void usage_errors_exit_2() {
        assertEquals(2, whatif().status(), "--policy is required");
        assertEquals(2, whatif("--policy", changed, "--from", T2.toString(), "--until", T1.toString()).status());
        assertEquals(2, whatif("--policy", cli.path("missing.yaml")).status());
    }

    private List<String> requestIds() {
        List<String> ids = new ArrayList<>();
        try (FileEventLog log = FileEventLog.openForAppend(Path.of(store), Clock.fixed(T0, ZoneOffset.UTC))) {
            log.read(0, recorded -> {
                if (recorded.event() instanceof ValidationRequested request) {
                    ids.add(request.requestId());
                }
            });
        }
        return ids;
    }

    /** Every file of the store with its bytes, as hex. */
    private Map<String, String> contents() {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(Path.of(store))) {
            for (Path path : paths.filter(Files::isRegularFile).toList()) {
                files.put(Path.of(store).relativize(path).toString(),
                        java.util.HexFormat.of().formatHex(Files.readAllBytes(path)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }
}
