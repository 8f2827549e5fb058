package certgate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import certgate.engine.testpki.Scenario;
import certgate.engine.testpki.TestCert;
import certgate.engine.testpki.TestPki;
import certgate.eventstore.Reason;
import certgate.eventstore.Verdict;
import certgate.testkit.Gen;
import certgate.testkit.Property;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Properties of chain building and path validation over generated hierarchies. */
class ChainProperties {

    /** A hierarchy of {@code depth} CAs (root included) and a peer; {@code bad} = certificates with a bad signature. */
    record Shape(int depth, int maxCaLevels, Set<Integer> bad) {
    }

    private static final Gen<Shape> SHAPES = random -> {
        int depth = 1 + random.nextInt(10);
        int max = 1 + random.nextInt(10);
        Set<Integer> bad = new TreeSet<>();
        // Position 0 is the peer, 1..depth-1 the intermediates; the root's own signature is never checked.
        for (int i = 0; i < depth; i++) {
            if (random.nextInt(6) == 0) {
                bad.add(i);
            }
        }
        return new Shape(depth, max, bad);
    };

    @Test
    void a_chain_is_accepted_iff_it_is_within_max_ca_levels_and_every_signature_is_good() {
        Property.forAll(SHAPES).tries(40).check(shape -> {
            TestPki ca = TestPki.root("CN=Root");
            TestPki root = ca;
            List<TestCert> chain = new ArrayList<>();
            for (int level = 1; level < shape.depth(); level++) {
                int position = shape.depth() - level;
                var spec = TestPki.spec("CN=CA " + level);
                ca = ca.intermediate(shape.bad().contains(position) ? spec.badSignature() : spec);
                chain.add(0, ca.certificate());
            }
            var peerSpec = TestPki.spec("CN=peer");
            TestCert peer = ca.issue(shape.bad().contains(0) ? peerSpec.badSignature() : peerSpec);
            Decision decision = Scenario.trusting(root).maxCaLevels(shape.maxCaLevels())
                    .decide(peer, chain.toArray(new TestCert[0]));
            boolean expectAccept = shape.depth() <= shape.maxCaLevels() && shape.bad().isEmpty();
            assertEquals(expectAccept ? Verdict.ACCEPT : Verdict.REJECT, decision.verdict(),
                    () -> shape + "\n" + Expect.trace(decision));
            if (!shape.bad().isEmpty()) {
                Expect.reason(Reason.SIGNATURE_INVALID, decision);
            } else if (!expectAccept) {
                Expect.reason(Reason.CA_LEVELS_EXCEEDED, decision);
            }
        });
    }

    @Test
    void generated_shapes_cover_accepts_and_both_kinds_of_reject() {
        int[] counts = new int[3];
        sample(SHAPES, 400).forEach(shape -> {
            boolean accept = shape.depth() <= shape.maxCaLevels() && shape.bad().isEmpty();
            counts[accept ? 0 : shape.bad().isEmpty() ? 1 : 2]++;
        });
        for (int count : counts) {
            assertEquals(true, count > 20, () -> "generator is lopsided: " + java.util.Arrays.toString(counts));
        }
    }

    /** A fixed-seed sample of a generator, to check what it covers. */
    static <T> List<T> sample(Gen<T> gen, int n) {
        List<T> out = new ArrayList<>();
        java.util.SplittableRandom random = new java.util.SplittableRandom(42);
        for (int i = 0; i < n; i++) {
            out.add(gen.generate(random.split()));
        }
        return out;
    }
}
