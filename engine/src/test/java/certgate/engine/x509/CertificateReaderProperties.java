package certgate.engine.x509;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import certgate.testkit.Gen;
import certgate.testkit.Gens;
import certgate.testkit.Property;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * The hand-written reader agrees with the BouncyCastle reading it replaced ({@link CertificateOracle}, with the
 * rules added on purpose): on random certificates and on damaged copies of them, both refuse, or both read the
 * same fields. Refusals are typed ({@link CertificateFormatException}); no other exception escapes either.
 */
class CertificateReaderProperties {
    private static final VerificationCache CACHE = new VerificationCache();

    @Test
    void random_certificates_are_read_as_the_bouncycastle_oracle_reads_them() {
        Property.forAll(RandomCertificates.certificates()).tries(300).check(CertificateReaderProperties::agree);
    }

    @Test
    void damaged_random_certificates_are_refused_by_both_or_read_alike() {
        Gen<byte[]> damaged = RandomCertificates.certificates().flatMap(Gens::damaged);
        Property.forAll(damaged).tries(3000).check(CertificateReaderProperties::agree);
    }

    static void agree(byte[] der) {
        String oracleRefusal = null;
        CertificateFields expected = null;
        try {
            expected = CertificateOracle.read(der);
        } catch (CertificateFormatException e) {
            oracleRefusal = e.getMessage();
        }
        String refusal = null;
        CertificateFields actual = null;
        CertificateFields cached = null;
        try {
            ParsedCertificate parsed = ParsedCertificate.parse(der);
            actual = fields(parsed);
            VerificationCache.Parse viaCache = CACHE.parse(parsed.sha256(), () -> der);
            cached = fields(((VerificationCache.Parsed) viaCache).certificate());
        } catch (CertificateFormatException e) {
            refusal = e.getMessage();
        }
        String input = HexFormat.of().formatHex(der);
        if (oracleRefusal != null || refusal != null) {
            if (oracleRefusal == null || refusal == null) {
                fail("oracle: " + (oracleRefusal == null ? "accepts" : "refuses: " + oracleRefusal) + "\nreader: "
                        + (refusal == null ? "accepts" : "refuses: " + refusal) + "\ninput " + input);
            }
            return;
        }
        assertEquals(expected, actual, () -> "input " + input);
        assertEquals(actual, cached, () -> "through the cache, input " + input);
    }

    private static CertificateFields fields(ParsedCertificate certificate) {
        try {
            return CertificateFields.of(certificate);
        } catch (Exception e) {
            throw new AssertionError("an accepted certificate's fields cannot be read", e);
        }
    }
}
