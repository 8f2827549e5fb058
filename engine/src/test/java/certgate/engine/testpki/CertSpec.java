package certgate.engine.testpki;

import java.math.BigInteger;
import java.security.KeyPair;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.KeyUsage;

/**
 * What a test certificate looks like. Every option has the default a well-formed RFC 5280 certificate would
 * have; a test changes only what it is about:
 *
 * <pre>{@code
 * TestPki.spec("CN=odd").ca(true).pathLen(0).keyUsage(KeyUsage.keyCertSign).notAfter(t).badSignature()
 * }</pre>
 *
 * <p>Mutable while it is being written, copied when a certificate is issued from it.
 */
public final class CertSpec {
    String subject;
    KeyType keyType = KeyType.EC_P256;
    Optional<KeyPair> keyPair = Optional.empty();
    Optional<String> signatureAlgorithm = Optional.empty();
    Optional<BigInteger> serial = Optional.empty();
    Instant notBefore = TestPki.NOT_BEFORE;
    Instant notAfter = TestPki.NOT_AFTER;
    Optional<Boolean> ca = Optional.empty();
    Optional<Integer> pathLen = Optional.empty();
    boolean basicConstraints = true;
    boolean basicConstraintsCritical = true;
    Optional<Integer> keyUsage = Optional.empty();
    boolean keyUsagePresent = true;
    final List<GeneralName> subjectAltNames = new ArrayList<>();
    final List<GeneralName> permitted = new ArrayList<>();
    final List<GeneralName> excluded = new ArrayList<>();
    final List<GeneralName> crlDistributionPoints = new ArrayList<>();
    Optional<List<String>> extendedKeyUsage = Optional.empty();
    boolean extendedKeyUsageCritical;
    final List<Object[]> extensions = new ArrayList<>();
    boolean authorityKeyId = true;
    boolean subjectKeyId = true;
    boolean badSignature;

    CertSpec(String subject) {
        this.subject = subject;
    }

    CertSpec copy() {
        CertSpec copy = new CertSpec(subject);
        copy.keyType = keyType;
        copy.keyPair = keyPair;
        copy.signatureAlgorithm = signatureAlgorithm;
        copy.serial = serial;
        copy.notBefore = notBefore;
        copy.notAfter = notAfter;
        copy.ca = ca;
        copy.pathLen = pathLen;
        copy.basicConstraints = basicConstraints;
        copy.basicConstraintsCritical = basicConstraintsCritical;
        copy.keyUsage = keyUsage;
        copy.keyUsagePresent = keyUsagePresent;
        copy.subjectAltNames.addAll(subjectAltNames);
        copy.permitted.addAll(permitted);
        copy.excluded.addAll(excluded);
        copy.crlDistributionPoints.addAll(crlDistributionPoints);
        copy.extendedKeyUsage = extendedKeyUsage;
        copy.extendedKeyUsageCritical = extendedKeyUsageCritical;
        copy.extensions.addAll(extensions);
        copy.authorityKeyId = authorityKeyId;
        copy.subjectKeyId = subjectKeyId;
        copy.badSignature = badSignature;
        return copy;
    }

    /** The subject DN, RFC 4514 text, most specific RDN first ("CN=gw1, O=Corp"). */
    public CertSpec subject(String dn) {
        this.subject = dn;
        return this;
    }

    public CertSpec keyType(KeyType type) {
        this.keyType = type;
        return this;
    }

    /** Certifies this key pair instead of a new one (a re-issued or cross-certified CA). */
    public CertSpec keyPair(KeyPair pair) {
        this.keyPair = Optional.of(pair);
        return this;
    }

    /** The issuer signs with this JCA algorithm ("SHA1withRSA", "MD5withRSA", "SHA256withRSA/PSS", ...). */
    public CertSpec signatureAlgorithm(String jcaName) {
        this.signatureAlgorithm = Optional.of(jcaName);
        return this;
    }

    public CertSpec serial(BigInteger value) {
        this.serial = Optional.of(value);
        return this;
    }

    public CertSpec serial(long value) {
        return serial(BigInteger.valueOf(value));
    }

    public CertSpec notBefore(Instant at) {
        this.notBefore = at;
        return this;
    }

    public CertSpec notAfter(Instant at) {
        this.notAfter = at;
        return this;
    }

    public CertSpec validity(Instant from, Instant to) {
        return notBefore(from).notAfter(to);
    }

    /** basicConstraints cA (default: true for CAs made with root/intermediate, absent for leaves). */
    public CertSpec ca(boolean isCa) {
        this.ca = Optional.of(isCa);
        this.basicConstraints = true;
        return this;
    }

    public CertSpec pathLen(int length) {
        this.pathLen = Optional.of(length);
        return this;
    }

    public CertSpec noBasicConstraints() {
        this.basicConstraints = false;
        return this;
    }

    public CertSpec basicConstraintsCritical(boolean critical) {
        this.basicConstraintsCritical = critical;
        return this;
    }

    /** keyUsage bits ({@link KeyUsage#digitalSignature} | ...), marked critical. */
    public CertSpec keyUsage(int bits) {
        this.keyUsage = Optional.of(bits);
        this.keyUsagePresent = true;
        return this;
    }

    public CertSpec noKeyUsage() {
        this.keyUsagePresent = false;
        return this;
    }

    public CertSpec san(GeneralName... names) {
        subjectAltNames.addAll(List.of(names));
        return this;
    }

    public CertSpec permitted(GeneralName... names) {
        permitted.addAll(List.of(names));
        return this;
    }

    public CertSpec excluded(GeneralName... names) {
        excluded.addAll(List.of(names));
        return this;
    }

    /** A cRLDistributionPoints extension with one distribution point per name. */
    public CertSpec crlDistributionPoint(GeneralName name) {
        crlDistributionPoints.add(name);
        return this;
    }

    public CertSpec extendedKeyUsage(boolean critical, String... oids) {
        this.extendedKeyUsage = Optional.of(List.of(oids));
        this.extendedKeyUsageCritical = critical;
        return this;
    }

    /** Any extension, as it is. */
    public CertSpec extension(String oid, boolean critical, ASN1Encodable value) {
        extensions.add(new Object[] {new ASN1ObjectIdentifier(oid), critical, value});
        return this;
    }

    public CertSpec noAuthorityKeyId() {
        this.authorityKeyId = false;
        return this;
    }

    public CertSpec noSubjectKeyId() {
        this.subjectKeyId = false;
        return this;
    }

    /** The signature is made, then one of its bytes changed: a certificate that does not verify. */
    public CertSpec badSignature() {
        this.badSignature = true;
        return this;
    }
}
