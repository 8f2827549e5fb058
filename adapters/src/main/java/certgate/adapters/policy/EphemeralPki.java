package certgate.adapters.policy;

import certgate.adapters.policy.PolicyTestFile.SubjectAltName;
import certgate.dsl.dn.DistinguishedName;
import certgate.dsl.dn.DnAttribute;
import certgate.dsl.dn.Rdn;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The throw-away CAs of one {@code certgate test} run: one self-signed root per CA profile (EC P-256, for speed),
 * the peer certificates of the cases, and one CRL per CA. Nothing is kept after the run; private keys live only
 * in memory. Certificates are RFC 5280 well-formed, as a real CA would issue them, so that a case fails only for
 * the reason it is about.
 */
final class EphemeralPki {
    private static final ASN1ObjectIdentifier COUNTRY = new ASN1ObjectIdentifier("2.5.4.6");
    private static final ASN1ObjectIdentifier EMAIL = new ASN1ObjectIdentifier("1.2.840.113549.1.9.1");
    private static final ASN1ObjectIdentifier DOMAIN_COMPONENT =
            new ASN1ObjectIdentifier("0.9.2342.19200300.100.1.25");
    private static final String SIGNATURE = "SHA256withECDSA";
    /** CAs are valid well around the decision time, so that only a peer's own dates decide validity cases. */
    private static final Duration CA_LIFETIME = Duration.ofDays(20 * 365);

    private final SecureRandom random = new SecureRandom();
    private final KeyPairGenerator generator;

    EphemeralPki() {
        try {
            generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), random);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the Java platform has no EC P-256 key generator", e);
        }
    }

    /** A CA: its certificate (DER) and its key pair. */
    record Ca(DistinguishedName subject, byte[] certificate, KeyPair keys, X500Name name) {
    }

    /** A self-signed root CA with this subject, valid around {@code at}. */
    Ca ca(DistinguishedName subject, Instant at) {
        KeyPair keys = generator.generateKeyPair();
        X500Name name = name(subject);
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new X509v3CertificateBuilder(name, serial(),
                    Date.from(at.minus(CA_LIFETIME)), Date.from(at.plus(CA_LIFETIME)), name,
                    SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded()));
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            builder.addExtension(Extension.subjectKeyIdentifier, false,
                    utils.createSubjectKeyIdentifier(keys.getPublic()));
            return new Ca(subject, sign(builder, keys).getEncoded(), keys, name);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("building the test CA '" + subject + "' failed: " + e.getMessage(), e);
        }
    }

    /** A peer certificate issued by {@code ca}: this subject and these subjectAltNames, valid from/to. */
    Issued peer(Ca ca, DistinguishedName subject, List<SubjectAltName> sans, Instant notBefore, Instant notAfter) {
        KeyPair keys = generator.generateKeyPair();
        BigInteger serial = serial();
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new X509v3CertificateBuilder(ca.name(), serial, Date.from(notBefore),
                    Date.from(notAfter), name(subject),
                    SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded()));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    utils.createAuthorityKeyIdentifier(ca.keys().getPublic()));
            builder.addExtension(Extension.subjectKeyIdentifier, false,
                    utils.createSubjectKeyIdentifier(keys.getPublic()));
            if (!sans.isEmpty()) {
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans.stream()
                        .map(EphemeralPki::generalName).toArray(GeneralName[]::new)));
            }
            return new Issued(sign(builder, ca.keys()).getEncoded(), serial);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("issuing '" + subject + "' failed: " + e.getMessage(), e);
        }
    }

    record Issued(byte[] certificate, BigInteger serial) {
    }

    /** {@code ca}'s CRL listing {@code revoked}, current at {@code at} (issued an hour before, next in a week). */
    byte[] crl(Ca ca, List<BigInteger> revoked, Instant at) {
        try {
            X509v2CRLBuilder builder = new X509v2CRLBuilder(ca.name(), Date.from(at.minus(Duration.ofHours(1))));
            builder.setNextUpdate(Date.from(at.plus(Duration.ofDays(7))));
            for (BigInteger serial : revoked) {
                builder.addCRLEntry(serial, Date.from(at.minus(Duration.ofDays(2))), CRLReason.keyCompromise);
            }
            builder.addExtension(Extension.cRLNumber, false, new CRLNumber(BigInteger.ONE));
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(ca.keys().getPublic()));
            return builder.build(signer(ca.keys())).getEncoded();
        } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
            throw new IllegalStateException("signing the CRL of '" + ca.subject() + "' failed: " + e.getMessage(), e);
        }
    }

    private static X509CertificateHolder sign(X509v3CertificateBuilder builder, KeyPair signer)
            throws GeneralSecurityException {
        try {
            return builder.build(signer(signer));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e.getMessage(), e);
        }
    }

    private static ContentSigner signer(KeyPair keys) throws OperatorCreationException {
        return new JcaContentSignerBuilder(SIGNATURE).build(keys.getPrivate());
    }

    private BigInteger serial() {
        return new BigInteger(63, random).add(BigInteger.ONE);
    }

    private static GeneralName generalName(SubjectAltName san) {
        return switch (san.kind()) {
            case DNS -> new GeneralName(GeneralName.dNSName, san.value());
            case IP -> new GeneralName(GeneralName.iPAddress, san.value());
            case EMAIL -> new GeneralName(GeneralName.rfc822Name, san.value());
        };
    }

    /**
     * The X.500 name of a DN written most specific RDN first: RDNs reversed into ASN.1 order, C as a
     * PrintableString (when it can be one), emailAddress and DC as IA5String, every other value a UTF8String.
     */
    static X500Name name(DistinguishedName dn) {
        List<RDN> rdns = new ArrayList<>();
        for (Rdn rdn : dn.rdns()) {
            List<AttributeTypeAndValue> values = new ArrayList<>();
            for (DnAttribute attribute : rdn.attributes()) {
                ASN1ObjectIdentifier oid = new ASN1ObjectIdentifier(attribute.oid());
                String value = attribute.value();
                ASN1Encodable encoded = oid.equals(COUNTRY) && DERPrintableString.isPrintableString(value)
                        ? new DERPrintableString(value)
                        : (oid.equals(EMAIL) || oid.equals(DOMAIN_COMPONENT)) && isAscii(value)
                        ? new DERIA5String(value)
                        : new DERUTF8String(value);
                values.add(new AttributeTypeAndValue(oid, encoded));
            }
            rdns.add(0, new RDN(values.toArray(new AttributeTypeAndValue[0])));
        }
        return new X500Name(rdns.toArray(new RDN[0]));
    }

    private static boolean isAscii(String value) {
        return value.chars().allMatch(c -> c < 0x80);
    }
}
