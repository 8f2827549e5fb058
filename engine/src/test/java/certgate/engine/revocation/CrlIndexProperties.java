package certgate.engine.revocation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import certgate.engine.revocation.CrlFixture.CrlSpec;
import certgate.engine.revocation.CrlFixture.EntrySpec;
import certgate.eventstore.Blob;
import certgate.testkit.Gen;
import certgate.testkit.Gens;
import certgate.testkit.Property;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 3, unit = TimeUnit.MINUTES)
class CrlIndexProperties {

    /** A v2 CRL with one of everything the index reads: both time kinds, reasons, indirect entries, extensions. */
    private static final byte[] RICH = CrlFixture.encode(new CrlSpec(2,
            new X500Name("CN=Issuing CA, OU=VPN, O=Corp, C=US"), Instant.parse("2024-03-01T12:00:00Z"),
            Optional.of(Instant.parse("2051-03-08T12:00:00Z")), false, List.of(
                    EntrySpec.of(BigInteger.valueOf(3), Instant.parse("2024-01-02T03:04:05Z")).withReason(1),
                    EntrySpec.of(new BigInteger("00c3a5f0112233445566778899aabbccdd", 16),
                            Instant.parse("2023-12-31T23:59:59Z")).withGeneralizedTime(),
                    EntrySpec.of(BigInteger.valueOf(-129), Instant.parse("1999-06-30T00:00:00Z"))
                            .withIssuer(new GeneralNames(new GeneralName(new X500Name("CN=Other CA")))),
                    EntrySpec.of(BigInteger.valueOf(3), Instant.parse("2024-01-02T03:04:06Z")).withReason(10)
                            .withExtension(CrlFixture.extension(new ASN1ObjectIdentifier("1.3.6.1.4.1.9.1"), true,
                                    DERNull.INSTANCE))),
            List.of(CrlFixture.extension(Extension.cRLNumber, false, new ASN1Integer(77)))));

    @Test
    void random_crls_agree_with_bouncycastle_for_every_serial_listed_or_not() {
        Property.forAll(CrlGens.crls(60)).check(sample -> {
            CrlIndex index = parse(sample.der());
            assertEquals(sample.spec().entries().size(), index.size(), "size");
            reference(sample.der()).assertAgrees(index);
        });
    }

    @Test
    void every_serial_in_a_random_crl_is_found_with_its_date_and_reason() {
        Property.forAll(CrlGens.crls(60)).check(sample -> {
            CrlIndex index = parse(sample.der());
            for (EntrySpec entry : sample.spec().entries()) {
                List<RevokedEntry> found = index.entriesFor(entry.serial());
                boolean listed = found.stream().anyMatch(revoked -> revoked.revocationDate().equals(entry.date())
                        && revoked.reasonCode().equals(entry.reason()));
                if (!listed) {
                    fail("serial " + entry.serial().toString(16) + " revoked at " + entry.date() + " reason "
                            + entry.reason() + " not found; index says " + found);
                }
            }
        });
    }

    @Test
    void damaged_bytes_give_a_crl_format_error_or_exactly_what_bouncycastle_reads() {
        Property.forAll(Gens.damaged(RICH)).tries(2_000).check(CrlIndexProperties::cleanErrorOrAgreement);
    }

    @Test
    void damaged_random_crls_give_a_crl_format_error_or_exactly_what_bouncycastle_reads() {
        Gen<byte[]> damaged = CrlGens.crls(8).flatMap(sample -> Gens.damaged(sample.der()));
        Property.forAll(damaged).tries(1_000).check(CrlIndexProperties::cleanErrorOrAgreement);
    }

    @Test
    void a_damaged_crl_read_from_a_blob_fails_or_reads_exactly_as_from_its_array_and_leaves_the_blob_intact() {
        Gen<byte[]> damaged = CrlGens.crls(8).flatMap(sample -> Gens.damaged(sample.der()));
        Property.forAll(damaged).tries(1_000).check(bytes -> {
            Blob blob = Blob.of(bytes);
            String fromArray;
            try {
                fromArray = summary(CrlIndex.parse(bytes.clone()));
            } catch (CrlFormatException e) {
                fromArray = "rejected: " + e.getMessage();
            }
            String fromBlob;
            try {
                CrlIndex index = CrlIndex.parse(blob);
                reference(bytes).assertAgrees(index);
                assertArrayEquals(bytes, index.der(), "the index's DER is the blob's");
                assertArrayEquals(blob.sha256(), index.sha256(), "the index's digest is the blob's");
                fromBlob = summary(index);
            } catch (CrlFormatException e) {
                fromBlob = "rejected: " + e.getMessage();
            }
            assertEquals(fromArray, fromBlob);
            assertEquals(Blob.of(bytes), blob, "the blob is unchanged");
        });
    }

    @Test
    void every_cut_of_a_crl_is_rejected() {
        Gen<int[]> cuts = random -> new int[] {random.nextInt(RICH.length)};
        Property.forAll(cuts).check(cut -> {
            byte[] prefix = Arrays.copyOf(RICH, cut[0]);
            assertThrows(CrlFormatException.class, () -> CrlIndex.parse(prefix), "prefix of " + cut[0] + " bytes");
        });
    }

    @Test
    void random_bytes_are_rejected_cleanly() {
        Gen<byte[]> noise = random -> {
            byte[] bytes = Gens.bytes(0, 300).generate(random);
            if (bytes.length > 2 && random.nextBoolean()) {
                bytes[0] = 0x30; // make it look like a SEQUENCE so the reader goes further
                bytes[1] = (byte) (bytes.length - 2 < 128 ? bytes.length - 2 : 0x81);
            }
            return bytes;
        };
        Property.forAll(noise).tries(1_000).check(bytes -> {
            try {
                CrlIndex.parse(bytes);
                reference(bytes); // accepted noise must at least be a CRL to BouncyCastle too
            } catch (CrlFormatException expected) {
                // a clean, typed rejection
            }
        });
    }

    /** What two parses of the same bytes must agree on (not toString: a damaged issuer may not print). */
    private static String summary(CrlIndex index) {
        return "parsed: " + index.size() + " entries, thisUpdate " + index.thisUpdate() + ", nextUpdate "
                + index.nextUpdate() + ", v" + index.version() + ", signature "
                + Arrays.toString(index.signatureValue());
    }

    private static void cleanErrorOrAgreement(byte[] bytes) {
        CrlIndex index;
        try {
            index = CrlIndex.parse(bytes);
        } catch (CrlFormatException expected) {
            return;
        }
        reference(bytes).assertAgrees(index);
    }

    private static CrlIndex parse(byte[] der) {
        try {
            return CrlIndex.parse(der);
        } catch (CrlFormatException e) {
            throw new AssertionError("a valid CRL was rejected: " + e.getMessage(), e);
        }
    }

    private static CrlReference reference(byte[] der) {
        try {
            return CrlReference.of(der);
        } catch (Exception e) {
            throw new AssertionError("certgate accepted a CRL that BouncyCastle refuses: " + e, e);
        }
    }
}
