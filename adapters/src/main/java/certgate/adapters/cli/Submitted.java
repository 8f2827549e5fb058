package certgate.adapters.cli;

import certgate.adapters.pem.PkiFileException;
import certgate.adapters.pem.PkiFiles;
import certgate.adapters.pem.PkiFiles.Kind;
import certgate.eventstore.Blob;
import java.util.List;
import java.util.Optional;

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

    Blob first() {
        return certificates.get(0);
    }

    List<Blob> rest() {
        return certificates.subList(1, certificates.size());
    }
}
