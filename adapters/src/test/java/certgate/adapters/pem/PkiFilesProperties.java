package certgate.adapters.pem;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.adapters.pem.PkiFiles.Kind;
import certgate.eventstore.Blob;
import certgate.testkit.Gens;
import certgate.testkit.Property;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.ASN1InputStream;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.CertificateList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Damaged certificate and CRL files: reading one gives a typed error naming the file, or certificates that are
 * exactly what the file holds (one per BEGIN line, each a single well-formed object with nothing after it),
 * never another exception, a hang, or a silently dropped block.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class PkiFilesProperties {
    private static final String NAME = "damaged-input";
    private static final byte[] BUNDLE = concat(PkiFilesTest.ROOT_PEM, PkiFilesTest.ISSUING_PEM);

    @Test
    void a_damaged_pem_certificate_gives_a_typed_error_or_exactly_what_it_holds() {
        Property.forAll(Gens.damaged(PkiFilesTest.ROOT_PEM)).tries(300)
                .check(damaged -> readsCleanly(damaged, Kind.CERTIFICATE, List.of(PkiFilesTest.ROOT_DER)));
    }

    @Test
    void a_damaged_pem_bundle_never_loses_a_block_silently() {
        List<byte[]> originals = List.of(PkiFilesTest.ROOT_DER, PkiFilesTest.derOf(PkiFilesTest.ISSUING_PEM));
        Property.forAll(Gens.damaged(BUNDLE)).tries(300)
                .check(damaged -> readsCleanly(damaged, Kind.CERTIFICATE, originals));
    }

    @Test
    void a_damaged_der_certificate_gives_a_typed_error_or_the_whole_file() {
        Property.forAll(Gens.damaged(PkiFilesTest.ROOT_DER)).tries(300)
                .check(damaged -> readsCleanly(damaged, Kind.CERTIFICATE, List.of(PkiFilesTest.ROOT_DER)));
    }

    @Test
    void a_damaged_crl_in_pem_or_der_gives_a_typed_error_or_exactly_what_it_holds() {
        Property.forAll(Gens.damaged(PkiFilesTest.CRL_PEM))
                .check(damaged -> readsCleanly(damaged, Kind.CRL, List.of(PkiFilesTest.CRL_DER)));
        Property.forAll(Gens.damaged(PkiFilesTest.CRL_DER))
                .check(damaged -> readsCleanly(damaged, Kind.CRL, List.of(PkiFilesTest.CRL_DER)));
    }

    @Test
    void random_bytes_give_a_typed_error() {
        Property.forAll(Gens.bytes(0, 600)).tries(300).check(bytes -> {
            try {
                PkiFiles.parse(NAME, bytes, Kind.CERTIFICATE);
                throw new AssertionError("random bytes were read as a certificate");
            } catch (PkiFileException e) {
                assertNamesTheFile(e);
            }
        });
    }

    private static void readsCleanly(byte[] damaged, Kind kind, List<byte[]> originals) {
        List<Blob> objects;
        try {
            objects = PkiFiles.parse(NAME, damaged, kind);
        } catch (PkiFileException e) {
            assertNamesTheFile(e);
            return;
        }
        if ((damaged[0] & 0xff) == 0x30) {
            assertEquals(1, objects.size(), "a DER file is one object");
            assertArrayEquals(damaged, objects.get(0).bytes(), "a DER file is read whole, never a prefix");
        } else {
            assertEquals(count(damaged, "-----BEGIN "), objects.size(), "one object per BEGIN line");
        }
        for (Blob object : objects) {
            assertSingleWellFormedObject(object.bytes(), kind);
        }
        if (objects.size() == originals.size()) {
            boolean same = true;
            for (int i = 0; i < originals.size(); i++) {
                same &= Arrays.equals(originals.get(i), objects.get(i).bytes());
            }
            // Content that changed but still parses is the engine's to reject (its signature no longer verifies).
            assertTrue(same || differsInsideTheObjects(objects, originals));
        }
    }

    private static boolean differsInsideTheObjects(List<Blob> objects, List<byte[]> originals) {
        for (int i = 0; i < originals.size(); i++) {
            if (!Arrays.equals(originals.get(i), objects.get(i).bytes())) {
                return true;
            }
        }
        return false;
    }

    /** An independent reading with BouncyCastle: one object, nothing after it, of the right type. */
    private static void assertSingleWellFormedObject(byte[] der, Kind kind) {
        try (ASN1InputStream in = new ASN1InputStream(new ByteArrayInputStream(der), der.length)) {
            ASN1Primitive object = in.readObject();
            assertNotNull(object);
            assertEquals(-1, in.read(), "bytes after the object");
            if (kind == Kind.CERTIFICATE) {
                Certificate.getInstance(object).getTBSCertificate().getSubject();
            } else {
                CertificateList.getInstance(object).getThisUpdate();
            }
        } catch (IOException e) {
            throw new AssertionError("accepted an object BouncyCastle cannot read: " + e, e);
        }
    }

    private static void assertNamesTheFile(PkiFileException e) {
        assertEquals(NAME, e.file());
        assertNotNull(e.problem());
        assertTrue(e.getMessage().startsWith(NAME + ": "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    private static int count(byte[] content, String needle) {
        String text = new String(content, StandardCharsets.ISO_8859_1);
        int count = 0;
        for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
            count++;
        }
        return count;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
