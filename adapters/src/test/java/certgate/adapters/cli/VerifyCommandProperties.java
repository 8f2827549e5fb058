package certgate.adapters.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.adapters.pem.PkiFileException;
import certgate.adapters.pem.PkiFiles;
import certgate.adapters.pem.PkiFiles.Kind;
import certgate.eventstore.Blob;
import certgate.testkit.Gens;
import certgate.testkit.Property;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.x509.Certificate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged input files through the whole command: never an internal error, never an acceptance unless what the
 * damaged file decodes to is exactly the original (damage only to PEM whitespace or surrounding text).
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class VerifyCommandProperties {
    private static final Map<String, byte[]> PKI = ExamplePkiGenerator.files();

    @TempDir
    static Path dir;

    static String issuing;
    static String issuingCrl;
    static String good;

    @BeforeAll
    static void writeThePki() throws IOException {
        issuing = write("issuing-ca.pem", PKI.get("issuing-ca.pem"));
        issuingCrl = write("issuing-ca.crl", PKI.get("issuing-ca.crl"));
        good = write("gw-good.pem", PKI.get("gw-good.pem"));
    }

    private static String write(String name, byte[] content) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, content);
        return file.toString();
    }

    private static String writeDamaged(byte[] content) {
        try {
            return write("damaged", content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What the file decodes to, or nothing when it does not decode at all. */
    private static List<Blob> decoded(byte[] content, Kind kind) {
        try {
            return PkiFiles.decode("damaged", content, kind);
        } catch (PkiFileException e) {
            return List.of();
        }
    }

    private static Certificate certificate(Blob der) {
        return Certificate.getInstance(der.bytes());
    }

    @Test
    void a_damaged_peer_certificate_is_rejected_unless_it_decodes_to_the_original() {
        List<Blob> original = decoded(PKI.get("gw-good.pem"), Kind.CERTIFICATE);
        Property.forAll(Gens.damaged(PKI.get("gw-good.pem"))).tries(60).check(damaged -> {
            Cli.Run run = Cli.run("verify", "--trust", issuing, "--crl", issuingCrl, "--peer", writeDamaged(damaged));
            assertTrue(run.status() == 0 || run.status() == 1, run.toString());
            if (run.status() == 0) {
                assertEquals(original, decoded(damaged, Kind.CERTIFICATE), "accepted a changed certificate");
            }
        });
    }

    /**
     * A locally stored CA certificate is trusted because it was loaded, not because of its own signature, so a
     * change elsewhere in it (its serial, say) may still accept; its name and key, which the path rests on, may not.
     */
    @Test
    void a_damaged_trust_anchor_is_refused_or_accepts_only_with_the_original_name_and_key() {
        Certificate original = certificate(decoded(PKI.get("issuing-ca.pem"), Kind.CERTIFICATE).get(0));
        Property.forAll(Gens.damaged(PKI.get("issuing-ca.pem"))).tries(60).check(damaged -> {
            String file = writeDamaged(damaged);
            Cli.Run run = Cli.run("verify", "--trust", file, "--crl", issuingCrl, "--peer", good);
            assertTrue(run.status() != 3, run.toString());
            if (run.status() == 2) {
                assertTrue(run.err().startsWith("certgate verify: --trust " + file + ": "), run.err());
                assertEquals(1, run.err().lines().count(), run.err());
            }
            if (run.status() == 0) {
                Certificate trusted = certificate(decoded(damaged, Kind.CERTIFICATE).get(0));
                assertEquals(original.getSubject(), trusted.getSubject(), "accepted under a changed CA name");
                assertEquals(original.getSubjectPublicKeyInfo(), trusted.getSubjectPublicKeyInfo(),
                        "accepted under a changed CA key");
            }
        });
    }

    @Test
    void a_damaged_crl_is_refused_or_never_lets_a_peer_through_unchecked() {
        List<Blob> original = decoded(PKI.get("issuing-ca.crl"), Kind.CRL);
        Property.forAll(Gens.damaged(PKI.get("issuing-ca.crl"))).tries(60).check(damaged -> {
            String file = writeDamaged(damaged);
            Cli.Run run = Cli.run("verify", "--trust", issuing, "--crl", file, "--peer", good);
            assertTrue(run.status() != 3, run.toString());
            if (run.status() == 2) {
                assertTrue(run.err().startsWith("certgate verify: --crl " + file + ": "), run.err());
                assertEquals(1, run.err().lines().count(), run.err());
            }
            if (run.status() == 0) {
                assertEquals(original, decoded(damaged, Kind.CRL), "accepted on a changed CRL");
            }
        });
    }
}
