package certgate.eventstore;

import java.util.List;
import java.util.Objects;

/**
 * {@code certgate request} wrote a PKCS#10 certificate request (the p10 file a CA signs) for the key pair with
 * public key fingerprint {@code publicKeySha256}: its subject (RFC 4514 text), the subjectAltNames it asks for
 * (IP, FQDN and U-FQDN, as the IKE IDs the gateway will present), the SHA-256 of the request's DER and the file
 * it went to. The engine's state does not depend on it.
 */
public record CertificateRequestGenerated(String subject, List<IkeIdentity> subjectAltNames, String publicKeySha256,
                                          String requestSha256, String file) implements Event {
    public CertificateRequestGenerated {
        Objects.requireNonNull(subject, "subject");
        subjectAltNames = List.copyOf(subjectAltNames);
        Objects.requireNonNull(publicKeySha256, "publicKeySha256");
        Objects.requireNonNull(requestSha256, "requestSha256");
        Objects.requireNonNull(file, "file");
        if (subjectAltNames.stream().anyMatch(name -> name.type() == IkeIdentity.Type.DN)) {
            throw new IllegalArgumentException("a subjectAltName of a request is an IP address, FQDN or U-FQDN,"
                    + " not a DN");
        }
    }
}
