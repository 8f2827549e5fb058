package certgate.engine.testpki;

import certgate.dsl.dn.DistinguishedName;
import certgate.dsl.dn.DnAttribute;
import certgate.dsl.dn.DnSyntaxException;
import certgate.dsl.dn.Rdn;
import java.io.IOException;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;

/**
 * Builds CA hierarchies on the fly for tests, with BouncyCastle and the JDK's keys:
 *
 * <pre>{@code
 * TestPki root = TestPki.root("CN=Root");
 * TestPki sub = root.intermediate("CN=Sub");
 * TestCert gw = sub.leaf("CN=gw1", TestPki.dns("gw1.example.net"));
 * byte[] crl = sub.crl().revoke(gw.serial()).build();
 * String pem = gw.pem();
 * }</pre>
 *
 * <p>A {@code TestPki} is one CA: its certificate and key pair. Certificates are well-formed RFC 5280 by
 * default (AKI, SKI, critical basicConstraints and keyUsage on CAs, EC P-256 keys, valid {@link #NOT_BEFORE} to
 * {@link #NOT_AFTER}); a {@link CertSpec} changes any of that, down to a broken signature. Tests decide at
 * {@link #NOW}.
 */
public final class TestPki {
    public static final Instant NOT_BEFORE = Instant.parse("2020-01-01T00:00:00Z");
    public static final Instant NOT_AFTER = Instant.parse("2040-01-01T00:00:00Z");
    /** A time inside the default validity, for decisions in tests. */
    public static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ASN1ObjectIdentifier COUNTRY = new ASN1ObjectIdentifier("2.5.4.6");
    private static final ASN1ObjectIdentifier EMAIL = new ASN1ObjectIdentifier("1.2.840.113549.1.9.1");
    private static final ASN1ObjectIdentifier DOMAIN_COMPONENT =
            new ASN1ObjectIdentifier("0.9.2342.19200300.100.1.25");

    private final TestCert certificate;

    private TestPki(TestCert certificate) {
        this.certificate = certificate;
    }

    /** A self-signed root CA with the defaults. */
    public static TestPki root(String dn) {
        return root(spec(dn));
    }

    /** A self-signed root CA; the spec's CA defaults are cA true, keyCertSign and cRLSign. */
    public static TestPki root(CertSpec spec) {
        CertSpec ca = caDefaults(spec.copy());
        KeyPair pair = ca.keyPair.orElseGet(() -> Keys.next(ca.keyType));
        X500Name name = name(ca.subject);
        return new TestPki(build(ca, pair, name, pair, ca.keyType, null));
    }

    /** Wraps an existing CA (for example one read back from a test's files). */
    public static TestPki of(TestCert certificate) {
        return new TestPki(certificate);
    }

    public static CertSpec spec(String dn) {
        return new CertSpec(dn);
    }

    /** A CA certified by this one, with the defaults. */
    public TestPki intermediate(String dn) {
        return intermediate(spec(dn));
    }

    public TestPki intermediate(CertSpec spec) {
        return new TestPki(issue(caDefaults(spec.copy())));
    }

    /** An end-entity certificate (keyUsage digitalSignature, no basicConstraints) with these subjectAltNames. */
    public TestCert leaf(String dn, GeneralName... subjectAltNames) {
        return issue(spec(dn).san(subjectAltNames));
    }

    /** Any certificate signed by this CA, exactly as the spec says (leaf defaults where it is silent). */
    public TestCert issue(CertSpec spec) {
        CertSpec leaf = spec.copy();
        if (leaf.keyUsage.isEmpty()) {
            leaf.keyUsage = java.util.Optional.of(KeyUsage.digitalSignature);
        }
        KeyPair pair = leaf.keyPair.orElseGet(() -> Keys.next(leaf.keyType));
        return build(leaf, pair, name(certificate.subject()), certificate.keyPair(), keyTypeOf(certificate), this);
    }

    /** A CRL signed by this CA. */
    public CrlSpec crl() {
        return new CrlSpec(this);
    }

    /** This CA's own certificate. */
    public TestCert certificate() {
        return certificate;
    }

    public KeyPair keyPair() {
        return certificate.keyPair();
    }

    public String subject() {
        return certificate.subject();
    }

    // Names for subjectAltName and name constraints.

    public static GeneralName dns(String name) {
        return new GeneralName(GeneralName.dNSName, name);
    }

    public static GeneralName ip(String literal) {
        return new GeneralName(GeneralName.iPAddress, literal);
    }

    /** An iPAddress name constraint: address and mask, "192.0.2.0/24". */
    public static GeneralName ipRange(String cidr) {
        return new GeneralName(GeneralName.iPAddress, cidr);
    }

    public static GeneralName email(String address) {
        return new GeneralName(GeneralName.rfc822Name, address);
    }

    public static GeneralName uri(String uri) {
        return new GeneralName(GeneralName.uniformResourceIdentifier, uri);
    }

    public static GeneralName directory(String dn) {
        return new GeneralName(name(dn));
    }

    /**
     * An X500Name from RFC 4514 text (most specific RDN first), in ASN.1 order (least specific first), with
     * PrintableString for C, IA5String for emailAddress and DC, UTF8String for the rest.
     */
    public static X500Name name(String dn) {
        DistinguishedName parsed;
        try {
            parsed = DistinguishedName.parse(dn);
        } catch (DnSyntaxException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        List<RDN> rdns = new ArrayList<>();
        for (Rdn rdn : parsed.rdns()) {
            List<AttributeTypeAndValue> values = new ArrayList<>();
            for (DnAttribute attribute : rdn.attributes()) {
                ASN1ObjectIdentifier oid = new ASN1ObjectIdentifier(attribute.oid());
                ASN1Encodable value = oid.equals(COUNTRY) ? new DERPrintableString(attribute.value())
                        : oid.equals(EMAIL) || oid.equals(DOMAIN_COMPONENT) ? new DERIA5String(attribute.value())
                        : new DERUTF8String(attribute.value());
                values.add(new AttributeTypeAndValue(oid, value));
            }
            rdns.add(0, new RDN(values.toArray(new AttributeTypeAndValue[0])));
        }
        return new X500Name(rdns.toArray(new RDN[0]));
    }

    private static CertSpec caDefaults(CertSpec spec) {
        if (spec.ca.isEmpty()) {
            spec.ca = java.util.Optional.of(true);
        }
        if (spec.keyUsage.isEmpty()) {
            spec.keyUsage = java.util.Optional.of(KeyUsage.keyCertSign | KeyUsage.cRLSign);
        }
        return spec;
    }

    private static KeyType keyTypeOf(TestCert certificate) {
        String algorithm = certificate.keyPair().getPublic().getAlgorithm();
        if (algorithm.equals("RSA")) {
            return KeyType.RSA_2048;
        }
        if (algorithm.equals("EC")) {
            int bits = ((java.security.interfaces.ECPublicKey) certificate.keyPair().getPublic()).getParams()
                    .getCurve().getField().getFieldSize();
            return bits > 256 ? KeyType.EC_P384 : KeyType.EC_P256;
        }
        return KeyType.ED25519;
    }

    private static TestCert build(CertSpec spec, KeyPair subjectPair, X500Name issuer, KeyPair issuerPair,
                                  KeyType issuerType, TestPki issuerCa) {
        try {
            SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(subjectPair.getPublic().getEncoded());
            BigInteger serial = spec.serial.orElseGet(() -> new BigInteger(127, RANDOM).add(BigInteger.ONE));
            X500Name subject = name(spec.subject);
            X509v3CertificateBuilder builder = new X509v3CertificateBuilder(issuer, serial,
                    Date.from(spec.notBefore), Date.from(spec.notAfter), subject, spki);
            if (spec.basicConstraints && spec.ca.isPresent()) {
                BasicConstraints constraints = spec.ca.get() && spec.pathLen.isPresent()
                        ? new BasicConstraints(spec.pathLen.get()) : new BasicConstraints(spec.ca.get());
                builder.addExtension(Extension.basicConstraints, spec.basicConstraintsCritical, constraints);
            }
            if (spec.keyUsagePresent && spec.keyUsage.isPresent()) {
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(spec.keyUsage.get()));
            }
            if (spec.subjectKeyId) {
                builder.addExtension(Extension.subjectKeyIdentifier, false,
                        new SubjectKeyIdentifier(keyId(subjectPair)));
            }
            if (spec.authorityKeyId && issuerCa != null) {
                builder.addExtension(Extension.authorityKeyIdentifier, false,
                        new AuthorityKeyIdentifier(keyId(issuerPair)));
            }
            if (!spec.subjectAltNames.isEmpty()) {
                builder.addExtension(Extension.subjectAlternativeName, subject.getRDNs().length == 0,
                        new GeneralNames(spec.subjectAltNames.toArray(new GeneralName[0])));
            }
            if (!spec.permitted.isEmpty() || !spec.excluded.isEmpty()) {
                builder.addExtension(Extension.nameConstraints, true,
                        new NameConstraints(subtrees(spec.permitted), subtrees(spec.excluded)));
            }
            if (!spec.crlDistributionPoints.isEmpty()) {
                DistributionPoint[] points = spec.crlDistributionPoints.stream()
                        .map(name -> new DistributionPoint(new DistributionPointName(new GeneralNames(name)), null,
                                null)).toArray(DistributionPoint[]::new);
                builder.addExtension(Extension.cRLDistributionPoints, false, new CRLDistPoint(points));
            }
            if (spec.extendedKeyUsage.isPresent()) {
                KeyPurposeId[] purposes = spec.extendedKeyUsage.get().stream()
                        .map(oid -> KeyPurposeId.getInstance(new ASN1ObjectIdentifier(oid)))
                        .toArray(KeyPurposeId[]::new);
                builder.addExtension(Extension.extendedKeyUsage, spec.extendedKeyUsageCritical,
                        new ExtendedKeyUsage(purposes));
            }
            for (Object[] extension : spec.extensions) {
                builder.addExtension((ASN1ObjectIdentifier) extension[0], (Boolean) extension[1],
                        (ASN1Encodable) extension[2]);
            }
            String algorithm = spec.signatureAlgorithm.orElse(issuerType.defaultSignature());
            byte[] der = builder.build(new JdkSigner(algorithm, issuerPair.getPrivate())).getEncoded();
            if (spec.badSignature) {
                der = breakSignature(der);
            }
            return new TestCert(der, subjectPair, serial, spec.subject);
        } catch (IOException e) {
            throw new IllegalStateException("cannot build certificate " + spec.subject, e);
        }
    }

    private static GeneralSubtree[] subtrees(List<GeneralName> names) {
        if (names.isEmpty()) {
            return null;
        }
        return names.stream().map(GeneralSubtree::new).toArray(GeneralSubtree[]::new);
    }

    /** RFC 5280 4.2.1.2 method 1: SHA-1 of the subjectPublicKey bits. */
    static byte[] keyId(KeyPair pair) {
        try {
            SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(pair.getPublic().getEncoded());
            return MessageDigest.getInstance("SHA-1").digest(spki.getPublicKeyData().getBytes());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] breakSignature(byte[] der) throws IOException {
        Certificate certificate = Certificate.getInstance(der);
        byte[] signature = certificate.getSignature().getOctets();
        signature[signature.length / 2] ^= 0x01;
        ASN1EncodableVector vector = new ASN1EncodableVector();
        vector.add(certificate.getTBSCertificate());
        vector.add(certificate.getSignatureAlgorithm());
        vector.add(new DERBitString(signature));
        return new DERSequence(vector).getEncoded(ASN1Encoding.DER);
    }
}
