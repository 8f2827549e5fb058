package certgate.adapters.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.dsl.DiagnosticCode;
import certgate.dsl.PolicyCompiler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code certgate check}: every diagnostic as the compiler renders it, and the exit statuses. */
class CheckCommandTest {
    static final String CLEAN = """
            version: 1
            pki:
              ca-profiles:
                - name: corp
            ike:
              gateways:
                - name: hq
                  ca-profile: corp
                  remote-identity: { fqdn: hq.corp.example }
            """;
    static final String TWO_ERRORS = """
            version: 1
            pki:
              ca-profiles:
                - name: corp
                  revocaton-check: { mode: crl }
            ike:
              gateways:
                - name: hq
                  ca-profile: crop
                  remote-identity: { fqdn: hq.corp.example }
            """;
    static final String ONE_WARNING = CLEAN + """
                - name: hq-again
                  ca-profile: corp
                  remote-identity: { fqdn: HQ.corp.example }
            """;

    @TempDir
    Path dir;

    @Test
    void a_clean_policy_passes_with_its_revision() {
        PolicyCli cli = new PolicyCli(dir);
        String file = cli.write("clean.yaml", CLEAN);
        PolicyCli.Run run = PolicyCli.run("check", file);
        assertEquals(0, run.status(), run.toString());
        String revision = PolicyCompiler.compile(file, CLEAN.getBytes(StandardCharsets.UTF_8)).policy().orElseThrow()
                .revision();
        assertEquals(file + ": ok, revision " + revision.substring(0, 12) + ", 1 gateway(s), 1 CA profile(s)\n",
                run.out());
        assertEquals("", run.err());
    }

    @Test
    void every_error_is_printed_as_the_compiler_renders_it_and_the_status_is_1() {
        PolicyCli cli = new PolicyCli(dir);
        String file = cli.write("broken.yaml", TWO_ERRORS);
        PolicyCli.Run run = PolicyCli.run("check", file);
        assertEquals(1, run.status(), run.toString());
        StringBuilder expected = new StringBuilder();
        PolicyCompiler.compile(file, TWO_ERRORS.getBytes(StandardCharsets.UTF_8)).diagnostics()
                .forEach(d -> expected.append(d).append('\n'));
        expected.append(file).append(": 2 error(s), 0 warning(s)\n");
        assertEquals(expected.toString(), run.out());
        assertTrue(run.out().contains(file + ":5:7: UNKNOWN_KEY: "), run.out());
        assertTrue(run.out().contains("help: did you mean `revocation-check`?"), run.out());
        assertTrue(run.out().contains(file + ":9:19: UNKNOWN_CA_PROFILE: "), run.out());
    }

    @Test
    void warnings_pass_unless_denied() {
        PolicyCli cli = new PolicyCli(dir);
        String file = cli.write("warned.yaml", ONE_WARNING);
        PolicyCli.Run allowed = PolicyCli.run("check", file);
        assertEquals(0, allowed.status(), allowed.toString());
        assertTrue(allowed.out().contains("UNREACHABLE_GATEWAY: warning: "), allowed.out());
        assertTrue(allowed.out().endsWith("; 1 warning(s)\n"), allowed.out());
        PolicyCli.Run denied = PolicyCli.run("check", "--deny-warnings", file);
        assertEquals(1, denied.status(), denied.toString());
        assertTrue(denied.out().endsWith("; 1 warning(s), denied\n"), denied.out());
    }

    @Test
    void several_files_are_checked_and_an_unreadable_one_makes_the_status_2() {
        PolicyCli cli = new PolicyCli(dir);
        String clean = cli.write("clean.yaml", CLEAN);
        String broken = cli.write("broken.yaml", TWO_ERRORS);
        PolicyCli.Run run = PolicyCli.run("check", clean, cli.path("missing.yaml"), broken);
        assertEquals(2, run.status(), run.toString());
        assertEquals("certgate check: " + cli.path("missing.yaml") + ": no such file\n", run.err());
        assertTrue(run.out().contains(clean + ": ok"), run.out());
        assertTrue(run.out().contains(broken + ": 2 error(s)"), run.out());
        assertEquals(2, PolicyCli.run("check", dir.toString()).status());
    }

    @Test
    void json_is_one_array_of_every_diagnostic_of_every_file() throws Exception {
        PolicyCli cli = new PolicyCli(dir);
        String broken = cli.write("broken.yaml", TWO_ERRORS);
        String warned = cli.write("warned.yaml", ONE_WARNING);
        PolicyCli.Run run = PolicyCli.run("check", "--format", "json", broken, warned);
        assertEquals(1, run.status(), run.toString());
        JsonNode array = JsonMapper.builder().build().readTree(run.out());
        assertEquals(3, array.size(), run.out());
        JsonNode first = array.get(0);
        assertEquals(broken, first.get("file").asText());
        assertEquals(5, first.get("line").asInt());
        assertEquals(7, first.get("column").asInt());
        assertEquals("error", first.get("severity").asText());
        assertEquals(DiagnosticCode.UNKNOWN_KEY.name(), first.get("code").asText());
        assertEquals("pki.ca-profiles[0].revocaton-check", first.get("path").asText());
        assertEquals("did you mean `revocation-check`?", first.get("help").asText());
        assertEquals("warning", array.get(2).get("severity").asText());
        assertEquals("[]\n", PolicyCli.run("check", "--format", "json", cli.write("c.yaml", CLEAN)).out());
    }

    @Test
    void usage_errors_and_help() {
        assertEquals(2, PolicyCli.run("check").status());
        assertEquals(2, PolicyCli.run("check", "--format", "xml", "x.yaml").status());
        PolicyCli.Run help = PolicyCli.run("check", "--help");
        assertEquals(0, help.status());
        assertTrue(help.out().startsWith("Usage: certgate check"), help.out());
        for (DiagnosticCode code : DiagnosticCode.values()) {
            assertTrue(help.out().contains("  " + code.name() + " "), code + " missing from the help");
        }
        help.out().lines().forEach(line -> assertTrue(line.length() <= 104, line));
    }
}
