package certgate.engine.testpki;

import java.io.IOException;
import java.math.BigInteger;
import java.security.KeyPair;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.IssuingDistributionPoint;
import org.bouncycastle.cert.X509v2CRLBuilder;

/**
 * A CRL from a {@link TestPki} CA: by default thisUpdate a day before {@link TestPki#NOW}, nextUpdate thirty days
 * after, a cRLNumber and an authorityKeyIdentifier, signed by the CA's key.
 *
 * <pre>{@code
 * byte[] der = ca.crl().revoke(serial).nextUpdate(t).build();
 * }</pre>
 */
public final class CrlSpec {
    private final TestPki issuer;
    private Instant thisUpdate = TestPki.NOW.minusSeconds(86_400);
    private Optional<Instant> nextUpdate = Optional.of(TestPki.NOW.plusSeconds(30L * 86_400));
    private BigInteger number = BigInteger.ONE;
    private boolean withNumber = true;
    private final List<Object[]> entries = new ArrayList<>();
    private final List<Object[]> extensions = new ArrayList<>();
    private Optional<KeyPair> signer = Optional.empty();
    private Optional<String> signatureAlgorithm = Optional.empty();
    private boolean badSignature;

    CrlSpec(TestPki issuer) {
        this.issuer = issuer;
    }

    public CrlSpec revoke(BigInteger serial) {
        return revoke(serial, TestPki.NOW.minusSeconds(7L * 86_400), CRLReason.keyCompromise);
    }

    public CrlSpec revoke(BigInteger serial, Instant at, int reason) {
        entries.add(new Object[] {serial, at, reason});
        return this;
    }

    public CrlSpec thisUpdate(Instant at) {
        this.thisUpdate = at;
        return this;
    }

    public CrlSpec nextUpdate(Instant at) {
        this.nextUpdate = Optional.of(at);
        return this;
    }

    public CrlSpec noNextUpdate() {
        this.nextUpdate = Optional.empty();
        return this;
    }

    public CrlSpec number(long value) {
        this.number = BigInteger.valueOf(value);
        return this;
    }

    public CrlSpec noNumber() {
        this.withNumber = false;
        return this;
    }

    public CrlSpec issuingDistributionPoint(IssuingDistributionPoint point) {
        return extension(Extension.issuingDistributionPoint.getId(), true, point);
    }

    public CrlSpec extension(String oid, boolean critical, ASN1Encodable value) {
        extensions.add(new Object[] {new ASN1ObjectIdentifier(oid), critical, value});
        return this;
    }

    /** Signs with another key than the issuer's (a CRL the issuer did not make). */
    public CrlSpec signedWith(KeyPair pair) {
        this.signer = Optional.of(pair);
        return this;
    }

    public CrlSpec signatureAlgorithm(String jcaName) {
        this.signatureAlgorithm = Optional.of(jcaName);
        return this;
    }

    public CrlSpec badSignature() {
        this.badSignature = true;
        return this;
    }

    public byte[] build() {
        try {
            X509v2CRLBuilder builder = new X509v2CRLBuilder(TestPki.name(issuer.subject()), Date.from(thisUpdate));
            nextUpdate.ifPresent(at -> builder.setNextUpdate(Date.from(at)));
            for (Object[] entry : entries) {
                builder.addCRLEntry((BigInteger) entry[0], Date.from((Instant) entry[1]), (Integer) entry[2]);
            }
            if (withNumber) {
                builder.addExtension(Extension.cRLNumber, false, new ASN1Integer(number));
            }
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    new AuthorityKeyIdentifier(TestPki.keyId(issuer.keyPair())));
            for (Object[] extension : extensions) {
                builder.addExtension((ASN1ObjectIdentifier) extension[0], (Boolean) extension[1],
                        (ASN1Encodable) extension[2]);
            }
            KeyPair pair = signer.orElse(issuer.keyPair());
            String algorithm = signatureAlgorithm.orElse(defaultAlgorithm(pair));
            byte[] der = builder.build(new JdkSigner(algorithm, pair.getPrivate())).getEncoded();
            return badSignature ? breakSignature(der) : der;
        } catch (IOException e) {
            throw new IllegalStateException("cannot build a CRL of " + issuer.subject(), e);
        }
    }

    private static String defaultAlgorithm(KeyPair pair) {
        return switch (pair.getPublic().getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> "Ed25519";
        };
    }

    private static byte[] breakSignature(byte[] der) throws IOException {
        org.bouncycastle.asn1.x509.CertificateList list = org.bouncycastle.asn1.x509.CertificateList.getInstance(der);
        byte[] signature = list.getSignature().getOctets();
        signature[signature.length / 2] ^= 0x01;
        org.bouncycastle.asn1.ASN1EncodableVector vector = new org.bouncycastle.asn1.ASN1EncodableVector();
        vector.add(list.getTBSCertList());
        vector.add(list.getSignatureAlgorithm());
        vector.add(new org.bouncycastle.asn1.DERBitString(signature));
        return new org.bouncycastle.asn1.DERSequence(vector).getEncoded(org.bouncycastle.asn1.ASN1Encoding.DER);
    }
}
