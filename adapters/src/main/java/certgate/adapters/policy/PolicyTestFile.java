package certgate.adapters.policy;

import certgate.dsl.YamlNode.Location;
import certgate.dsl.dn.DistinguishedName;
import certgate.eventstore.IkeIdentity;
import certgate.eventstore.Reason;
import certgate.eventstore.Verdict;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A policy test file as read ({@code *.tests.yaml}, format in policies/README.md): the policy it tests, the time
 * of every decision, and its cases. Locations are kept for the checks that need the policy (a profile or gateway
 * the policy does not have) and for the output.
 */
public record PolicyTestFile(String file, String policy, Location policyAt, Optional<Instant> at,
                             List<Case> cases) {

    public PolicyTestFile {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(policyAt, "policyAt");
        Objects.requireNonNull(at, "at");
        cases = List.copyOf(cases);
    }

    /** One case: the peer certificate to build, the IKE ID it presents (or the gateway named), what to expect. */
    public record Case(int index, Location at, String name, Peer peer, Optional<IkeIdentity> ikeId,
                       Optional<Named> gateway, Expectation expect) {
        public Case {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(peer, "peer");
            Objects.requireNonNull(ikeId, "ikeId");
            Objects.requireNonNull(gateway, "gateway");
            Objects.requireNonNull(expect, "expect");
        }
    }

    /** A name that must exist in the policy, with where it was written. */
    public record Named(String name, Location at, String path) {
    }

    public record Peer(DistinguishedName subject, List<SubjectAltName> subjectAltNames, Validity validity,
                       boolean revoked, Named profile) {
        public Peer {
            Objects.requireNonNull(subject, "subject");
            subjectAltNames = List.copyOf(subjectAltNames);
            Objects.requireNonNull(validity, "validity");
            Objects.requireNonNull(profile, "profile");
        }
    }

    public record SubjectAltName(Kind kind, String value) {
        public enum Kind { DNS, IP, EMAIL }
    }

    /** Relative to the decision time, or given outright. */
    public sealed interface Validity {
    }

    public enum Relative implements Validity { VALID, EXPIRED, NOT_YET_VALID }

    public record Explicit(Optional<Instant> notBefore, Optional<Instant> notAfter) implements Validity {
    }

    public record Expectation(Verdict verdict, Optional<Reason> reason, Optional<Named> gateway) {
        public Expectation {
            Objects.requireNonNull(verdict, "verdict");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(gateway, "gateway");
        }
    }
}
