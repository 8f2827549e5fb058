package certgate.adapters.policy;

import static certgate.engine.testpki.TestPki.dns;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.dsl.PolicyCompiler;
import certgate.engine.testpki.TestCert;
import certgate.engine.testpki.TestPki;
import certgate.eventstore.Event;
import certgate.eventstore.PolicyActivated;
import certgate.eventstore.PolicyRecorded;
import certgate.eventstore.ValidationRequested;
import certgate.eventstore.log.FileEventLog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A policy in use: {@code verify --policy}, {@code policy activate} and {@code validate --policy}, with a PKI made
 * for the test (a root, Corp's issuing CA under it, a good and a revoked peer).
 */
class PolicyInUseTest {
    static final String POLICY = """
            version: 1
            pki:
              ca-profiles:
                - name: corp
                  ca-identity: "CN=Corp Issuing CA, O=Corp"
            ike:
              gateways:
                - name: hq
                  ca-profile: corp
                  remote-identity: { fqdn: hq.corp.example }
                - name: branches
                  ca-profile: corp
                  remote-identity: { dn: { wildcard: "O=Corp, OU=Branches" } }
            """;
    private static final TestPki ROOT = TestPki.root("CN=Corp Root CA, O=Corp");
    private static final TestPki ISSUING = ROOT.intermediate("CN=Corp Issuing CA, O=Corp");
    private static final TestCert HQ = ISSUING.leaf("CN=hq, O=Corp", dns("hq.corp.example"));
    private static final TestCert BRANCH = ISSUING.leaf("CN=b1, OU=Branches, O=Corp");

    @TempDir
    Path dir;
    private PolicyCli cli;
    private String policy;
    private String root;
    private String issuing;
    private String crl;
    private String hq;
    private String branch;

    @BeforeEach
    void files() {
        cli = new PolicyCli(dir);
        policy = cli.write("policy.yaml", POLICY);
        root = cli.write("root.pem", ROOT.certificate().pem());
        issuing = cli.write("issuing.pem", ISSUING.certificate().pem());
        crl = cli.write("issuing.crl", ISSUING.crl().revoke(BRANCH.serial()).build());
        hq = cli.write("hq.pem", HQ.pem());
        branch = cli.write("branch.pem", BRANCH.pem());
    }

    private PolicyCli.Run verify(String... more) {
        List<String> args = new ArrayList<>(List.of("verify", "--policy", policy, "--trust", root, issuing,
                "--crl", crl, "--at", TestPki.NOW.toString()));
        args.addAll(List.of(more));
        return PolicyCli.run(args.toArray(new String[0]));
    }

    @Test
    void verify_under_a_policy_looks_the_gateway_up_then_decides_with_its_profile() {
        PolicyCli.Run accepted = verify("--peer", hq, "--id", "fqdn:hq.corp.example");
        assertEquals(0, accepted.status(), accepted.toString());
        assertTrue(accepted.out().startsWith("accept OK\n  gateway      pass     gateway hq is the first of 2"),
                accepted.out());
        PolicyCli.Run revoked = verify("--peer", branch, "--id", "dn:CN=b1, OU=Branches, O=Corp");
        assertEquals(1, revoked.status(), revoked.toString());
        assertTrue(revoked.out().startsWith("reject REVOKED\n  gateway      pass     gateway branches "),
                revoked.out());
        PolicyCli.Run nowhere = verify("--peer", hq, "--id", "fqdn:nowhere.corp.example");
        assertTrue(nowhere.out().startsWith("reject GATEWAY_NOT_FOUND\n"), nowhere.out());
    }

    @Test
    void the_trust_anchors_serve_a_profile_with_ca_identity_only_through_the_ca_with_that_subject() {
        PolicyCli.Run rootOnly = PolicyCli.run("verify", "--policy", policy, "--trust", root, "--crl", crl,
                "--at", TestPki.NOW.toString(), "--peer", hq, "--chain", issuing, "--id", "fqdn:hq.corp.example");
        assertEquals(1, rootOnly.status(), rootOnly.toString());
        assertTrue(rootOnly.out().startsWith("reject NO_TRUSTED_PATH\n"), rootOnly.out());
        PolicyCli.Run withoutPolicy = PolicyCli.run("verify", "--trust", root, "--crl", crl,
                cli.write("root.crl", ROOT.crl().build()), "--at", TestPki.NOW.toString(), "--peer", hq,
                "--chain", issuing, "--id", "fqdn:hq.corp.example");
        assertEquals(0, withoutPolicy.status(), withoutPolicy.toString());
    }

    @Test
    void a_named_gateway_skips_the_lookup_and_batch_lines_are_bound_too() {
        PolicyCli.Run named = verify("--peer", hq, "--gateway", "branches", "--id", "fqdn:hq.corp.example");
        assertTrue(named.out().startsWith("reject IDENTITY_MISMATCH\n"), named.out());
        assertTrue(named.out().contains("named by the request (lookup skipped)"), named.out());
        String lines = cli.write("requests.jsonl", "{\"peer\": " + json(HQ.pem())
                + ", \"id\": \"fqdn:hq.corp.example\"}\n"
                + "{\"peer\": " + json(BRANCH.pem()) + ", \"id\": \"dn:CN=b1, OU=Branches, O=Corp\"}\n");
        PolicyCli.Run batch = PolicyCli.run("verify", "--policy", policy, "--trust", issuing, "--crl", crl, "--at",
                TestPki.NOW.toString(), "--requests", lines);
        assertEquals(1, batch.status(), batch.toString());
        List<String> out = batch.out().lines().toList();
        assertTrue(out.get(0).contains("\"verdict\":\"accept\"") && out.get(0).contains("gateway hq is"), out.get(0));
        assertTrue(out.get(1).contains("\"reason\":\"REVOKED\"") && out.get(1).contains("gateway branches is"),
                out.get(1));
    }

    @Test
    void policy_options_that_do_not_fit_are_usage_errors() {
        assertUsage("--gateway needs --policy", PolicyCli.run("verify", "--gateway", "hq", "--trust", issuing,
                "--peer", hq));
        assertUsage("--max-ca-levels does not go with --policy", verify("--peer", hq, "--id", "fqdn:a.b",
                "--max-ca-levels", "3"));
        assertUsage("--policy needs --id", verify("--peer", hq));
        assertUsage("--gateway 'hqq' is not a gateway of " + policy + "; did you mean 'hq'?",
                verify("--peer", hq, "--gateway", "hqq"));
        String broken = cli.write("broken.yaml", POLICY.replace("ca-profile: corp", "ca-profile: crop"));
        assertUsage("--policy " + broken + " does not compile: " + broken + ":9:19: UNKNOWN_CA_PROFILE",
                PolicyCli.run("verify", "--policy", broken, "--trust", issuing, "--peer", hq, "--id", "fqdn:a.b"));
        assertUsage("--policy " + cli.path("none.yaml") + ": no such file", PolicyCli.run("verify", "--policy",
                cli.path("none.yaml"), "--trust", issuing, "--peer", hq, "--id", "fqdn:a.b"));
    }

    @Test
    void activate_appends_the_source_and_revision_once_and_refuses_a_policy_with_errors() throws Exception {
        String store = dir.resolve("store").toString();
        PolicyCli.Run first = PolicyCli.run("policy", "activate", policy, "--store", store);
        assertEquals(0, first.status(), first.toString());
        String revision = PolicyCompiler.compile("p", POLICY.getBytes(StandardCharsets.UTF_8)).policy().orElseThrow()
                .revision();
        assertTrue(first.out().startsWith("policy " + policy + " activated at sequence 0: revision " + revision),
                first.out());
        PolicyCli.Run again = PolicyCli.run("policy", "activate", policy, "--store", store);
        assertEquals(0, again.status(), again.toString());
        assertTrue(again.out().contains("is already the active policy"), again.out());
        String broken = cli.write("broken.yaml", POLICY.replace("ca-profile: corp", "ca-profile: crop"));
        PolicyCli.Run refused = PolicyCli.run("policy", "activate", broken, "--store", store);
        assertEquals(1, refused.status(), refused.toString());
        assertTrue(refused.err().contains("UNKNOWN_CA_PROFILE") && refused.err().contains("nothing appended"),
                refused.err());
        assertEquals(List.of(new PolicyActivated(revision, POLICY)), events(store));
        assertEquals(2, PolicyCli.run("policy", "activte", policy, "--store", store).status());
        assertEquals(2, PolicyCli.run("policy", "activate", cli.path("none.yaml"), "--store", store).status());
    }

    @Test
    void validate_under_a_policy_records_its_revision_and_records_the_policy_when_the_store_lacks_it() {
        String store = dir.resolve("store").toString();
        assertEquals(0, PolicyCli.run("load", "ca", issuing, "--profile", "corp", "--store", store).status());
        assertEquals(0, PolicyCli.run("load", "crl", crl, "--store", store).status());
        PolicyCli.Run run = PolicyCli.run("validate", "--policy", policy, "--peer", hq, "--id", "fqdn:hq.corp.example",
                "--at", TestPki.NOW.toString(), "--store", store);
        assertEquals(0, run.status(), run.toString());
        assertTrue(run.err().contains("was not in the store: recorded at sequence 2"), run.err());
        PolicyCli.Run second = PolicyCli.run("validate", "--policy", policy, "--peer", branch, "--id",
                "dn:CN=b1, OU=Branches, O=Corp", "--at", TestPki.NOW.toString(), "--store", store);
        assertEquals(1, second.status(), second.toString());
        assertEquals("", second.err());
        String revision = PolicyCompiler.compile("p", POLICY.getBytes(StandardCharsets.UTF_8)).policy().orElseThrow()
                .revision();
        List<Event> events = events(store);
        assertEquals(List.of(new PolicyRecorded(revision, POLICY)), events.stream()
                .filter(event -> event instanceof PolicyActivated || event instanceof PolicyRecorded).toList(),
                "the policy is recorded for the requests, not activated");
        List<ValidationRequested> requests = events.stream().filter(ValidationRequested.class::isInstance)
                .map(ValidationRequested.class::cast).toList();
        assertEquals(2, requests.size());
        requests.forEach(request -> assertEquals(Optional.of(revision), request.policyRevision()));
        PolicyCli.Run audit = PolicyCli.run("audit", "--store", store);
        assertEquals(0, audit.status(), audit.toString());
        assertTrue(audit.out().contains("2 re-decided the same, 0 mismatches"), audit.out());
    }

    private static void assertUsage(String expected, PolicyCli.Run run) {
        assertEquals(2, run.status(), run.toString());
        assertTrue(run.err().contains(expected), run.err());
    }

    private static List<Event> events(String store) {
        List<Event> events = new ArrayList<>();
        try (FileEventLog log = FileEventLog.openForAppend(Path.of(store), Clock.fixed(PolicyCli.NOW,
                ZoneOffset.UTC))) {
            log.read(0, recorded -> events.add(recorded.event()));
        }
        return events;
    }

    private static String json(String text) {
        return "\"" + text.replace("\n", "\\n") + "\"";
    }

    @Test
    void a_policy_without_gateways_of_the_ids_type_says_so_in_good_english() {
        PolicyCli.Run run = verify("--peer", hq, "--id", "ip:192.0.2.1");

        assertEquals(1, run.status(), run.toString());
        assertTrue(run.out().contains("it has no gateway with an ip identity"), run.out());
    }
}
