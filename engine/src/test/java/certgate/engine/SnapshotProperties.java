package certgate.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.dsl.CompileResult;
import certgate.dsl.PolicyCompiler;
import certgate.dsl.policy.CompiledPolicy;
import certgate.engine.testpki.TestCert;
import certgate.engine.testpki.TestPki;
import certgate.eventstore.Blob;
import certgate.eventstore.CaCertificateLoaded;
import certgate.eventstore.CrlLoaded;
import certgate.eventstore.Event;
import certgate.eventstore.IkeIdentity;
import certgate.eventstore.PolicyActivated;
import certgate.eventstore.PolicyRecorded;
import certgate.eventstore.ValidationRequested;
import certgate.eventstore.ValidationSettings;
import certgate.testkit.Bytes;
import certgate.testkit.Gen;
import certgate.testkit.Gens;
import certgate.testkit.Property;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A snapshot is the state it was taken of: for any sequence of loads (CA certificates under profiles, CRLs of
 * every shape the index packs, policies activated and recorded, loads the engine keeps out), the state read back
 * answers every query and decides every request, trace included, exactly as the state that was written; and a
 * damaged snapshot is refused, never read as some other state.
 */
class SnapshotProperties {
    private static final TestPki ROOT = TestPki.root("CN=Snap Root, O=Snap");
    private static final TestPki SUB = ROOT.intermediate("CN=Snap Sub, O=Snap");
    private static final TestPki OTHER = TestPki.root("CN=Other Root, O=Other");
    private static final Instant NOW = TestPki.NOW;
    /** Serials of 1 to 20 bytes: packed (up to 8) and spelled (longer) groups of the CRL index. */
    private static final List<BigInteger> SERIALS = List.of(BigInteger.valueOf(5), BigInteger.valueOf(1002),
            new BigInteger("123456789abcdef0", 16), new BigInteger("7f23456789abcdef0123456789", 16),
            new BigInteger("00ff23456789abcdef0123456789abcdef012345", 16));
    private static final List<TestCert> PEERS = List.of(
            SUB.leaf("CN=good", TestPki.dns("good.example")),
            SUB.issue(TestPki.spec("CN=long serial").serial(SERIALS.get(3)).san(
                    TestPki.dns("good.example"))),
            SUB.issue(TestPki.spec("CN=short serial").serial(SERIALS.get(1)).san(
                    TestPki.dns("good.example"))),
            OTHER.leaf("CN=elsewhere", TestPki.dns("good.example")));
    private static final String POLICY_A = """
            version: 1
            pki:
              ca-profiles:
                - name: corp
                  ca-identity: "CN=Snap Sub, O=Snap"
            ike:
              gateways:
                - name: good
                  ca-profile: corp
                  remote-identity: { fqdn: good.example }
            """;
    private static final String POLICY_B = POLICY_A.replace("remote-identity: { fqdn: good.example }",
            "remote-identity: { fqdn: good.example }\n    - name: other\n      ca-profile: corp\n"
                    + "      remote-identity: { fqdn: other.example }").replace("version: 1\n", "version: 1\n# b\n");

    /** Every kind of load the engine folds, some of them unusable. */
    private static final List<Event> LOADS = loads();

    private static List<Event> loads() {
        List<Event> loads = new ArrayList<>();
        loads.add(new CaCertificateLoaded("default", ROOT.certificate().blob()));
        loads.add(new CaCertificateLoaded("corp", SUB.certificate().blob()));
        loads.add(new CaCertificateLoaded("default", SUB.certificate().blob()));
        loads.add(new CaCertificateLoaded("other", OTHER.certificate().blob()));
        loads.add(new CaCertificateLoaded("default", Blob.of(new byte[] {0x30, 0x03, 1, 2, 3})));
        loads.add(new CrlLoaded(Blob.of(ROOT.crl().build()), "file:root.crl"));
        loads.add(new CrlLoaded(Blob.of(SUB.crl().revoke(SERIALS.get(1)).number(1)
                .thisUpdate(NOW.minusSeconds(86_400)).build()), "file:sub-1.crl"));
        loads.add(new CrlLoaded(Blob.of(SUB.crl().revoke(SERIALS.get(1), NOW.minusSeconds(3_600), 1)
                .revoke(SERIALS.get(3)).revoke(SERIALS.get(4), Instant.parse("1951-01-01T00:00:00Z"), 4)
                .revoke(SERIALS.get(2)).revoke(SERIALS.get(0)).number(2).build()), "http://crl.example/sub.crl"));
        loads.add(new CrlLoaded(Blob.of(SUB.crl().number(3).thisUpdate(NOW.minusSeconds(60)).build()),
                "file:sub-3.crl"));
        loads.add(new CrlLoaded(Blob.of(OTHER.crl().noNumber().build()), "file:other.crl"));
        loads.add(new CrlLoaded(Blob.of(new byte[] {0x30, 0x00}), "file:broken.crl"));
        loads.add(new PolicyActivated(revision(POLICY_A), POLICY_A));
        loads.add(new PolicyActivated(revision(POLICY_B), POLICY_B));
        loads.add(new PolicyRecorded(revision(POLICY_B), POLICY_B));
        loads.add(new PolicyActivated("0".repeat(64), "version: 1\nnot: a policy\n"));
        return List.copyOf(loads);
    }

    record Scenario(List<Event> loads) {
        @Override
        public String toString() {
            return loads.stream().map(event -> event.getClass().getSimpleName() + "#" + LOADS.indexOf(event))
                    .toList().toString();
        }
    }

    private static final Gen<Scenario> SCENARIOS = random -> {
        List<Event> chosen = new ArrayList<>();
        int count = random.nextInt(LOADS.size() + 4);
        for (int i = 0; i < count; i++) {
            chosen.add(LOADS.get(random.nextInt(LOADS.size())));
        }
        return new Scenario(chosen);
    };

    @Test
    void a_state_read_back_from_its_snapshot_answers_and_decides_exactly_as_the_state_written() {
        Property.forAll(SCENARIOS).tries(25).check(scenario -> {
            Engine replayed = Engine.replay(scenario.loads());
            Engine restored = readBack(bytes(replayed));
            assertSame(replayed, restored);
        });
    }

    @Test
    void states_written_together_come_back_each_as_it_was() {
        Property.forAll(SCENARIOS).tries(10).check(scenario -> {
            List<Engine> states = new ArrayList<>();
            Engine engine = Engine.empty();
            states.add(engine);
            for (Event load : scenario.loads()) {
                engine = engine.apply(load);
                states.add(engine);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try {
                Snapshot.write(states, out);
                List<Engine> restored = Snapshot.read(new ByteArrayInputStream(out.toByteArray()));
                assertEquals(states.size(), restored.size());
                for (int i = 0; i < states.size(); i++) {
                    assertSame(states.get(i), restored.get(i));
                }
            } catch (IOException | SnapshotFormatException e) {
                throw new AssertionError(e);
            }
        });
    }

    @Test
    void a_snapshot_holds_the_crl_index_not_a_crl_to_parse_again() {
        byte[] crl = ((CrlLoaded) LOADS.get(7)).crl().bytes();
        byte[] snapshot = bytes(Engine.replay(List.of(LOADS.get(7))));
        // The DER once, and the packed serials besides: reading it back copies, it does not parse.
        assertTrue(snapshot.length > crl.length, () -> snapshot.length + " bytes for a CRL of " + crl.length);
        assertTrue(Bytes.indexOf(snapshot, crl) >= 0, "the CRL's DER is in the snapshot as it is");
    }

    @Test
    void a_damaged_snapshot_is_refused_never_read_as_another_state() {
        Engine engine = Engine.replay(LOADS);
        byte[] valid = bytes(engine);
        Property.forAll(Gens.damaged(valid)).tries(200).check(damaged -> {
            try {
                Engine read = Engine.readSnapshot(new ByteArrayInputStream(damaged));
                // Only bytes past the snapshot's end may differ: the reader reads exactly its own bytes.
                assertTrue(damaged.length > valid.length
                        && Arrays.equals(valid, Arrays.copyOf(damaged, valid.length)), "damage went unnoticed");
                assertSame(engine, read);
            } catch (SnapshotFormatException expected) {
                assertTrue(expected.getMessage() != null && !expected.getMessage().isBlank());
            }
        });
    }

    @Test
    void a_snapshot_of_another_format_version_is_refused_by_its_version() {
        byte[] snapshot = bytes(Engine.replay(LOADS.subList(0, 3)));
        snapshot[7] = (byte) (Snapshot.FORMAT_VERSION + 1);
        SnapshotFormatException refused = assertThrows(SnapshotFormatException.class,
                () -> Engine.readSnapshot(new ByteArrayInputStream(snapshot)));
        assertTrue(refused.getMessage().contains("format version " + (Snapshot.FORMAT_VERSION + 1)),
                refused::getMessage);
    }

    /** Every public query, and a decision of every peer under every way of asking. */
    static void assertSame(Engine expected, Engine actual) {
        assertEquals(expected.trustedCertificates(), actual.trustedCertificates());
        assertEquals(expected.crls(), actual.crls());
        assertEquals(expected.rejectedLoads(), actual.rejectedLoads());
        assertEquals(expected.activePolicy(), actual.activePolicy());
        for (String revision : List.of(revision(POLICY_A), revision(POLICY_B), "0".repeat(64))) {
            assertEquals(expected.policy(revision), actual.policy(revision));
        }
        for (TrustedCertificate ca : expected.trustedCertificates()) {
            for (BigInteger serial : SERIALS) {
                assertEquals(expected.crlStatus(ca.sha256(), serial), actual.crlStatus(ca.sha256(), serial));
            }
        }
        List<byte[]> candidates = List.of(ROOT.certificate().der(), SUB.certificate().der(),
                OTHER.certificate().der());
        assertEquals(expected.admitCaCertificates(candidates, "corp"), actual.admitCaCertificates(candidates, "corp"));
        List<Blob> crls = List.of(Blob.of(ROOT.crl().build()), ((CrlLoaded) LOADS.get(7)).crl());
        assertEquals(expected.admitCrls(crls, NOW), actual.admitCrls(crls, NOW));
        for (ValidationRequested request : requests(expected)) {
            Decision before = expected.decide(request);
            Decision after = actual.decide(request);
            assertEquals(before, after, () -> "before:\n" + Expect.trace(before) + "\nafter:\n" + Expect.trace(after));
        }
    }

    private static List<ValidationRequested> requests(Engine engine) {
        List<ValidationRequested> requests = new ArrayList<>();
        for (TestCert peer : PEERS) {
            for (boolean revocation : new boolean[] {true, false}) {
                ValidationSettings settings = new ValidationSettings(revocation
                        ? ValidationSettings.RevocationCheck.CRL : ValidationSettings.RevocationCheck.DISABLE,
                        ValidationSettings.OnDownloadFailure.REJECT, ValidationSettings.PathValidation.PARTIAL, 7,
                        false, java.time.Duration.ZERO);
                ValidationRequested draft = new ValidationRequested("r" + requests.size(), peer.blob(),
                        List.of(SUB.certificate().blob()),
                        Optional.of(new IkeIdentity(IkeIdentity.Type.FQDN, "good.example")), NOW, settings,
                        Optional.empty(), Optional.empty());
                requests.add(draft);
            }
            for (String revision : List.of(revision(POLICY_A), revision(POLICY_B))) {
                Optional<CompiledPolicy> policy = engine.policy(revision);
                if (policy.isPresent()) {
                    requests.add(PolicyDecisions.bind(policy.get(), requests.get(requests.size() - 1)));
                }
            }
        }
        return requests;
    }

    private static String revision(String source) {
        CompileResult result = PolicyCompiler.compile("snapshot.yaml", source.getBytes(StandardCharsets.UTF_8));
        return result.policy().orElseThrow(() -> new AssertionError(result.diagnostics())).revision();
    }

    private static byte[] bytes(Engine engine) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            engine.writeSnapshot(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static Engine readBack(byte[] snapshot) {
        try {
            return Engine.readSnapshot(new ByteArrayInputStream(snapshot));
        } catch (SnapshotFormatException e) {
            throw new AssertionError(e);
        }
    }
}
