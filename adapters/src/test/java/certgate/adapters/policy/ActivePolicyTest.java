package certgate.adapters.policy;

import static certgate.engine.testpki.TestPki.dns;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.adapters.cli.PolicyCommand;
import certgate.adapters.cli.StoreOption;
import certgate.dsl.PolicyCompiler;
import certgate.engine.testpki.TestCert;
import certgate.engine.testpki.TestPki;
import certgate.eventstore.Event;
import certgate.eventstore.PolicyActivated;
import certgate.eventstore.PolicyRecorded;
import certgate.eventstore.ValidationRequested;
import certgate.eventstore.log.FileEventLog;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
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
 * The store's active policy decides {@code validate}; {@code validate --policy FILE} decides one request under
 * another policy without changing which one is active, and every decision replays and audits as it was made.
 */
class ActivePolicyTest {
    /** The policy activated in the store: HQ's gateway is "hq". */
    private static final String ACTIVE = PolicyInUseTest.POLICY;
    /** Another policy, given with --policy for one request: the same peer is found by gateway "hq-override". */
    private static final String OVERRIDE = ACTIVE.replace("- name: hq\n", "- name: hq-override\n");
    private static final TestPki ROOT = TestPki.root("CN=Corp Root CA, O=Corp");
    private static final TestPki ISSUING = ROOT.intermediate("CN=Corp Issuing CA, O=Corp");
    private static final TestCert HQ = ISSUING.leaf("CN=hq, O=Corp", dns("hq.corp.example"));

    @TempDir
    Path dir;
    private PolicyCli cli;
    private String store;
    private String active;
    private String override;
    private String hq;

    @BeforeEach
    void storeWithTheActivePolicy() {
        cli = new PolicyCli(dir);
        store = dir.resolve("store").toString();
        active = cli.write("active.yaml", ACTIVE);
        override = cli.write("override.yaml", OVERRIDE);
        hq = cli.write("hq.pem", HQ.pem());
        String issuing = cli.write("issuing.pem", ISSUING.certificate().pem());
        String crl = cli.write("issuing.crl", ISSUING.crl().build());
        assertEquals(0, PolicyCli.run("load", "ca", issuing, "--profile", "corp", "--store", store).status());
        assertEquals(0, PolicyCli.run("load", "crl", crl, "--store", store).status());
        PolicyCli.Run activated = PolicyCli.run("policy", "activate", active, "--store", store);
        assertEquals(0, activated.status(), activated.toString());
    }

    private PolicyCli.Run validate(String... more) {
        List<String> args = new ArrayList<>(List.of("validate", "--peer", hq, "--id", "fqdn:hq.corp.example",
                "--at", TestPki.NOW.toString(), "--store", store));
        args.addAll(List.of(more));
        return PolicyCli.run(args.toArray(new String[0]));
    }

    @Test
    void validate_after_activate_decides_under_the_active_policy() {
        PolicyCli.Run run = validate();

        assertEquals(0, run.status(), run.toString());
        assertTrue(run.out().contains("accept OK\n  gateway      pass     gateway hq is the first of 2"), run.out());
        ValidationRequested request = requests().get(0);
        assertEquals(Optional.of(revision(ACTIVE)), request.policyRevision());
    }

    @Test
    void the_active_policy_sets_the_settings_so_the_settings_options_are_refused() {
        PolicyCli.Run run = validate("--max-ca-levels", "3");

        assertEquals(2, run.status(), run.toString());
        assertTrue(run.err().contains("--max-ca-levels does not go with the store's active policy"), run.err());
        assertTrue(requests().isEmpty(), "nothing is decided");
    }

    @Test
    void an_override_decides_under_its_policy_and_leaves_the_active_one_active() throws Exception {
        PolicyCli.Run overridden = validate("--policy", override);
        assertEquals(0, overridden.status(), overridden.toString());
        assertTrue(overridden.out().contains("gateway hq-override is the first of 2"), overridden.out());
        assertTrue(overridden.err().contains("the active policy is still revision "
                + PolicySource.shortRevision(revision(ACTIVE))), overridden.err());

        PolicyCli.Run next = validate();
        assertTrue(next.out().contains("gateway hq is the first of 2"), next.out());
        PolicyCli.Run replay = PolicyCli.run("replay", "--store", store);
        assertTrue(replay.out().contains("active policy: revision " + revision(ACTIVE)), replay.out());
        JsonNode state = new ObjectMapper().readTree(PolicyCli.run("replay", "--format", "json", "--store", store)
                .out());
        assertEquals(revision(ACTIVE), state.get("activePolicy").get("revision").asText());

        List<Event> policies = events().stream()
                .filter(event -> event instanceof PolicyActivated || event instanceof PolicyRecorded).toList();
        assertEquals(List.of(new PolicyActivated(revision(ACTIVE), ACTIVE),
                new PolicyRecorded(revision(OVERRIDE), OVERRIDE)), policies);
        assertEquals(List.of(Optional.of(revision(OVERRIDE)), Optional.of(revision(ACTIVE))),
                requests().stream().map(ValidationRequested::policyRevision).toList());

        PolicyCli.Run audit = PolicyCli.run("audit", "--store", store);
        assertEquals(0, audit.status(), audit.toString());
        assertTrue(audit.out().contains("audited 2 decisions: 2 re-decided the same, 0 mismatches"), audit.out());
        String overrideId = requests().get(0).requestId();
        PolicyCli.Run explain = PolicyCli.run("explain", overrideId, "--store", store);
        assertEquals(0, explain.status(), explain.toString());
        assertTrue(explain.out().contains("gateway hq-override is the first of 2"), explain.out());
    }

    @Test
    void an_override_with_the_policy_already_in_the_store_records_nothing_more() {
        assertEquals(0, validate("--policy", override).status());
        PolicyCli.Run again = validate("--policy", override);

        assertEquals(0, again.status(), again.toString());
        assertFalse(again.err().contains("recorded at sequence"), again.err());
        assertEquals(1, events().stream().filter(PolicyRecorded.class::isInstance).count());
    }

    @Test
    void a_bug_while_activating_reaches_the_internal_error_handler_instead_of_passing_for_damage() {
        StoreOption failing = new StoreOption(name -> {
            throw new IllegalStateException("a bug");
        }, dir);
        PolicyCommand command = new PolicyCommand(Clock.fixed(PolicyCli.NOW, ZoneOffset.UTC), failing);
        PrintStream discard = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

        // Main turns what escapes a command into exit status 3 and a request to report it (MainTest).
        assertThrows(IllegalStateException.class, () -> command.run(List.of("activate", active),
                new ByteArrayInputStream(new byte[0]), discard, discard));
    }

    private static String revision(String source) {
        return PolicyCompiler.compile("p", source.getBytes(StandardCharsets.UTF_8)).policy().orElseThrow().revision();
    }

    private List<ValidationRequested> requests() {
        return events().stream().filter(ValidationRequested.class::isInstance).map(ValidationRequested.class::cast)
                .toList();
    }

    private List<Event> events() {
        List<Event> events = new ArrayList<>();
        try (FileEventLog log = FileEventLog.openForAppend(Path.of(store), Clock.fixed(PolicyCli.NOW,
                ZoneOffset.UTC))) {
            log.read(0, recorded -> events.add(recorded.event()));
        }
        return events;
    }
}
