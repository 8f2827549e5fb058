package certgate.dsl;

import certgate.dsl.dn.DistinguishedName;
import certgate.dsl.policy.LocalIdentity;
import java.util.List;
import java.util.Objects;

/**
 * The local certificates a store holds, as the compiler needs them to check the gateways' {@code
 * local-certificate} references ({@code certgate check --store}): the compiler reads no store itself, its caller
 * does and hands over what the certificates say.
 */
public record LoadedLocalCertificates(List<Loaded> certificates) {
    public LoadedLocalCertificates {
        certificates = List.copyOf(certificates);
    }

    /**
     * One loaded certificate: the SHA-256 of its DER (lower-case hex), its subject, and the IKE IDs its
     * subjectAltName holds (ip, fqdn and ufqdn, in normal form).
     */
    public record Loaded(String sha256, DistinguishedName subject, List<LocalIdentity> subjectAltNames) {
        public Loaded {
            Objects.requireNonNull(sha256, "sha256");
            Objects.requireNonNull(subject, "subject");
            subjectAltNames = List.copyOf(subjectAltNames);
        }

        /** Whether a certificate presenting {@code identity} holds it: in subjectAltName, or as its subject. */
        public boolean holds(LocalIdentity identity) {
            return identity.dn().map(subject::sameAs).orElseGet(() -> subjectAltNames.contains(identity));
        }
    }
}
