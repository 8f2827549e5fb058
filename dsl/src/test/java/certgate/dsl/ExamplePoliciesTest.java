package certgate.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.dsl.policy.CompiledPolicy;
import certgate.dsl.policy.Gateway;
import certgate.dsl.policy.IdentityType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The shipped example policies compile clean, and their test files agree with the policy on the part the
 * dsl decides: which gateway an IKE ID selects. (Certificates, validity and revocation are for `certgate test`.)
 */
class ExamplePoliciesTest {
    private static final Set<String> CASE_KEYS = Set.of("name", "peer", "ike-id", "expect");
    private static final Set<String> PEER_KEYS = Set.of("subject", "san", "validity", "not-before", "not-after",
            "revoked", "profile");
    private static final Set<String> EXPECT_KEYS = Set.of("verdict", "reason", "gateway");

    private static List<Path> policies() throws IOException {
        try (Stream<Path> files = Files.list(PolicySchemaTest.POLICIES)) {
            return files.filter(p -> p.toString().endsWith(".yaml") && !p.toString().endsWith(".tests.yaml"))
                    .sorted().toList();
        }
    }

    @Test
    void there_are_the_three_examples_the_issue_asks_for() throws IOException {
        List<String> names = policies().stream().map(p -> p.getFileName().toString()).toList();
        assertTrue(names.containsAll(List.of("branch-offices.yaml", "partner-fqdn.yaml", "strict-container.yaml")),
                names.toString());
    }

    @Test
    void every_example_policy_compiles_without_any_diagnostic() throws IOException {
        for (Path path : policies()) {
            CompileResult result = PolicyCompiler.compile(path.getFileName().toString(), Files.readAllBytes(path));
            assertTrue(result.diagnostics().isEmpty() && result.policy().isPresent(),
                    path + ":\n" + Policies.describe(result));
        }
    }

    @Test
    void every_example_has_a_test_file_whose_cases_select_the_gateway_they_expect() throws IOException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        for (Path path : policies()) {
            Path tests = path.resolveSibling(path.getFileName().toString().replace(".yaml", ".tests.yaml"));
            assertTrue(Files.exists(tests), "no test file for " + path);
            JsonNode root = yaml.readTree(tests.toFile());
            assertEquals(path.getFileName().toString(), root.get("policy").asText(), tests.toString());
            CompiledPolicy policy = PolicyCompiler.compile(path.toString(), Files.readAllBytes(path)).policy()
                    .orElseThrow();
            List<String> verdicts = new ArrayList<>();
            for (JsonNode testCase : root.get("cases")) {
                String where = tests.getFileName() + ": " + testCase.get("name").asText();
                assertKeys(testCase, CASE_KEYS, where);
                assertKeys(testCase.get("peer"), PEER_KEYS, where);
                assertKeys(testCase.get("expect"), EXPECT_KEYS, where);
                String ikeId = testCase.get("ike-id").asText();
                int colon = ikeId.indexOf(':');
                IdentityType type = IdentityType.valueOf(ikeId.substring(0, colon).toUpperCase(Locale.ROOT));
                Optional<String> found = policy.findGateway(type, ikeId.substring(colon + 1)).map(Gateway::name);
                JsonNode expect = testCase.get("expect");
                String reason = expect.path("reason").asText("");
                if (reason.equals("GATEWAY_NOT_FOUND")) {
                    assertEquals(Optional.empty(), found, where);
                } else {
                    assertTrue(expect.has("gateway"), where + ": name the gateway the case expects");
                    assertEquals(Optional.of(expect.get("gateway").asText()), found, where);
                }
                verdicts.add(expect.get("verdict").asText());
            }
            assertTrue(verdicts.contains("accept") && verdicts.contains("reject"),
                    tests + " should show both an accepted and a rejected peer");
        }
    }

    private static void assertKeys(JsonNode node, Set<String> allowed, String where) {
        List<String> keys = new ArrayList<>();
        node.fieldNames().forEachRemaining(keys::add);
        assertFalse(keys.isEmpty(), where);
        for (String key : keys) {
            assertTrue(allowed.contains(key), where + ": unknown key " + key);
        }
    }
}
