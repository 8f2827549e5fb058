package certgate.dsl.policy;

import certgate.dsl.dn.DistinguishedName;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The certificate a gateway presents (Junos {@code local-certificate}), named by what stays true of it: its
 * subject (any loaded local certificate of that subject, so a renewal needs no change of policy) or the SHA-256
 * fingerprint of its DER (exactly that certificate).
 */
public sealed interface LocalCertificate {

    /** Whether the certificate whose DER has SHA-256 {@code sha256} (hex) and whose subject is this is the one. */
    boolean names(String sha256, DistinguishedName subject);

    /** Any local certificate whose subject is this DN (compared as RFC 4514 names). */
    record BySubject(DistinguishedName subject) implements LocalCertificate {
        public BySubject {
            Objects.requireNonNull(subject, "subject");
            if (subject.isEmpty()) {
                throw new IllegalArgumentException("a local certificate's subject cannot be empty");
            }
        }

        @Override
        public boolean names(String sha256, DistinguishedName subject) {
            return this.subject.sameAs(subject);
        }

        @Override
        public String toString() {
            return "subject '" + subject + "'";
        }
    }

    /** The certificate whose DER has this SHA-256: 64 lower-case hex digits. */
    record BySha256(String sha256) implements LocalCertificate {
        private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");

        public BySha256 {
            if (!HEX.matcher(sha256).matches()) {
                throw new IllegalArgumentException("'" + sha256 + "' is not 64 lower-case hex digits");
            }
        }

        @Override
        public boolean names(String sha256, DistinguishedName subject) {
            return this.sha256.equalsIgnoreCase(sha256);
        }

        @Override
        public String toString() {
            return "sha256 " + sha256;
        }
    }
}
