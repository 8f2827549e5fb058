package certgate.adapters.policy;

import certgate.adapters.policy.PolicyTestFile.Case;
import certgate.adapters.policy.PolicyTestFile.Explicit;
import certgate.adapters.policy.PolicyTestFile.Named;
import certgate.adapters.policy.PolicyTestFile.Relative;
import certgate.adapters.policy.TestFileException.Problem;
import certgate.dsl.Suggestions;
import certgate.dsl.dn.DistinguishedName;
import certgate.dsl.dn.DnSyntaxException;
import certgate.dsl.policy.CaProfile;
import certgate.dsl.policy.CompiledPolicy;
import certgate.dsl.policy.Gateway;
import certgate.engine.Decision;
import certgate.engine.Engine;
import certgate.engine.LoadRejection;
import certgate.engine.PolicyDecisions;
import certgate.eventstore.Blob;
import certgate.eventstore.CaCertificateLoaded;
import certgate.eventstore.CrlLoaded;
import certgate.eventstore.Event;
import certgate.eventstore.Reason;
import certgate.eventstore.ValidationRequested;
import certgate.eventstore.ValidationSettings;
import certgate.eventstore.Verdict;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One run of a policy test file: an ephemeral CA per CA profile of the policy (its {@code ca-identity} as subject
 * when it has one), loaded under the profile's name; each case's peer certificate issued by the CA of its
 * profile; one CRL per CA listing the revoked peers. These, and the policy's activation, are the events of an
 * engine, and each case is decided as {@code certgate verify --policy} would decide it, at the file's time.
 */
public final class PolicyTestRun {
    private static final Duration DAY = Duration.ofDays(1);
    private static final Duration YEAR = Duration.ofDays(365);

    /** What one case got, and whether that is what it expected. */
    public record Outcome(Case testCase, Decision decision, Optional<String> gateway, List<String> mismatches) {
        public boolean passed() {
            return mismatches.isEmpty();
        }
    }

    public record Result(PolicyTestFile tests, CompiledPolicy policy, Instant at, List<Outcome> outcomes) {
        public long passed() {
            return outcomes.stream().filter(Outcome::passed).count();
        }

        public long failed() {
            return outcomes.size() - passed();
        }
    }

    private PolicyTestRun() {
    }

    /** Checks the file's names against the policy, then runs every case. */
    public static Result run(PolicyTestFile tests, PolicySource source, Instant defaultAt) throws TestFileException {
        CompiledPolicy policy = source.policy().orElseThrow(() -> new IllegalArgumentException(
                source.file() + " did not compile"));
        checkNames(tests, policy);
        Instant at = tests.at().orElse(defaultAt);
        EphemeralPki pki = new EphemeralPki();
        Map<String, EphemeralPki.Ca> cas = new LinkedHashMap<>();
        for (CaProfile profile : policy.caProfiles()) {
            cas.put(profile.name(), pki.ca(profile.caIdentity().orElseGet(() -> testCaName(profile)), at));
        }
        Map<String, List<BigInteger>> revoked = new LinkedHashMap<>();
        List<Blob> peers = new ArrayList<>();
        for (Case testCase : tests.cases()) {
            String profile = testCase.peer().profile().name();
            Instant[] validity = validity(testCase, at);
            EphemeralPki.Issued issued = pki.peer(cas.get(profile), testCase.peer().subject(),
                    testCase.peer().subjectAltNames(), validity[0], validity[1]);
            peers.add(Blob.of(issued.certificate()));
            if (testCase.peer().revoked()) {
                revoked.computeIfAbsent(profile, p -> new ArrayList<>()).add(issued.serial());
            }
        }
        List<Event> events = new ArrayList<>();
        events.add(source.activation());
        for (Map.Entry<String, EphemeralPki.Ca> ca : cas.entrySet()) {
            events.add(new CaCertificateLoaded(ca.getKey(), Blob.of(ca.getValue().certificate())));
            events.add(new CrlLoaded(Blob.of(pki.crl(ca.getValue(), revoked.getOrDefault(ca.getKey(), List.of()), at)),
                    "test:" + ca.getKey()));
        }
        Engine engine = Engine.replay(events);
        if (!engine.rejectedLoads().isEmpty()) {
            LoadRejection first = engine.rejectedLoads().get(0);
            throw new IllegalStateException("the engine refused the test run's own " + first.kind() + " ("
                    + first.origin() + "): " + first.problem());
        }
        List<Outcome> outcomes = new ArrayList<>();
        for (int i = 0; i < tests.cases().size(); i++) {
            Case testCase = tests.cases().get(i);
            ValidationRequested request = PolicyDecisions.bind(policy, new ValidationRequested(
                    "case-" + (i + 1), peers.get(i), List.of(), testCase.ikeId(), at, ValidationSettings.DEFAULTS,
                    testCase.gateway().map(Named::name), Optional.empty()));
            Decision decision = engine.decide(request);
            Optional<String> gateway = PolicyDecisions.select(policy, request).chosen().map(Gateway::name);
            outcomes.add(new Outcome(testCase, decision, gateway, mismatches(testCase, decision, gateway)));
        }
        return new Result(tests, policy, at, outcomes);
    }

    private static List<String> mismatches(Case testCase, Decision decision, Optional<String> gateway) {
        List<String> out = new ArrayList<>();
        if (decision.verdict() != testCase.expect().verdict()) {
            out.add("verdict");
        }
        Optional<Reason> reason = testCase.expect().reason();
        if (reason.isPresent() && reason.get() != decision.reason()) {
            out.add("reason");
        }
        Optional<Named> expectedGateway = testCase.expect().gateway();
        if (expectedGateway.isPresent() && !gateway.equals(Optional.of(expectedGateway.get().name()))) {
            out.add("gateway");
        }
        return List.copyOf(out);
    }

    /** {notBefore, notAfter} of a case's peer. */
    private static Instant[] validity(Case testCase, Instant at) {
        if (testCase.peer().validity() instanceof Relative relative) {
            return switch (relative) {
                case VALID -> new Instant[] {at.minus(DAY), at.plus(YEAR)};
                case EXPIRED -> new Instant[] {at.minus(YEAR).minus(DAY), at.minus(DAY)};
                case NOT_YET_VALID -> new Instant[] {at.plus(DAY), at.plus(YEAR).plus(DAY)};
            };
        }
        Explicit explicit = (Explicit) testCase.peer().validity();
        Instant notBefore = explicit.notBefore().orElseGet(() -> {
            Instant before = at.minus(DAY);
            return explicit.notAfter().filter(after -> !after.isAfter(before)).map(after -> after.minus(YEAR))
                    .orElse(before);
        });
        Instant notAfter = explicit.notAfter().orElseGet(() -> {
            Instant after = at.plus(YEAR);
            return after.isAfter(notBefore) ? after : notBefore.plus(YEAR);
        });
        return new Instant[] {notBefore, notAfter};
    }

    private static DistinguishedName testCaName(CaProfile profile) {
        try {
            return DistinguishedName.parse("CN=certgate test CA " + profile.name() + ", O=certgate test");
        } catch (DnSyntaxException e) {
            throw new IllegalStateException("profile names are letters, digits, '.', '_' and '-': " + profile.name(),
                    e);
        }
    }

    /** Every profile and gateway a case names must be the policy's: a typo is an error, not a failing case. */
    private static void checkNames(PolicyTestFile tests, CompiledPolicy policy) throws TestFileException {
        List<Problem> problems = new ArrayList<>();
        List<String> profiles = policy.caProfiles().stream().map(CaProfile::name).toList();
        List<String> gateways = policy.gateways().stream().map(Gateway::name).toList();
        for (Case testCase : tests.cases()) {
            check(tests, testCase.peer().profile(), profiles, "CA profile", problems);
            testCase.gateway().ifPresent(g -> check(tests, g, gateways, "gateway", problems));
            testCase.expect().gateway().ifPresent(g -> check(tests, g, gateways, "gateway", problems));
        }
        if (!problems.isEmpty()) {
            throw new TestFileException(problems);
        }
    }

    private static void check(PolicyTestFile tests, Named named, List<String> known, String what,
            List<Problem> problems) {
        if (known.contains(named.name())) {
            return;
        }
        Optional<String> closest = Suggestions.closest(named.name(), known);
        problems.add(new Problem(tests.file(), named.at().line(), named.at().column(), named.path(),
                "policy " + tests.policy() + " has no " + what + " named `" + named.name() + "`",
                Optional.of(closest.map(c -> "did you mean `" + c + "`?").orElse(known.isEmpty()
                        ? "the policy has no " + what + "s"
                        : "its " + what + "s: " + known.stream().collect(Collectors.joining(", "))))));
    }

    public static String expectedText(Case testCase, String row) {
        return switch (row) {
            case "verdict" -> testCase.expect().verdict() == Verdict.ACCEPT ? "accept" : "reject";
            case "reason" -> testCase.expect().reason().map(Reason::name).orElse("(any)");
            case "gateway" -> testCase.expect().gateway().map(Named::name).orElse("(any)");
            default -> throw new IllegalArgumentException(row);
        };
    }
}
