package certgate.engine.revocation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import certgate.engine.conformance.SharedFiles;
import certgate.engine.revocation.CrlFixture.CrlSpec;
import certgate.engine.revocation.CrlFixture.EntrySpec;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.bouncycastle.asn1.ASN1Boolean;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

class CrlIndexTest {
    private static final Instant THIS_UPDATE = Instant.parse("2024-03-01T12:00:00Z");
    private static final Instant REVOKED_AT = Instant.parse("2024-02-10T08:30:15Z");

    @Test
    void entries_built_by_bouncycastle_are_found_with_their_date_and_reason() throws Exception {
        KeyPair key = ecKey();
        X509v2CRLBuilder builder = new X509v2CRLBuilder(new X500Name("CN=Issuing CA, O=Corp, C=US"),
                Date.from(THIS_UPDATE));
        builder.setNextUpdate(Date.from(THIS_UPDATE.plusSeconds(7 * 86_400)));
        builder.addCRLEntry(BigInteger.valueOf(0x1234), Date.from(REVOKED_AT), CRLReason.keyCompromise);
        builder.addCRLEntry(new BigInteger("00ff00ff00ff00ff00ff00ff00ff00ff", 16), Date.from(REVOKED_AT),
                CRLReason.cACompromise);
        builder.addCRLEntry(BigInteger.valueOf(7), Date.from(REVOKED_AT.plusSeconds(1)), CRLReason.superseded);
        builder.addExtension(Extension.cRLNumber, false, new ASN1Integer(42));
        byte[] der = builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate()))
                .getEncoded();

        CrlIndex index = CrlIndex.parse(der);

        assertEquals(new X500Name("CN=Issuing CA, O=Corp, C=US"), index.issuer());
        assertEquals(THIS_UPDATE, index.thisUpdate());
        assertEquals(Optional.of(THIS_UPDATE.plusSeconds(7 * 86_400)), index.nextUpdate());
        assertEquals(2, index.version());
        assertEquals(3, index.size());
        assertEquals(List.of(new RevokedEntry(BigInteger.valueOf(0x1234), REVOKED_AT,
                Optional.of(CRLReason.keyCompromise), Optional.empty())), index.entriesFor(BigInteger.valueOf(0x1234)));
        assertEquals(Optional.of(CRLReason.superseded),
                index.entriesFor(BigInteger.valueOf(7)).get(0).reasonCode());
        assertEquals(REVOKED_AT.plusSeconds(1), index.entriesFor(BigInteger.valueOf(7)).get(0).revocationDate());
        assertEquals(Optional.of(CRLReason.cACompromise),
                index.entriesFor(new BigInteger("ff00ff00ff00ff00ff00ff00ff00ff", 16)).get(0).reasonCode());
        assertEquals(BigInteger.valueOf(42),
                ASN1Integer.getInstance(index.extensions().getExtensionParsedValue(Extension.cRLNumber)).getValue());
        CrlReference.of(der).assertAgrees(index);
    }

    @Test
    void serials_not_listed_are_not_found() throws Exception {
        CrlIndex index = CrlIndex.parse(CrlFixture.encode(CrlSpec.v2("CN=CA", THIS_UPDATE, List.of(
                EntrySpec.of(BigInteger.valueOf(1000), REVOKED_AT),
                EntrySpec.of(new BigInteger("0123456789abcdef0123", 16), REVOKED_AT)))));

        for (BigInteger absent : List.of(BigInteger.ZERO, BigInteger.valueOf(999), BigInteger.valueOf(1001),
                BigInteger.valueOf(-1000), BigInteger.valueOf(1000).shiftLeft(64),
                new BigInteger("0123456789abcdef0124", 16), new BigInteger("0123456789abcdef01", 16))) {
            assertEquals(List.of(), index.entriesFor(absent), "serial " + absent.toString(16));
        }
        assertEquals(1, index.entriesFor(BigInteger.valueOf(1000)).size());
        assertEquals(1, index.entriesFor(new BigInteger("0123456789abcdef0123", 16)).size());
    }

    @Test
    void serials_of_every_length_sign_and_leading_byte_are_found() throws Exception {
        List<EntrySpec> entries = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(7);
        for (int length = 1; length <= 20; length++) {
            byte[] bytes = new byte[length];
            random.nextBytes(bytes);
            bytes[0] = (byte) 0x80; // top bit set: positive needs a leading 0x00, negative does not
            entries.add(EntrySpec.of(new BigInteger(1, bytes), REVOKED_AT));
            entries.add(EntrySpec.of(new BigInteger(bytes), REVOKED_AT.plusSeconds(length)));
            bytes[0] = 0x01;
            entries.add(EntrySpec.of(new BigInteger(bytes), REVOKED_AT.plusSeconds(100 + length)));
        }
        entries.add(EntrySpec.of(BigInteger.ZERO, REVOKED_AT));
        byte[] der = CrlFixture.encode(CrlSpec.v2("CN=CA", THIS_UPDATE, entries));

        CrlIndex index = CrlIndex.parse(der);

        assertEquals(entries.size(), index.size());
        for (EntrySpec entry : entries) {
            assertEquals(List.of(new RevokedEntry(entry.serial(), entry.date(), Optional.empty(), Optional.empty())),
                    index.entriesFor(entry.serial()), "serial " + entry.serial().toString(16));
        }
        CrlReference.of(der).assertAgrees(index);
    }

    @Test
    void entries_need_not_be_sorted_and_duplicates_are_kept_in_crl_order() throws Exception {
        List<EntrySpec> entries = new ArrayList<>();
        for (int i = 500; i > 0; i--) {
            entries.add(EntrySpec.of(BigInteger.valueOf(i * 7919L).shiftLeft(80), REVOKED_AT.plusSeconds(i)));
        }
        entries.add(EntrySpec.of(BigInteger.valueOf(7919L).shiftLeft(80), REVOKED_AT).withReason(1));
        byte[] der = CrlFixture.encode(CrlSpec.v2("CN=CA", THIS_UPDATE, entries));

        CrlIndex index = CrlIndex.parse(der);

        assertEquals(501, index.size());
        List<RevokedEntry> twice = index.entriesFor(BigInteger.valueOf(7919L).shiftLeft(80));
        assertEquals(2, twice.size());
        assertEquals(REVOKED_AT.plusSeconds(1), twice.get(0).revocationDate());
        assertEquals(Optional.of(1), twice.get(1).reasonCode());
        CrlReference.of(der).assertAgrees(index);
    }

    @Test
    void serials_alike_in_their_first_bytes_are_told_apart() throws Exception {
        BigInteger prefix = new BigInteger("7f0102030405060708090a0b", 16).shiftLeft(16);
        List<EntrySpec> entries = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            int counter = (i * 37) % 300; // not in order
            entries.add(EntrySpec.of(prefix.add(BigInteger.valueOf(counter)), REVOKED_AT.plusSeconds(counter)));
        }
        byte[] der = CrlFixture.encode(CrlSpec.v2("CN=CA", THIS_UPDATE, entries));

        CrlIndex index = CrlIndex.parse(der);

        for (int counter = 0; counter < 300; counter++) {
            List<RevokedEntry> found = index.entriesFor(prefix.add(BigInteger.valueOf(counter)));
            assertEquals(1, found.size(), "counter " + counter);
            assertEquals(REVOKED_AT.plusSeconds(counter), found.get(0).revocationDate());
        }
        assertEquals(List.of(), index.entriesFor(prefix.add(BigInteger.valueOf(300))));
        CrlReference.of(der).assertAgrees(index);
    }

    @Test
    void indirect_crl_entries_carry_the_last_certificate_issuer_forward() throws Exception {
        GeneralNames other = new GeneralNames(new GeneralName(new X500Name("CN=Other CA, O=Corp")));
        GeneralNames third = new GeneralNames(new GeneralName(GeneralName.dNSName, "ca3.example.net"));
        byte[] der = CrlFixture.encode(CrlSpec.v2("CN=CRL Issuer", THIS_UPDATE, List.of(
                EntrySpec.of(BigInteger.valueOf(1), REVOKED_AT),
                EntrySpec.of(BigInteger.valueOf(2), REVOKED_AT).withIssuer(other),
                EntrySpec.of(BigInteger.valueOf(3), REVOKED_AT),
                EntrySpec.of(BigInteger.valueOf(1), REVOKED_AT).withIssuer(third).withReason(4),
                EntrySpec.of(BigInteger.valueOf(5), REVOKED_AT))));

        CrlIndex index = CrlIndex.parse(der);

        assertEquals(Optional.empty(), index.entriesFor(BigInteger.ONE).get(0).certificateIssuer());
        assertEquals(Optional.of(third), index.entriesFor(BigInteger.ONE).get(1).certificateIssuer());
        assertEquals(Optional.of(other), index.entriesFor(BigInteger.TWO).get(0).certificateIssuer());
        assertEquals(Optional.of(other), index.entriesFor(BigInteger.valueOf(3)).get(0).certificateIssuer());
        assertEquals(Optional.of(third), index.entriesFor(BigInteger.valueOf(5)).get(0).certificateIssuer());
        assertFalse(index.hasUnrecognizedCriticalEntryExtension(), "certificateIssuer is recognized");
        CrlReference.of(der).assertAgrees(index);
    }

    @Test
    void utc_and_generalized_times_are_read_with_the_rfc_5280_century_rule() throws Exception {
        Instant in1950 = Instant.parse("1950-01-01T00:00:00Z");
        Instant in2049 = Instant.parse("2049-12-31T23:59:59Z");
        Instant in2050 = Instant.parse("2050-01-01T00:00:00Z");
        Instant leapDay = Instant.parse("2024-02-29T23:59:59Z");
        byte[] der = CrlFixture.encode(new CrlSpec(2, new X500Name("CN=CA"), in1950, Optional.of(in2050), false,
                List.of(EntrySpec.of(BigInteger.ONE, in2049),
                        EntrySpec.of(BigInteger.TWO, leapDay).withGeneralizedTime(),
                        EntrySpec.of(BigInteger.TEN, Instant.parse("9999-12-31T23:59:59Z"))), List.of()));
        assertTrue(contains(der, "500101000000Z"), "thisUpdate is a UTCTime");
        assertTrue(contains(der, "20500101000000Z"), "nextUpdate is a GeneralizedTime");

        CrlIndex index = CrlIndex.parse(der);

        assertEquals(in1950, index.thisUpdate());
        assertEquals(Optional.of(in2050), index.nextUpdate());
        assertEquals(in2049, index.entriesFor(BigInteger.ONE).get(0).revocationDate());
        assertEquals(leapDay, index.entriesFor(BigInteger.TWO).get(0).revocationDate());
        assertEquals(Instant.parse("9999-12-31T23:59:59Z"), index.entriesFor(BigInteger.TEN).get(0).revocationDate());
        CrlReference.of(der).assertAgrees(index);
    }

    @Test
    void a_crl_without_revoked_certificates_is_empty() throws Exception {
        byte[] der = CrlFixture.encode(CrlSpec.v2("CN=CA", THIS_UPDATE, List.of()));
        CrlIndex index = CrlIndex.parse(der);
        assertEquals(0, index.size());
        assertEquals(List.of(), index.entriesFor(BigInteger.ONE));
        assertEquals(0, index.extensions().getExtensionOIDs().length);
        CrlReference.of(der).assertAgrees(index);
    }

    @Test
    void a_v1_crl_has_version_1_and_no_extensions() throws Exception {
        byte[] der = CrlFixture.encode(new CrlSpec(1, new X500Name("CN=Old CA"), THIS_UPDATE, Optional.empty(),
                false, List.of(EntrySpec.of(BigInteger.valueOf(99), REVOKED_AT)), List.of()));
        CrlIndex index = CrlIndex.parse(der);
        assertEquals(1, index.version());
        assertEquals(Optional.empty(), index.nextUpdate());
        assertEquals(1, index.entriesFor(BigInteger.valueOf(99)).size());
        CrlReference.of(der).assertAgrees(index);
    }

    @Test
    void extensions_in_a_v1_crl_are_rejected() {
        CrlSpec v1 = new CrlSpec(1, new X500Name("CN=Old CA"), THIS_UPDATE, Optional.empty(), false,
                List.of(EntrySpec.of(BigInteger.valueOf(99), REVOKED_AT)), List.of());
        assertRejected(CrlFixture.encode(v1.withExtension(
                CrlFixture.extension(Extension.cRLNumber, false, new ASN1Integer(1)))), "v1 CRL");
        assertRejected(CrlFixture.encode(new CrlSpec(1, v1.issuer(), THIS_UPDATE, Optional.empty(), false,
                List.of(EntrySpec.of(BigInteger.ONE, REVOKED_AT).withReason(1)), List.of())), "v1 CRL");
    }

    @Test
    void versions_other_than_v1_and_v2_are_rejected() {
        for (int version : new int[] {0, 2, 3, -1}) {
            byte[] der = CrlFixture.sign(withTbsField(0, new ASN1Integer(version)));
            assertRejected(der, "version");
        }
    }

    @Test
    void unrecognized_critical_entry_extensions_are_flagged_and_known_ones_are_not() throws Exception {
        Extension privateCritical = CrlFixture.extension(new ASN1ObjectIdentifier("1.3.6.1.4.1.99999.1"), true,
                DERNull.INSTANCE);
        Extension privateNonCritical = CrlFixture.extension(new ASN1ObjectIdentifier("1.3.6.1.4.1.99999.2"), false,
                DERNull.INSTANCE);
        Extension invalidity = CrlFixture.extension(Extension.invalidityDate, true,
                CrlFixture.time(Instant.parse("2024-01-01T00:00:00Z"), true));
        Extension hold = CrlFixture.extension(Extension.instructionCode, true,
                new ASN1ObjectIdentifier("1.2.840.10040.2.2"));
        byte[] known = CrlFixture.encode(CrlSpec.v2("CN=CA", THIS_UPDATE, List.of(
                EntrySpec.of(BigInteger.ONE, REVOKED_AT).withExtension(invalidity).withExtension(hold)
                        .withExtension(privateNonCritical))));
        byte[] unknown = CrlFixture.encode(CrlSpec.v2("CN=CA", THIS_UPDATE, List.of(
                EntrySpec.of(BigInteger.ONE, REVOKED_AT), EntrySpec.of(BigInteger.TWO, REVOKED_AT)
                        .withExtension(privateCritical))));

        assertFalse(CrlIndex.parse(known).hasUnrecognizedCriticalEntryExtension());
        assertTrue(CrlIndex.parse(unknown).hasUnrecognizedCriticalEntryExtension());
        CrlReference.of(known).assertAgrees(CrlIndex.parse(known));
        CrlReference.of(unknown).assertAgrees(CrlIndex.parse(unknown));
    }

    @Test
    void tbs_cert_list_is_the_signed_bytes_and_read_only() throws Exception {
        KeyPair key = ecKey();
        X509v2CRLBuilder builder = new X509v2CRLBuilder(new X500Name("CN=CA"), Date.from(THIS_UPDATE));
        builder.addCRLEntry(BigInteger.TEN, Date.from(REVOKED_AT), CRLReason.keyCompromise);
        byte[] der = builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate()))
                .getEncoded();

        CrlIndex index = CrlIndex.parse(der);
        ByteBuffer tbs = index.tbsCertList();
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(key.getPublic());
        verifier.update(tbs);

        assertTrue(verifier.verify(index.signatureValue()));
        assertTrue(index.tbsCertList().isReadOnly());
        assertTrue(index.innerAndOuterAlgorithmsMatch());
        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(der), index.sha256());
        assertEquals(new JcaX509CRLConverter().getCRL(new org.bouncycastle.cert.X509CRLHolder(der)).getSigAlgOID(),
                index.signatureAlgorithm().getAlgorithm().getId());
    }

    @Test
    void a_different_inner_signature_algorithm_is_reported() throws Exception {
        ASN1Sequence tbs = withTbsField(1, new org.bouncycastle.asn1.x509.AlgorithmIdentifier(
                new ASN1ObjectIdentifier("1.2.840.113549.1.1.11"), DERNull.INSTANCE));
        CrlIndex index = CrlIndex.parse(CrlFixture.sign(tbs));
        assertFalse(index.innerAndOuterAlgorithmsMatch());
    }

    @Test
    void malformed_encodings_are_rejected_with_their_offset() throws Exception {
        byte[] der = CrlFixture.encode(CrlSpec.v2("CN=CA", THIS_UPDATE, List.of(
                EntrySpec.of(BigInteger.valueOf(77), REVOKED_AT).withReason(1))));

        CrlFormatException trailing = assertRejected(concat(der, new byte[] {0}), "trailing");
        assertEquals(der.length, trailing.offset());
        assertRejected(new byte[0], "empty");
        assertRejected(Arrays.copyOf(der, der.length - 1), "past the end");
        byte[] wrongTag = der.clone();
        wrongTag[0] = 0x31;
        assertRejected(wrongTag, "expected tag 0x30");
        assertRejected(indefinite(der), "indefinite");
        assertRejected(longFormLength(der), "not minimal");
    }

    @Test
    void non_der_extension_encodings_are_rejected() {
        // critical FALSE spelled out: DER omits a DEFAULT value
        ASN1EncodableVector extension = new ASN1EncodableVector();
        extension.add(Extension.reasonCode);
        extension.add(ASN1Boolean.FALSE);
        extension.add(new DEROctetString(encoded(CRLReason.lookup(1))));
        assertRejected(CrlFixture.sign(withEntryExtensions(new DERSequence(new DERSequence(extension)))),
                "critical must be absent or TRUE");
        // the same extension twice
        Extension reason = CrlFixture.extension(Extension.reasonCode, false, CRLReason.lookup(1));
        assertRejected(CrlFixture.sign(withEntryExtensions(new DERSequence(new ASN1Encodable[] {reason, reason}))),
                "twice");
        // reason 7 is not a CRLReason
        Extension seven = CrlFixture.extension(Extension.reasonCode, false,
                new org.bouncycastle.asn1.ASN1Enumerated(7));
        assertRejected(CrlFixture.sign(withEntryExtensions(new DERSequence(seven))), "reasonCode 7");
    }

    @Test
    void nesting_deeper_than_the_limit_is_rejected() {
        ASN1Encodable deep = new ASN1Integer(1);
        for (int i = 0; i < 40; i++) {
            deep = new DERSequence(deep);
        }
        ASN1Encodable deepName = new DERSequence(new org.bouncycastle.asn1.DERSet(
                new DERSequence(new ASN1Encodable[] {new ASN1ObjectIdentifier("2.5.4.3"), deep})));
        assertRejected(CrlFixture.sign(withTbsField(2, deepName)), "nested deeper");
    }

    @Test
    void an_empty_issuer_name_is_rejected() {
        assertRejected(CrlFixture.sign(withTbsField(2, new DERSequence())), "empty Name");
    }

    @Test
    void every_pkits_crl_parses_and_agrees_with_bouncycastle() throws Exception {
        Path crls = SharedFiles.conformance("pkits", CrlIndexTest.class).resolve("crls");
        List<Path> files;
        try (Stream<Path> listing = Files.list(crls)) {
            files = listing.filter(path -> path.toString().endsWith(".crl")).sorted().toList();
        }
        assertEquals(173, files.size(), "PKITS CRLs in " + crls);
        int entries = 0;
        for (Path file : files) {
            byte[] der = Files.readAllBytes(file);
            CrlIndex index;
            try {
                index = CrlIndex.parse(der);
            } catch (CrlFormatException e) {
                throw new AssertionError(file.getFileName() + ": " + e.getMessage(), e);
            }
            CrlReference.of(der).assertAgrees(index);
            entries += index.size();
        }
        assertEquals(40, entries, "revoked entries in all PKITS CRLs (openssl crl -text counts 40)");
    }

    @Test
    void a_large_crl_of_16_byte_serials_keeps_under_32_bytes_per_entry() throws Exception {
        int count = 50_000;
        SplittableRandom random = new SplittableRandom(11);
        ASN1EncodableVector entries = new ASN1EncodableVector();
        List<BigInteger> serials = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] bytes = new byte[16];
            random.nextBytes(bytes);
            BigInteger serial = new BigInteger(1, bytes);
            serials.add(serial);
            entries.add(new DERSequence(new ASN1Encodable[] {new ASN1Integer(serial),
                    CrlFixture.time(REVOKED_AT.minusSeconds(random.nextInt(100_000_000)), false),
                    new org.bouncycastle.asn1.x509.Extensions(
                            CrlFixture.extension(Extension.reasonCode, false, CRLReason.lookup(i % 6)))}));
        }
        ASN1Sequence template = CrlFixture.templateTbs();
        ASN1EncodableVector tbs = new ASN1EncodableVector();
        for (int i = 0; i < 5; i++) {
            tbs.add(template.getObjectAt(i));
        }
        tbs.add(new DERSequence(entries));
        CrlIndex index = CrlIndex.parse(CrlFixture.sign(new DERSequence(tbs)));

        assertEquals(count, index.size());
        assertTrue(index.retainedBytes() <= 32L * count,
                "retained " + index.retainedBytes() / (double) count + " bytes per entry");
        for (int i = 0; i < count; i++) {
            List<RevokedEntry> found = index.entriesFor(serials.get(i));
            assertEquals(1, found.size(), "serial " + serials.get(i).toString(16));
            assertEquals(Optional.of(i % 6), found.get(0).reasonCode());
            if (i % 97 == 0) {
                assertEquals(List.of(), index.entriesFor(serials.get(i).add(BigInteger.ONE)));
            }
        }
    }

    // --- helpers -------------------------------------------------------------------------------------------

    static CrlFormatException assertRejected(byte[] der, String messagePart) {
        CrlFormatException error = assertThrows(CrlFormatException.class, () -> CrlIndex.parse(der));
        assertTrue(error.getMessage().contains(messagePart),
                "message '" + error.getMessage() + "' should mention '" + messagePart + "'");
        assertTrue(error.getMessage().contains("byte offset"), error.getMessage());
        return error;
    }

    /** A valid v2 TBSCertList with field {@code index} (0 version, 1 signature, 2 issuer ...) replaced. */
    private static ASN1Sequence withTbsField(int index, ASN1Encodable replacement) {
        ASN1Sequence template = CrlFixture.templateTbs();
        ASN1EncodableVector fields = new ASN1EncodableVector();
        for (int i = 0; i < template.size(); i++) {
            fields.add(i == index ? replacement : template.getObjectAt(i));
        }
        return new DERSequence(fields);
    }

    private static ASN1Sequence withEntryExtensions(ASN1Encodable extensions) {
        DERSequence entry = new DERSequence(new ASN1Encodable[] {new ASN1Integer(5),
                CrlFixture.time(REVOKED_AT, false), extensions});
        ASN1Sequence template = CrlFixture.templateTbs();
        ASN1EncodableVector fields = new ASN1EncodableVector();
        for (int i = 0; i < 5; i++) {
            fields.add(template.getObjectAt(i));
        }
        fields.add(new DERSequence(entry));
        return new DERSequence(fields);
    }

    private static byte[] encoded(ASN1Encodable value) {
        try {
            return value.toASN1Primitive().getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The outer SEQUENCE re-encoded with an indefinite length and end-of-contents (BER). */
    private static byte[] indefinite(byte[] der) throws IOException {
        ASN1Sequence list = (ASN1Sequence) ASN1Primitive.fromByteArray(der);
        byte[] content = new byte[0];
        for (ASN1Encodable item : list) {
            content = concat(content, item.toASN1Primitive().getEncoded(ASN1Encoding.DER));
        }
        return concat(concat(new byte[] {0x30, (byte) 0x80}, content), new byte[] {0, 0});
    }

    /** The outer SEQUENCE with its length in a longer form than needed. */
    private static byte[] longFormLength(byte[] der) throws IOException {
        ASN1Sequence list = (ASN1Sequence) ASN1Primitive.fromByteArray(der);
        byte[] content = new byte[0];
        for (ASN1Encodable item : list) {
            content = concat(content, item.toASN1Primitive().getEncoded(ASN1Encoding.DER));
        }
        byte[] header = {0x30, (byte) 0x84, (byte) (content.length >>> 24), (byte) (content.length >>> 16),
                (byte) (content.length >>> 8), (byte) content.length};
        return concat(header, content);
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static boolean contains(byte[] der, String ascii) {
        String text = new String(der, java.nio.charset.StandardCharsets.ISO_8859_1);
        return text.contains(ascii);
    }

    private static KeyPair ecKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }
}
