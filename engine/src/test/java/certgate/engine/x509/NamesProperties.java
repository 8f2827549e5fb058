package certgate.engine.x509;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import certgate.der.Der;
import certgate.testkit.Gen;
import certgate.testkit.Gens;
import certgate.testkit.Property;
import java.io.IOException;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.x500.X500Name;
import org.junit.jupiter.api.Test;

/**
 * Names read from their bytes agree with the conversion through BouncyCastle's {@code X500Name} and
 * {@code ASN1String.getString} that certgate used before ({@link CertificateOracle#name}): same text, same DN
 * model, same comparison keys, and the same values refused (UTF-8 that is not, odd BMPStrings, empty RDNs).
 */
class NamesProperties {
    /** The directory string tags, each with raw random content: decoding must match BouncyCastle's octet for octet. */
    private static final int[] STRING_TAGS = {0x0c, 0x12, 0x13, 0x14, 0x15, 0x16, 0x19, 0x1a, 0x1b, 0x1c, 0x1e};

    @Test
    void random_names_read_from_bytes_equal_their_bouncycastle_conversion() {
        Property.forAll(random -> RandomCertificates.name(random, true)).tries(500).check(x500 -> {
            byte[] der = encoded(x500);
            agree(der);
            assertEquals(CertificateOracle.name(x500), CertificateFields.NameFields.of(Names.of(x500)));
        });
    }

    @Test
    void every_string_type_decodes_random_octets_as_bouncycastle_does_or_both_refuse() {
        Gen<byte[]> names = random -> {
            int tag = STRING_TAGS[random.nextInt(STRING_TAGS.length)];
            byte[] content = utf8ish(random);
            byte[] value = new byte[content.length + 2];
            value[0] = (byte) tag;
            value[1] = (byte) content.length;
            System.arraycopy(content, 0, value, 2, content.length);
            return DerTree.constructed(0x30, DerTree.constructed(0x31, DerTree.constructed(0x30,
                    DerTree.primitive(0x06, "550403"), DerTree.parse(value)))).encode();
        };
        Property.forAll(names).tries(3000).check(NamesProperties::agree);
    }

    @Test
    void damaged_names_are_refused_with_a_typed_error_or_read_as_bouncycastle_reads_them() {
        SplittableRandom seeds = new SplittableRandom(7);
        byte[] valid = encoded(RandomCertificates.name(seeds, false));
        Property.forAll(Gens.damaged(valid)).tries(1000).check(NamesProperties::agree);
    }

    /** Both read {@code der} as a Name alike, or both refuse it. */
    private static void agree(byte[] der) {
        CertificateFields.NameFields expected = null;
        String oracleRefusal = null;
        try {
            if (Der.problem(der).isPresent()) {
                throw new IllegalArgumentException("not DER: " + Der.problem(der).get());
            }
            ASN1Primitive primitive = ASN1Primitive.fromByteArray(der);
            if (!java.util.Arrays.equals(primitive.getEncoded(ASN1Encoding.DER), der)) {
                throw new IllegalArgumentException("not canonical");
            }
            expected = CertificateOracle.name(X500Name.getInstance(primitive));
        } catch (IOException | RuntimeException e) {
            oracleRefusal = String.valueOf(e.getMessage());
        }
        CertificateFields.NameFields actual = null;
        String refusal = null;
        try {
            actual = CertificateFields.NameFields.of(Names.read(der, 0, der.length, 0, "name"));
        } catch (CertificateFormatException e) {
            refusal = e.getMessage();
        }
        String input = HexFormat.of().formatHex(der);
        if ((oracleRefusal == null) != (refusal == null)) {
            fail("BouncyCastle: " + (oracleRefusal == null ? "reads it" : "refuses: " + oracleRefusal)
                    + "\nreader: " + (refusal == null ? "reads it" : "refuses: " + refusal) + "\ninput " + input);
        }
        assertEquals(expected, actual, () -> "input " + input);
    }

    /** Content octets that are often almost UTF-8: ASCII, lead and continuation octets, anything. */
    private static byte[] utf8ish(SplittableRandom random) {
        byte[] out = new byte[random.nextInt(9)];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) switch (random.nextInt(6)) {
                case 0 -> random.nextInt(0x80);
                case 1 -> 0x80 + random.nextInt(0x40);
                case 2 -> 0xc0 + random.nextInt(0x20);
                case 3 -> 0xe0 + random.nextInt(0x10);
                case 4 -> 0xf0 + random.nextInt(0x10);
                default -> random.nextInt(256);
            };
        }
        return out;
    }

    private static byte[] encoded(X500Name name) {
        try {
            return name.getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
