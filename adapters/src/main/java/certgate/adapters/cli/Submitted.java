package certgate.adapters.cli;

import certgate.adapters.pem.PkiFileException;
import certgate.adapters.pem.PkiFiles;
import certgate.adapters.pem.PkiFiles.Kind;
import certgate.eventstore.Blob;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Certificate;

/**
 * Certificates a peer submitted (its own, the chain it sent). Unlike trust anchors they are not refused here:
 * what cannot be parsed goes to the engine as it is, which rejects it with a reason the log records. The
 * problem, when there is one, is kept for a note to the person at the terminal.
 */
record Submitted(List<Blob> certificates, Optional<String> problem) {
    Submitted {
        certificates = List.copyOf(certificates);
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException("a submission holds at least the bytes it came as");
        }
    }

    static Submitted of(String name, byte[] content) {
        try {
            return new Submitted(PkiFiles.parse(name, content, Kind.CERTIFICATE), Optional.empty());
        } catch (PkiFileException notCertificates) {
            List<Blob> asSent;
            try {
                asSent = PkiFiles.decode(name, content, Kind.CERTIFICATE);
            } catch (PkiFileException notEvenArmor) {
                asSent = List.of(Blob.of(content));
            }
            return new Submitted(asSent, Optional.of(notCertificates.getMessage()));
        }
    }

    /**
     * The certificates as sent, without checking what they hold and so without a note: for a batch, where
     * nobody reads notes and the engine parses each certificate anyway.
     */
    static Submitted asSent(String name, byte[] content) {
        try {
            return new Submitted(PkiFiles.decode(name, content, Kind.CERTIFICATE), Optional.empty());
        } catch (PkiFileException notEvenArmor) {
            return new Submitted(List.of(Blob.of(content)), Optional.of(notEvenArmor.getMessage()));
        }
    }

    /**
     * A hint when the certificates are out of order: the first (taken as the peer's own) is a CA certificate and
     * another one is not, so the peer's certificate is probably further down the file. Empty otherwise, and for
     * what cannot be parsed (the engine reports that).
     */
    Optional<String> orderHint(String file) {
        List<Optional<Boolean>> ca = certificates.stream().map(Submitted::isCa).toList();
        if (ca.get(0).orElse(false) && ca.subList(1, ca.size()).contains(Optional.of(false))) {
            return Optional.of("the first certificate in " + file + " is a CA certificate; the peer's own"
                    + " certificate must come first (certificate " + (ca.indexOf(Optional.of(false)) + 1)
                    + " of " + ca.size() + " is not a CA's)");
        }
        return Optional.empty();
    }

    /** Whether the certificate's basicConstraints say cA; empty when it cannot be parsed. */
    private static Optional<Boolean> isCa(Blob certificate) {
        try {
            Certificate parsed = Certificate.getInstance(certificate.bytes());
            BasicConstraints constraints = BasicConstraints.fromExtensions(parsed.getTBSCertificate().getExtensions());
            return Optional.of(constraints != null && constraints.isCA());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    Blob first() {
        return certificates.get(0);
    }

    List<Blob> rest() {
        return certificates.subList(1, certificates.size());
    }
}
