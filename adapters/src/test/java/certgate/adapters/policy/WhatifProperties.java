package certgate.adapters.policy;

import static certgate.engine.testpki.TestPki.dns;
import static org.junit.jupiter.api.Assertions.assertEquals;

import certgate.adapters.store.StoreReading;
import certgate.dsl.PolicyCompiler;
import certgate.dsl.policy.CompiledPolicy;
import certgate.engine.Decision;
import certgate.engine.Engine;
import certgate.engine.PolicyDecisions;
import certgate.engine.testpki.TestCert;
import certgate.engine.testpki.TestPki;
import certgate.eventstore.Event;
import certgate.eventstore.LocalCertificateLoaded;
import certgate.eventstore.ValidationDecided;
import certgate.eventstore.ValidationRequested;
import certgate.testkit.Gens;
import certgate.testkit.Property;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Under any policy edit, the decisions {@code whatif} lists as changed are exactly those whose verdict or reason
 * differs when each request is re-decided by hand: its state folded from the events before it, the request bound
 * to the edited policy and decided under it.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class WhatifProperties {
    private static final String LIVE = PolicyInUseTest.POLICY;
    /** Edits of the live policy, applied in any combination: some change verdicts, some only trace details. */
    private static final List<Map.Entry<String, String>> EDITS = List.of(
            Map.entry("OU=Branches\" }", "OU=Stores\" }"),
            Map.entry("wildcard: \"O=Corp, OU=Branches\"", "wildcard: \"O=Corp\""),
            Map.entry("fqdn: hq.corp.example", "fqdn: hq2.corp.example"),
            Map.entry("ca-identity: \"CN=Corp Issuing CA, O=Corp\"", "ca-identity: \"CN=Other CA, O=Corp\""),
            Map.entry("- name: hq\n", "- name: head-office\n"),
            Map.entry("- name: branches\n", "- name: shops\n"));
    private static final TestPki ROOT = TestPki.root("CN=Corp Root CA, O=Corp");
    private static final TestPki ISSUING = ROOT.intermediate("CN=Corp Issuing CA, O=Corp");
    private static final TestCert HQ = ISSUING.leaf("CN=hq, O=Corp", dns("hq.corp.example"));
    private static final TestCert B1 = ISSUING.leaf("CN=b1, OU=Branches, O=Corp");
    private static final TestCert B2 = ISSUING.leaf("CN=b2, OU=Branches, O=Corp");

    @TempDir
    static Path dir;
    private static PolicyCli cli;
    private static String store;

    @BeforeAll
    static void storeWithDecisionsOfEveryKind() {
        cli = new PolicyCli(dir);
        store = dir.resolve("store").toString();
        String issuing = cli.write("issuing.pem", ISSUING.certificate().pem());
        String crl = cli.write("issuing.crl", ISSUING.crl().revoke(B2.serial()).build());
        assertEquals(0, PolicyCli.run("load", "ca", issuing, "--profile", "corp", "--store", store).status());
        assertEquals(0, PolicyCli.run("load", "crl", crl, "--store", store).status());
        String hq = cli.write("hq.pem", HQ.pem());
        String b1 = cli.write("b1.pem", B1.pem());
        String b2 = cli.write("b2.pem", B2.pem());
        // one request decided before any policy, under the settings options
        validate(hq, "fqdn:hq.corp.example");
        assertEquals(0, PolicyCli.run("policy", "activate", cli.write("live.yaml", LIVE), "--store", store)
                .status());
        validate(hq, "fqdn:hq.corp.example");
        validate(b1, "dn:CN=b1, OU=Branches, O=Corp");
        validate(b2, "dn:CN=b2, OU=Branches, O=Corp");
        validate(b1, "fqdn:hq.corp.example");
        validate(hq, "dn:CN=hq, O=Corp");
    }

    private static void validate(String peer, String id) {
        PolicyCli.run("validate", "--peer", peer, "--id", id, "--at", TestPki.NOW.toString(), "--store", store);
    }

    @Test
    void whatif_changes_exactly_the_decisions_that_differ_when_each_is_re_decided_by_hand() {
        Property.forAll(Gens.listOf(Gens.pick(EDITS), 0, 4)).tries(40).check(edits -> {
            String source = LIVE;
            for (Map.Entry<String, String> edit : edits) {
                source = source.replace(edit.getKey(), edit.getValue());
            }
            Optional<CompiledPolicy> policy = PolicyCompiler.compile("edited.yaml",
                    source.getBytes(StandardCharsets.UTF_8)).policy();
            if (policy.isEmpty()) {
                return;
            }
            String file = cli.write("edited.yaml", source);
            PolicyCli.Run run = PolicyCli.run("whatif", "--policy", file, "--format", "json", "--store", store);
            JsonNode root;
            try {
                root = new ObjectMapper().readTree(run.out());
            } catch (Exception e) {
                throw new AssertionError(run.toString(), e);
            }
            Set<String> listed = new LinkedHashSet<>();
            root.get("changes").forEach(change -> listed.add(change.get("requestId").asText()));
            Set<String> byHand = changedByHand(policy.get());
            assertEquals(byHand, listed, run.toString());
            assertEquals(byHand.isEmpty() ? 0 : 1, run.status(), run.toString());
            assertEquals(6, root.get("summary").get("considered").asLong());
        });
    }

    /** The ids, in log order, of the recorded decisions {@code policy} decides differently. */
    private static Set<String> changedByHand(CompiledPolicy policy) {
        List<Event> events = new ArrayList<>();
        StoreReading.read(Path.of(store), recorded -> events.add(recorded.event()));
        Map<String, Decision> redecided = new HashMap<>();
        Set<String> changed = new LinkedHashSet<>();
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i) instanceof ValidationRequested request) {
                Engine state = Engine.empty();
                for (Event before : events.subList(0, i)) {
                    if (!(before instanceof ValidationRequested || before instanceof ValidationDecided
                            || before instanceof LocalCertificateLoaded)) {
                        state = state.apply(before);
                    }
                }
                ValidationRequested draft = new ValidationRequested(request.requestId(), request.peer(),
                        request.chain(), request.identity(), request.at(), request.settings(), Optional.empty(),
                        Optional.empty());
                redecided.put(request.requestId(),
                        PolicyDecisions.decide(policy, state, PolicyDecisions.bind(policy, draft)));
            } else if (events.get(i) instanceof ValidationDecided decided) {
                Decision again = redecided.remove(decided.requestId());
                if (again.verdict() != decided.verdict() || again.reason() != decided.reason()) {
                    changed.add(decided.requestId());
                }
            }
        }
        return changed;
    }
}
