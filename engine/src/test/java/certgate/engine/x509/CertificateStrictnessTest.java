package certgate.engine.x509;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.der.DerCursor;
import certgate.engine.testpki.KeyType;
import certgate.engine.testpki.TestPki;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The DER rules the certificate reader enforces, one example each: a valid certificate with exactly one element
 * changed by hand. BouncyCastle either refused these when it parsed or re-encoded them differently, which the
 * old whole-certificate re-encode check turned into a refusal; the reader refuses them explicitly, and so does
 * the oracle that keeps the old reading ({@link CertificateOracle}).
 */
class CertificateStrictnessTest {
    private static final TestPki ROOT = TestPki.root("CN=Strict Root");
    private static final TestPki RSA_ROOT = TestPki.root(TestPki.spec("CN=Strict RSA").keyType(KeyType.RSA_2048));
    private static final DerTree LEAF = DerTree.parse(ROOT.leaf("CN=gw1, O=Corp", TestPki.dns("gw1.example")).der());
    private static final DerTree RSA_LEAF = DerTree.parse(RSA_ROOT.leaf("CN=gw2", TestPki.dns("gw2.example")).der());
    private static final DerTree CA = DerTree.parse(ROOT.intermediate(TestPki.spec("CN=Strict Sub").pathLen(1))
            .certificate().der());
    private static final DerTree MULTI_VALUED = DerTree.parse(ROOT.leaf("CN=gw3+UID=a, O=Corp",
            TestPki.dns("gw3.example")).der());

    // Paths in the tree: Certificate [tbs, signatureAlgorithm, signatureValue]; tbs [version, serial, signature,
    // issuer, validity, subject, subjectPublicKeyInfo, [3] extensions].
    private static final int TBS = 0;
    private static final int SERIAL = 1;
    private static final int SIGNATURE = 2;
    private static final int VALIDITY = 4;
    private static final int SUBJECT = 5;
    private static final int SPKI = 6;
    private static final int EXTENSIONS = 7;

    private static final String KEY_USAGE = "551d0f";
    private static final String SUBJECT_KEY_ID = "551d0e";
    private static final String BASIC_CONSTRAINTS = "551d13";
    private static final String SUBJECT_ALT_NAME = "551d11";

    @Test
    void the_unchanged_certificates_are_read_as_the_oracle_reads_them() throws Exception {
        for (DerTree tree : List.of(LEAF, RSA_LEAF, CA, MULTI_VALUED)) {
            byte[] der = tree.encode();
            assertEquals(CertificateOracle.read(der), CertificateFields.of(ParsedCertificate.parse(der)));
        }
    }

    @Test
    void a_boolean_other_than_00_or_ff_is_refused() {
        refused(LEAF.with(DerTree.primitive(0x01, "01"), extension(LEAF, KEY_USAGE, 1)), "BOOLEAN 0x01");
        refused(CA.with(DerTree.wrapping(DerTree.constructed(0x30, DerTree.primitive(0x01, "7f"),
                DerTree.primitive(0x02, "01"))), extension(CA, BASIC_CONSTRAINTS, 2)), "BOOLEAN 0x7f");
    }

    @Test
    void critical_false_encoded_is_refused_because_der_omits_a_default_value() {
        int[] ski = extension(LEAF, SUBJECT_KEY_ID);
        refused(LEAF.inserting(DerTree.primitive(0x01, "00"), 1, ski), "critical FALSE");
    }

    @Test
    void ca_false_encoded_in_basic_constraints_is_refused() {
        refused(CA.with(DerTree.wrapping(DerTree.constructed(0x30, DerTree.primitive(0x01, "00"))),
                extension(CA, BASIC_CONSTRAINTS, 2)), "cA FALSE");
    }

    @Test
    void an_explicit_v1_version_is_accepted_as_before_since_bouncycastle_kept_it() throws Exception {
        DerTree v1 = LEAF.removing(EXTENSIONS, TBS).with(DerTree.constructed(0xa0, DerTree.primitive(0x02, "00")),
                TBS, 0);
        byte[] der = v1.encode();
        assertEquals(1, ParsedCertificate.parse(der).version());
        assertEquals(CertificateOracle.read(der), CertificateFields.of(ParsedCertificate.parse(der)));
    }

    @Test
    void a_version_tagged_other_than_0_is_refused() {
        refused(LEAF.with(DerTree.constructed(0xb0, DerTree.primitive(0x02, "02")), TBS, 0), "serialNumber");
    }

    @Test
    void an_integer_with_a_redundant_leading_octet_is_refused() {
        String serial = HexFormat.of().formatHex(LEAF.at(TBS, SERIAL).content());
        refused(LEAF.with(DerTree.primitive(0x02, "00" + serial), TBS, SERIAL), "redundant leading octet");
        refused(LEAF.with(DerTree.primitive(0x02, "ff80"), TBS, SERIAL), "redundant leading octet");
        refused(LEAF.with(DerTree.primitive(0x02, ""), TBS, SERIAL), "empty INTEGER");
        refused(LEAF.with(DerTree.constructed(0xa0, DerTree.primitive(0x02, "0002")), TBS, 0),
                "redundant leading octet");
        refused(CA.with(DerTree.wrapping(DerTree.constructed(0x30, DerTree.primitive(0x01, "ff"),
                DerTree.primitive(0x02, "0001"))), extension(CA, BASIC_CONSTRAINTS, 2)), "redundant leading octet");
    }

    @Test
    void a_bit_string_with_more_than_7_unused_bits_is_refused() {
        refused(LEAF.with(bitString(LEAF.at(2).content(), 8, false), 2), "8 unused bits");
    }

    @Test
    void an_empty_bit_string_with_unused_bits_is_refused() {
        refused(LEAF.with(DerTree.primitive(0x03, "03"), 2), "empty BIT STRING with 3 unused bits");
        refused(LEAF.with(DerTree.primitive(0x03, ""), 2), "without its unused-bits octet");
    }

    @Test
    void a_bit_string_whose_unused_bits_are_not_zero_is_refused() {
        refused(LEAF.with(bitString(LEAF.at(2).content(), 1, true), 2), "unused bits are not zero");
        refused(LEAF.with(bitString(LEAF.at(TBS, SPKI, 1).content(), 2, true), TBS, SPKI, 1),
                "unused bits are not zero");
        refused(LEAF.with(DerTree.wrapping(DerTree.primitive(0x03, "0781")), extension(LEAF, KEY_USAGE, 2)),
                "unused bits are not zero");
        refused(LEAF.inserting(DerTree.primitive(0x81, "0101"), EXTENSIONS, TBS), "unused bits are not zero");
    }

    @Test
    void unused_bits_that_are_zero_in_the_signature_make_a_signature_problem_not_a_refusal() throws Exception {
        byte[] der = LEAF.with(bitString(LEAF.at(2).content(), 1, false), 2).encode();
        assertTrue(ParsedCertificate.parse(der).signatureProblem().isPresent());
        assertEquals(CertificateOracle.read(der), CertificateFields.of(ParsedCertificate.parse(der)));
    }

    @Test
    void an_oid_with_a_0x80_leading_sub_identifier_octet_is_refused() {
        String algorithm = HexFormat.of().formatHex(LEAF.at(1, 0).content());
        refused(LEAF.with(DerTree.primitive(0x06, "2a80" + algorithm.substring(2)), 1, 0), "starts with 0x80");
        refused(LEAF.with(DerTree.primitive(0x06, "55801d0f"), extension(LEAF, KEY_USAGE, 0)), "starts with 0x80");
        refused(LEAF.with(DerTree.primitive(0x06, "55800403"), TBS, SUBJECT, 0, 0, 0), "starts with 0x80");
        refused(LEAF.with(DerTree.primitive(0x06, "2a86"), 1, 0), "ends inside a sub-identifier");
    }

    @Test
    void a_null_with_content_is_refused() {
        refused(RSA_LEAF.with(DerTree.primitive(0x05, "00"), 1, 1), "NULL with content");
        refused(RSA_LEAF.with(DerTree.primitive(0x05, "00"), TBS, SPKI, 0, 1), "NULL with content");
    }

    @Test
    void a_multi_valued_rdn_not_in_der_order_is_refused() {
        DerTree rdn = MULTI_VALUED.at(TBS, SUBJECT, 1);
        assertEquals(2, rdn.children().size());
        List<DerTree> reversed = new ArrayList<>(rdn.children());
        Collections.reverse(reversed);
        refused(MULTI_VALUED.with(rdn.withChildren(reversed), TBS, SUBJECT, 1), "not in DER order");
        // The same in a subjectAltName directoryName, inside an extension value.
        DerTree san = DerTree.constructed(0x30, DerTree.constructed(0xa4, MULTI_VALUED.at(TBS, SUBJECT)
                .with(rdn.withChildren(reversed), 1)));
        refused(LEAF.with(DerTree.wrapping(san), extension(LEAF, SUBJECT_ALT_NAME, 1)), "not in DER order");
    }

    @Test
    void times_not_in_the_rfc_5280_forms_are_refused() {
        refused(time(0x17, "2001010000Z"), "not in the form YYMMDDHHMMSSZ");
        refused(time(0x17, "200101000000+0000"), "not in the form YYMMDDHHMMSSZ");
        refused(time(0x17, "200101000000"), "not in the form YYMMDDHHMMSSZ");
        refused(time(0x18, "20200101000000.5Z"), "not in the form YYYYMMDDHHMMSSZ");
        refused(time(0x18, "202001010000Z"), "not in the form YYYYMMDDHHMMSSZ");
        refused(time(0x17, "2A0101000000Z"), "non-digit");
        refused(time(0x17, "200230000000Z"), "not a valid date and time");
        refused(time(0x17, "200101240000Z"), "not a valid date and time");
        refused(LEAF.with(DerTree.primitive(0x13, "3230303130313030303030305a"), TBS, VALIDITY, 0),
                "neither UTCTime nor GeneralizedTime");
    }

    @Test
    void a_value_handed_to_bouncycastle_must_be_its_canonical_encoding() {
        // certificatePolicies is not interpreted, but read: a BOOLEAN 0x01 inside it is not DER.
        DerTree policies = DerTree.constructed(0x30, DerTree.primitive(0x06, "551d20"), DerTree.wrapping(
                DerTree.constructed(0x30, DerTree.constructed(0x30, DerTree.primitive(0x06, "2a03"),
                        DerTree.constructed(0x30, DerTree.constructed(0x30, DerTree.primitive(0x06, "2a04"),
                                DerTree.primitive(0x01, "01")))))));
        refused(LEAF.inserting(policies, 0, TBS, EXTENSIONS, 0), "not in its canonical DER encoding");
        // An attribute value that is no string goes to BouncyCastle too.
        refused(LEAF.with(DerTree.constructed(0x30, DerTree.primitive(0x01, "01")), TBS, SUBJECT, 0, 0, 1),
                "canonical DER encoding");
    }

    @Test
    void a_string_that_is_invalid_for_its_type_makes_the_certificate_unreadable() {
        refused(LEAF.with(DerTree.primitive(0x0c, "c328"), TBS, SUBJECT, 0, 0, 1), "not valid UTF-8");
        refused(LEAF.with(DerTree.primitive(0x1e, "006700"), TBS, SUBJECT, 0, 0, 1), "odd number of octets");
    }

    @Test
    void structure_errors_are_refused_with_what_and_where() {
        refused(LEAF.inserting(DerTree.primitive(0x05, ""), 3), "Certificate has an unexpected element");
        refused(LEAF.inserting(LEAF.at(TBS, EXTENSIONS, 0, 0), 0, TBS, EXTENSIONS, 0), "appears twice");
        refused(LEAF.with(DerTree.constructed(0x30), TBS, EXTENSIONS, 0), "present but empty");
        refused(LEAF.with(DerTree.constructed(0x30), TBS, 3), "issuer name is empty");
        refused(LEAF.inserting(DerTree.primitive(0x81, "0001"), EXTENSIONS + 1, TBS), "out of order");
        refused(LEAF.inserting(DerTree.constructed(0x31), 0, TBS, SUBJECT), "RDN without attributes");
    }

    @Test
    void parts_handed_to_bouncycastle_are_held_to_the_nesting_bound_of_the_whole_certificate() throws Exception {
        // An attribute value sits 5 levels down (Certificate, tbs, Name, RDN, attribute); constructed elements
        // are allowed up to depth DerCursor.MAX_DEPTH - 1, so 27 nested SEQUENCEs fit and 28 do not.
        int fits = DerCursor.MAX_DEPTH - 5;
        byte[] deepest = LEAF.with(nested(fits), TBS, SUBJECT, 0, 0, 1).encode();
        assertEquals(CertificateOracle.read(deepest), CertificateFields.of(ParsedCertificate.parse(deepest)));
        refused(LEAF.with(nested(fits + 1), TBS, SUBJECT, 0, 0, 1), "nested deeper than");
    }

    private static DerTree nested(int levels) {
        DerTree tree = DerTree.primitive(0x05, "");
        for (int i = 0; i < levels; i++) {
            tree = DerTree.constructed(0x30, tree);
        }
        return tree;
    }

    @Test
    void a_refusal_names_the_field_and_the_byte_offset() {
        byte[] der = LEAF.with(DerTree.primitive(0x02, "00" + HexFormat.of().formatHex(LEAF.at(TBS, SERIAL)
                .content())), TBS, SERIAL).encode();
        CertificateFormatException e = assertThrows(CertificateFormatException.class,
                () -> ParsedCertificate.parse(der));
        assertTrue(e.getMessage().startsWith("serialNumber: "), e.getMessage());
        assertTrue(e.getMessage().contains("(at byte offset 13)"), e.getMessage());
    }

    private static DerTree time(int tag, String text) {
        return LEAF.with(DerTree.primitive(tag, text.getBytes(java.nio.charset.StandardCharsets.US_ASCII)), TBS,
                VALIDITY, 0);
    }

    /** A BIT STRING with the octets of {@code content} (after its unused-bits octet) and {@code unused} bits. */
    private static DerTree bitString(byte[] content, int unused, boolean setPadding) {
        byte[] changed = content.clone();
        changed[0] = (byte) unused;
        if (unused <= 7) {
            int mask = (1 << unused) - 1;
            changed[changed.length - 1] = (byte) (setPadding ? changed[changed.length - 1] | 1
                    : changed[changed.length - 1] & ~mask);
        }
        return DerTree.primitive(0x03, changed);
    }

    /** The path of the extension with OID content {@code oidHex}, then {@code inner} within it. */
    private static int[] extension(DerTree certificate, String oidHex, int... inner) {
        List<DerTree> extensions = certificate.at(TBS, EXTENSIONS, 0).children();
        for (int i = 0; i < extensions.size(); i++) {
            if (HexFormat.of().formatHex(extensions.get(i).at(0).content()).equals(oidHex)) {
                int[] path = new int[4 + inner.length];
                path[0] = TBS;
                path[1] = EXTENSIONS;
                path[2] = 0;
                path[3] = i;
                System.arraycopy(inner, 0, path, 4, inner.length);
                return path;
            }
        }
        throw new IllegalArgumentException("no extension " + oidHex);
    }

    private static void refused(DerTree tree, String reason) {
        byte[] der = tree.encode();
        CertificateFormatException e = assertThrows(CertificateFormatException.class,
                () -> ParsedCertificate.parse(der));
        assertTrue(e.getMessage().contains(reason), () -> "expected '" + reason + "' in: " + e.getMessage());
        assertThrows(CertificateFormatException.class, () -> CertificateOracle.read(der), "the oracle refuses too");
        assertFalse(e.getMessage().isBlank());
    }
}
