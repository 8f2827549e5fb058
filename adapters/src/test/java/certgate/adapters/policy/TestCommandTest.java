package certgate.adapters.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code certgate test}: cases decided under the policy with throw-away CAs, failures shown side by side. */
class TestCommandTest {
    static final String POLICY = """
            version: 1
            pki:
              clock-skew: 5m
              ca-profiles:
                - name: corp
                  ca-identity: "CN=Corp Issuing CA, O=Corp"
                - name: partner
            ike:
              gateways:
                - name: hq
                  ca-profile: corp
                  remote-identity: { fqdn: hq.corp.example }
                - name: branches
                  ca-profile: corp
                  remote-identity: { dn: { wildcard: "O=Corp, OU=Branches" } }
                - name: partner
                  ca-profile: partner
                  remote-identity: { ufqdn: vpn@partner.example }
            """;
    static final String CASES = """
            policy: policy.yaml
            at: 2025-06-01T12:00:00Z
            cases:
              - name: hq by fqdn
                peer: {subject: "CN=hq, O=Corp", san: ["dns:hq.corp.example"], profile: corp}
                ike-id: "fqdn:hq.corp.example"
                expect: {verdict: accept, reason: OK, gateway: hq}
              - name: a branch, revoked
                peer: {subject: "CN=b1, OU=Branches, O=Corp", revoked: true, profile: corp}
                ike-id: "dn:CN=b1, OU=Branches, O=Corp"
                expect: {verdict: reject, reason: REVOKED, gateway: branches}
              - name: a partner certificate for hq
                peer: {subject: "CN=hq, O=Partner", san: ["dns:hq.corp.example"], profile: partner}
                ike-id: "fqdn:hq.corp.example"
                expect: {verdict: reject, reason: NO_TRUSTED_PATH, gateway: hq}
              - name: the partner by e-mail, expired
                peer: {subject: "CN=p, O=Partner", san: ["email:vpn@partner.example"], validity: expired,
                       profile: partner}
                ike-id: "ufqdn:vpn@partner.example"
                expect: {verdict: reject, reason: EXPIRED, gateway: partner}
              - name: nobody
                peer: {subject: "CN=x, OU=Sales, O=Corp", profile: corp}
                ike-id: "dn:CN=x, OU=Sales, O=Corp"
                expect: {verdict: reject, reason: GATEWAY_NOT_FOUND}
              - name: within the clock skew, lookup skipped
                peer: {subject: "CN=b2, OU=Branches, O=Corp", not-before: 2025-06-01T12:04:00Z, profile: corp}
                gateway: branches
                expect: {verdict: accept, gateway: branches}
            """;

    @TempDir
    Path dir;

    private PolicyCli cli() {
        PolicyCli cli = new PolicyCli(dir);
        cli.write("policy.yaml", POLICY);
        return cli;
    }

    @Test
    void every_case_passes_and_the_summary_counts_them() {
        PolicyCli cli = cli();
        String tests = cli.write("all.tests.yaml", CASES);
        PolicyCli.Run run = PolicyCli.run("test", tests);
        assertEquals(0, run.status(), run.toString());
        List<String> lines = run.out().lines().toList();
        assertTrue(lines.get(0).startsWith(tests + ": policy policy.yaml (revision "), lines.get(0));
        assertTrue(lines.get(0).endsWith("), 6 case(s) at 2025-06-01T12:00:00Z"), lines.get(0));
        assertEquals("  ok    hq by fqdn", lines.get(1));
        assertEquals(6, lines.stream().filter(l -> l.startsWith("  ok    ")).count(), run.out());
        assertEquals("6 passed, 0 failed", lines.get(lines.size() - 1));
        assertEquals("", run.err());
    }

    @Test
    void a_failing_case_shows_expected_and_actual_side_by_side_and_the_trace() {
        PolicyCli cli = cli();
        String tests = cli.write("fail.tests.yaml", CASES.replace(
                "expect: {verdict: reject, reason: REVOKED, gateway: branches}",
                "expect: {verdict: accept, gateway: hq}"));
        PolicyCli.Run run = PolicyCli.run("test", tests);
        assertEquals(1, run.status(), run.toString());
        String out = run.out();
        assertTrue(out.contains("  FAIL  a branch, revoked (" + tests + ":8)\n"), out);
        assertTrue(out.contains("        verdict    accept                         reject   <- differs\n"), out);
        assertTrue(out.contains("        reason     (any)                          REVOKED\n"), out);
        assertTrue(out.contains("        gateway    hq                             branches   <- differs\n"), out);
        assertTrue(out.contains("          reject REVOKED\n"), out);
        assertTrue(out.contains("            gateway      pass     gateway branches is the first"), out);
        assertTrue(out.contains("            revocation   fail     "), out);
        assertTrue(out.endsWith("5 passed, 1 failed\n"), out);
    }

    @Test
    void an_invalid_test_file_is_status_2_with_every_problem_located() {
        PolicyCli cli = cli();
        String tests = cli.write("bad.tests.yaml", CASES.replace("reason: EXPIRED", "reason: EXPIRD"));
        PolicyCli.Run run = PolicyCli.run("test", tests);
        assertEquals(2, run.status(), run.toString());
        assertTrue(run.err().contains(tests + ":20:39: `EXPIRD` is not a reason code\n"
                + "    at: cases[3].expect.reason\n    help: did you mean `EXPIRED`?\n"), run.err());
        // names are checked against the policy once the file reads
        String names = cli.write("names.tests.yaml", CASES.replace("profile: partner}\n    ike-id: \"fqdn",
                "profile: partnr}\n    ike-id: \"fqdn"));
        PolicyCli.Run unknown = PolicyCli.run("test", names);
        assertEquals(2, unknown.status(), unknown.toString());
        assertTrue(unknown.err().contains(names + ":13:80: policy policy.yaml has no CA profile named `partnr`\n"
                + "    at: cases[2].peer.profile\n    help: did you mean `partner`?\n"), unknown.err());
    }

    @Test
    void a_policy_that_cannot_be_read_or_compiled_is_status_2() {
        PolicyCli cli = new PolicyCli(dir);
        String tests = cli.write("t.tests.yaml", CASES);
        PolicyCli.Run missing = PolicyCli.run("test", tests);
        assertEquals(2, missing.status(), missing.toString());
        assertTrue(missing.err().contains(tests + ":1:9: the policy " + dir.resolve("policy.yaml")
                + ": no such file"), missing.err());
        cli.write("policy.yaml", POLICY.replace("ca-profile: partner", "ca-profile: partnr"));
        PolicyCli.Run broken = PolicyCli.run("test", tests);
        assertEquals(2, broken.status(), broken.toString());
        assertTrue(broken.err().contains("UNKNOWN_CA_PROFILE"), broken.err());
    }

    @Test
    void several_files_add_up_and_a_missing_one_is_status_2() {
        PolicyCli cli = cli();
        String tests = cli.write("all.tests.yaml", CASES);
        PolicyCli.Run run = PolicyCli.run("test", tests, tests, cli.path("none.tests.yaml"));
        assertEquals(2, run.status(), run.toString());
        assertTrue(run.out().endsWith("12 passed, 0 failed (and test files that could not run: see above)\n"),
                run.out());
        assertEquals("certgate test: " + cli.path("none.tests.yaml") + ": no such file\n", run.err());
    }

    @Test
    void usage_and_help() {
        assertEquals(2, PolicyCli.run("test").status());
        PolicyCli.Run help = PolicyCli.run("test", "--help");
        assertEquals(0, help.status());
        assertTrue(help.out().startsWith("Usage: certgate test TESTFILE..."), help.out());
        assertTrue(help.out().contains("Exit status"), help.out());
        help.out().lines().forEach(line -> assertTrue(line.length() <= 104, line));
    }

    @Test
    void format_json_prints_a_line_per_case_then_the_summary() throws Exception {
        PolicyCli cli = cli();
        String tests = cli.write("fail.tests.yaml", CASES.replace(
                "expect: {verdict: reject, reason: REVOKED, gateway: branches}",
                "expect: {verdict: accept, gateway: hq}"));

        PolicyCli.Run run = PolicyCli.run("test", tests, "--format", "json");

        assertEquals(1, run.status(), run.toString());
        ObjectMapper json = new ObjectMapper();
        List<String> lines = run.out().lines().toList();
        assertEquals(7, lines.size(), run.out());
        JsonNode first = json.readTree(lines.get(0)).get("case");
        assertEquals("hq by fqdn", first.get("name").asText());
        assertTrue(first.get("passed").asBoolean(), lines.get(0));
        JsonNode failed = json.readTree(lines.get(1)).get("case");
        assertFalse(failed.get("passed").asBoolean(), lines.get(1));
        assertEquals(8, failed.get("line").asInt());
        assertEquals("accept", failed.get("expected").get("verdict").asText());
        assertEquals("reject", failed.get("actual").get("verdict").asText());
        assertEquals(List.of("verdict", "gateway"), List.of(failed.get("differs").get(0).asText(),
                failed.get("differs").get(1).asText()));
        assertEquals("REVOKED", failed.get("decision").get("reason").asText());
        JsonNode summary = json.readTree(lines.get(6)).get("summary");
        assertEquals(5, summary.get("passed").asLong());
        assertEquals(1, summary.get("failed").asLong());
    }
}
