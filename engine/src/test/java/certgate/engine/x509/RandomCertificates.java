package certgate.engine.x509;

import certgate.engine.testpki.KeyType;
import certgate.engine.testpki.Keys;
import certgate.testkit.Gen;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.SplittableRandom;
import org.bouncycastle.asn1.ASN1Boolean;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Enumerated;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.BERTags;
import org.bouncycastle.asn1.DERBMPString;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERGeneralizedTime;
import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DERNumericString;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.DERT61String;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.DERUTCTime;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.DERUniversalString;
import org.bouncycastle.asn1.DERVisibleString;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSASSAPSSparams;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.CertificatePolicies;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DisplayText;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.bouncycastle.asn1.x509.OtherName;
import org.bouncycastle.asn1.x509.PolicyInformation;
import org.bouncycastle.asn1.x509.PolicyQualifierId;
import org.bouncycastle.asn1.x509.PolicyQualifierInfo;
import org.bouncycastle.asn1.x509.ReasonFlags;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.Time;
import org.bouncycastle.asn1.x509.UserNotice;
import org.bouncycastle.asn1.x509.X509ObjectIdentifiers;

/**
 * Random certificates for the differential property, built with BouncyCastle from the parts up and signed with
 * the JDK: RSA, EC, Ed25519 and DSA keys (DSA also without parameters), the signature algorithms that go with
 * them (RSA-PSS with its parameters), versions 1 and 3, unique identifiers, random serials and validity times on
 * both sides of 2050, names with multi-valued RDNs and every directory string type (and a few values that are no
 * string at all), and a random selection of extensions, critical or not, including some certgate does not know.
 * Well-formed DER throughout; what is wrong is what RFC 5280 profiles forbid, which the readers must report the
 * same way.
 */
final class RandomCertificates {
    private static final KeyPair RSA = Keys.next(KeyType.RSA_2048);
    private static final KeyPair EC = Keys.next(KeyType.EC_P256);
    private static final KeyPair EC384 = Keys.next(KeyType.EC_P384);
    private static final KeyPair ED25519 = Keys.next(KeyType.ED25519);
    private static final KeyPair DSA = dsa();
    private static final List<KeyPair> KEYS = List.of(RSA, EC, EC384, ED25519, DSA);

    private static final String[] TYPES = {"2.5.4.3", "2.5.4.10", "2.5.4.11", "2.5.4.6", "2.5.4.7", "2.5.4.8",
        "2.5.4.5", "0.9.2342.19200300.100.1.25", "0.9.2342.19200300.100.1.1", "1.2.840.113549.1.9.1", "2.5.4.42",
        "1.3.6.1.4.1.99999.7", "2.999.1234567890123"};
    private static final String PRINTABLE = "ABCdef012 '()+,-./:=?";
    private static final String TEXT = "aZ09 ,+\"\\<>;#=-_.@*\u00e9\u00df\u0130\u03a3\u00ad\u200b\u3042"
            + "\ud83d\ude00\u00a0";

    private RandomCertificates() {
    }

    /** A random certificate's DER. */
    static Gen<byte[]> certificates() {
        return RandomCertificates::certificate;
    }

    static byte[] certificate(SplittableRandom random) {
        try {
            return build(random);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a random certificate", e);
        }
    }

    private static byte[] build(SplittableRandom random) throws IOException, GeneralSecurityException {
        KeyPair issuerKey = KEYS.get(random.nextInt(KEYS.size()));
        KeyPair subjectKey = KEYS.get(random.nextInt(KEYS.size()));
        String algorithm = signatureAlgorithm(issuerKey, random);
        AlgorithmIdentifier signatureId = algorithmIdentifier(algorithm, random);
        boolean v1 = random.nextInt(8) == 0;
        ASN1EncodableVector tbs = new ASN1EncodableVector();
        if (!v1) {
            tbs.add(new DERTaggedObject(true, 0, new ASN1Integer(2)));
        }
        tbs.add(new ASN1Integer(serial(random)));
        tbs.add(signatureId);
        tbs.add(name(random, false));
        tbs.add(new DERSequence(new ASN1Encodable[] {time(random), time(random)}));
        X500Name subject = name(random, true);
        tbs.add(subject);
        tbs.add(publicKeyInfo(subjectKey, random));
        if (!v1) {
            if (random.nextInt(12) == 0) {
                tbs.add(new DERTaggedObject(false, 1, new DERBitString(bytes(random, 1, 4), random.nextInt(2))));
            }
            if (random.nextInt(12) == 0) {
                tbs.add(new DERTaggedObject(false, 2, new DERBitString(bytes(random, 1, 4))));
            }
            List<Extension> extensions = extensions(random, subject, subjectKey);
            if (!extensions.isEmpty()) {
                tbs.add(new DERTaggedObject(true, 3, new DERSequence(extensions.toArray(new Extension[0]))));
            }
        }
        byte[] tbsDer = new DERSequence(tbs).getEncoded(ASN1Encoding.DER);
        byte[] signature = sign(algorithm, issuerKey, tbsDer);
        ASN1EncodableVector certificate = new ASN1EncodableVector();
        certificate.add(ASN1Primitive.fromByteArray(tbsDer));
        // Now and then the outer algorithm differs from the inner one, or the signature has unused bits.
        certificate.add(random.nextInt(16) == 0 ? algorithmIdentifier(signatureAlgorithm(subjectKey, random), random)
                : signatureId);
        certificate.add(random.nextInt(20) == 0 ? new DERBitString(signature, 1 + random.nextInt(7))
                : new DERBitString(signature));
        return new DERSequence(certificate).getEncoded(ASN1Encoding.DER);
    }

    private static BigInteger serial(SplittableRandom random) {
        return switch (random.nextInt(10)) {
            case 0 -> BigInteger.ZERO;
            case 1 -> BigInteger.valueOf(-1 - random.nextInt(1000));
            case 2 -> new BigInteger(168, new java.util.Random(random.nextLong())).setBit(167);
            case 3 -> BigInteger.valueOf(random.nextInt(256));
            default -> new BigInteger(1 + random.nextInt(159), new java.util.Random(random.nextLong()))
                    .add(BigInteger.ONE);
        };
    }

    private static Time time(SplittableRandom random) {
        long seconds = random.nextInt(8) == 0 ? random.nextLong(-631_152_000L, 253_402_300_799L)
                : random.nextLong(-631_152_000L, 2_524_608_000L);
        Date date = Date.from(Instant.ofEpochSecond(seconds));
        if (random.nextInt(10) == 0) {
            return new Time(new DERGeneralizedTime(date));
        }
        int year = Instant.ofEpochSecond(seconds).atZone(java.time.ZoneOffset.UTC).getYear();
        return year >= 1950 && year < 2050 ? new Time(new DERUTCTime(date))
                : new Time(new DERGeneralizedTime(date));
    }

    static X500Name name(SplittableRandom random, boolean mayBeEmpty) {
        int count = mayBeEmpty && random.nextInt(10) == 0 ? 0 : 1 + random.nextInt(4);
        RDN[] rdns = new RDN[count];
        for (int i = 0; i < count; i++) {
            int size = random.nextInt(5) == 0 ? 2 + random.nextInt(2) : 1;
            AttributeTypeAndValue[] values = new AttributeTypeAndValue[size];
            for (int j = 0; j < size; j++) {
                values[j] = new AttributeTypeAndValue(new ASN1ObjectIdentifier(TYPES[random.nextInt(TYPES.length)]),
                        value(random));
            }
            rdns[i] = size == 1 ? new RDN(values[0]) : new RDN(values);
        }
        return new X500Name(rdns);
    }

    private static ASN1Encodable value(SplittableRandom random) {
        String text = text(random, TEXT);
        String ascii = text(random, PRINTABLE);
        return switch (random.nextInt(16)) {
            case 0 -> new DERPrintableString(ascii);
            case 1 -> new DERIA5String(ascii);
            case 2 -> new DERBMPString(text.replaceAll("[\ud800-\udfff]", "x"));
            case 3 -> new DERT61String(bytes(random, 0, 6));
            case 4 -> new DERUniversalString(bytes(random, 0, 8));
            case 5 -> new DERVisibleString(ascii);
            case 6 -> new DERNumericString(String.valueOf(random.nextInt(100000)));
            case 7 -> new DEROctetString(bytes(random, 0, 5));
            case 8 -> new ASN1Integer(random.nextLong());
            case 9 -> new DERSequence(new DERUTF8String(text));
            case 10 -> new DERBitString(bytes(random, 1, 3), random.nextInt(3));
            default -> new DERUTF8String(text);
        };
    }

    private static String text(SplittableRandom random, String alphabet) {
        int length = random.nextInt(12);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < length; i++) {
            int at = random.nextInt(alphabet.length());
            char c = alphabet.charAt(at);
            if (Character.isHighSurrogate(c)) {
                out.append(c).append(alphabet.charAt(at + 1));
            } else if (!Character.isLowSurrogate(c)) {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static byte[] bytes(SplittableRandom random, int length) {
        return bytes(random, length, length);
    }

    private static byte[] bytes(SplittableRandom random, int min, int max) {
        byte[] bytes = new byte[min + random.nextInt(max - min + 1)];
        random.nextBytes(bytes);
        return bytes;
    }

    private static SubjectPublicKeyInfo publicKeyInfo(KeyPair key, SplittableRandom random) throws IOException {
        SubjectPublicKeyInfo info = SubjectPublicKeyInfo.getInstance(key.getPublic().getEncoded());
        if (key == DSA && random.nextBoolean()) {
            // A DSA key that inherits its parameters from its issuer (RFC 5280 6.1.4).
            return new SubjectPublicKeyInfo(new AlgorithmIdentifier(info.getAlgorithm().getAlgorithm()),
                    info.parsePublicKey());
        }
        return info;
    }

    private static List<Extension> extensions(SplittableRandom random, X500Name subject, KeyPair key)
            throws IOException {
        List<Extension> out = new ArrayList<>();
        if (random.nextInt(3) == 0) {
            BasicConstraints constraints = random.nextBoolean() ? new BasicConstraints(random.nextBoolean())
                    : new BasicConstraints(random.nextInt(5));
            out.add(extension(Extension.basicConstraints, random.nextBoolean(), constraints));
        }
        if (random.nextInt(4) != 0) {
            out.add(extension(Extension.keyUsage, random.nextBoolean(), new KeyUsage(random.nextInt(1 << 16))));
        }
        if (random.nextInt(3) != 0) {
            out.add(extension(Extension.subjectKeyIdentifier, random.nextInt(8) == 0,
                    new SubjectKeyIdentifier(bytes(random, 0, 20))));
        }
        if (random.nextInt(3) != 0) {
            AuthorityKeyIdentifier aki = switch (random.nextInt(4)) {
                case 0 -> new AuthorityKeyIdentifier((byte[]) null,
                        new GeneralNames(new GeneralName(name(random, false))),
                        BigInteger.valueOf(random.nextInt(1000) + 1));
                case 1 -> AuthorityKeyIdentifier.getInstance(new DERSequence());
                default -> new AuthorityKeyIdentifier(bytes(random, 0, 20));
            };
            out.add(extension(Extension.authorityKeyIdentifier, random.nextInt(8) == 0, aki));
        }
        if (random.nextInt(3) != 0) {
            out.add(extension(Extension.subjectAlternativeName, subject.getRDNs().length == 0 || random.nextBoolean(),
                    generalNames(random, 0)));
        }
        if (random.nextInt(10) == 0) {
            out.add(extension(Extension.issuerAlternativeName, false, generalNames(random, 1)));
        }
        if (random.nextInt(4) == 0) {
            KeyPurposeId[] purposes = new KeyPurposeId[1 + random.nextInt(3)];
            for (int i = 0; i < purposes.length; i++) {
                purposes[i] = KeyPurposeId.getInstance(new ASN1ObjectIdentifier("1.3.6.1.5.5.7.3." + (1 + random
                        .nextInt(9))));
            }
            out.add(extension(Extension.extendedKeyUsage, random.nextBoolean(), new ExtendedKeyUsage(purposes)));
        }
        if (random.nextInt(8) == 0) {
            GeneralSubtree[] permitted = random.nextBoolean() ? subtrees(random) : null;
            GeneralSubtree[] excluded = random.nextBoolean() || permitted == null ? subtrees(random) : null;
            out.add(extension(Extension.nameConstraints, random.nextInt(4) != 0,
                    new NameConstraints(permitted, excluded)));
        }
        if (random.nextInt(5) == 0) {
            DistributionPoint[] points = new DistributionPoint[1 + random.nextInt(2)];
            for (int i = 0; i < points.length; i++) {
                points[i] = distributionPoint(random);
            }
            out.add(extension(Extension.cRLDistributionPoints, random.nextInt(6) == 0, new CRLDistPoint(points)));
        }
        if (random.nextInt(6) == 0) {
            ASN1EncodableVector qualifiers = new ASN1EncodableVector();
            if (random.nextBoolean()) {
                qualifiers.add(new PolicyQualifierInfo("https://cps.example/" + random.nextInt(9)));
            }
            if (random.nextBoolean()) {
                qualifiers.add(new PolicyQualifierInfo(PolicyQualifierId.id_qt_unotice, new UserNotice(null,
                        new DisplayText(random.nextInt(4), text(random, TEXT).replaceAll("[\ud800-\udfff]", "")))));
            }
            PolicyInformation policy = qualifiers.size() == 0
                    ? new PolicyInformation(new ASN1ObjectIdentifier("2.16.840.1.101.3.2.1.48." + random.nextInt(9)))
                    : new PolicyInformation(new ASN1ObjectIdentifier("2.23.140.1.2." + random.nextInt(3)),
                    new DERSequence(qualifiers));
            out.add(extension(Extension.certificatePolicies, random.nextBoolean(), new CertificatePolicies(policy)));
        }
        if (random.nextInt(6) == 0) {
            out.add(extension(Extension.authorityInfoAccess, random.nextInt(6) == 0, new AuthorityInformationAccess(
                    new AccessDescription(random.nextBoolean() ? X509ObjectIdentifiers.ocspAccessMethod
                            : X509ObjectIdentifiers.crlAccessMethod, new GeneralName(
                            GeneralName.uniformResourceIdentifier, "http://ocsp.example/" + random.nextInt(99))))));
        }
        if (random.nextInt(8) == 0) {
            // A known extension certgate does not interpret, holding any DER: checked, never read.
            out.add(extension(Extension.subjectDirectoryAttributes, random.nextInt(4) == 0, anyDer(random, 0)));
        }
        if (random.nextInt(10) == 0) {
            out.add(extension(Extension.inhibitAnyPolicy, random.nextBoolean(), new ASN1Integer(random.nextInt(3))));
        }
        if (random.nextInt(8) == 0) {
            // An extension certgate does not know, with a value that need not be DER.
            out.add(new Extension(new ASN1ObjectIdentifier("1.3.6.1.4.1.99999." + random.nextInt(5)),
                    random.nextBoolean(), new DEROctetString(bytes(random, 0, 6))));
        }
        if (random.nextInt(12) == 0) {
            out.add(extension(new ASN1ObjectIdentifier("2.5.29.16"), random.nextBoolean(), new DERSequence()));
        }
        // Extensions in a random order, none twice.
        for (int i = out.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            Extension swap = out.get(i);
            out.set(i, out.get(j));
            out.set(j, swap);
        }
        return out;
    }

    private static Extension extension(ASN1ObjectIdentifier oid, boolean critical, ASN1Encodable value)
            throws IOException {
        return new Extension(oid, critical, new DEROctetString(value.toASN1Primitive().getEncoded(ASN1Encoding.DER)));
    }

    private static GeneralNames generalNames(SplittableRandom random, int min) {
        int count = min + random.nextInt(4);
        GeneralName[] names = new GeneralName[count];
        for (int i = 0; i < count; i++) {
            names[i] = switch (random.nextInt(9)) {
                case 0 -> new GeneralName(GeneralName.rfc822Name, text(random, "abc@.xyz") + "@example.com");
                case 1 -> new GeneralName(GeneralName.iPAddress, new DEROctetString(bytes(random,
                        random.nextBoolean() ? 4 : 16)));
                case 2 -> new GeneralName(GeneralName.uniformResourceIdentifier,
                        "https://x.example/" + random.nextInt(9));
                case 3 -> new GeneralName(name(random, false));
                case 4 -> new GeneralName(GeneralName.otherName, new OtherName(
                        new ASN1ObjectIdentifier("1.3.6.1.4.1.311.20.2.3"), new DERUTF8String(text(random, TEXT))));
                case 5 -> new GeneralName(GeneralName.registeredID,
                        new ASN1ObjectIdentifier("1.2.3." + random.nextInt(99)));
                default -> new GeneralName(GeneralName.dNSName, text(random, "abcxyz019-.*") + ".example");
            };
        }
        return new GeneralNames(names);
    }

    private static DistributionPoint distributionPoint(SplittableRandom random) {
        DistributionPointName name = null;
        if (random.nextInt(4) != 0) {
            name = random.nextInt(5) == 0
                    ? new DistributionPointName(DistributionPointName.NAME_RELATIVE_TO_CRL_ISSUER,
                    name(random, false).getRDNs()[0].toASN1Primitive())
                    : new DistributionPointName(random.nextBoolean() ? generalNames(random, 1)
                    : new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier,
                    "http://crl.example/" + random.nextInt(9) + ".crl")));
        }
        ReasonFlags reasons = random.nextInt(5) == 0 ? new ReasonFlags(random.nextInt(1 << 9)) : null;
        GeneralNames issuer = random.nextInt(5) == 0 || name == null ? generalNames(random, 1) : null;
        return new DistributionPoint(name, reasons, issuer);
    }

    /** Any DER value: the common types and some rarer ones, nested. */
    private static ASN1Encodable anyDer(SplittableRandom random, int depth) {
        int choice = random.nextInt(depth > 3 ? 14 : 18);
        return switch (choice) {
            case 0 -> ASN1Boolean.getInstance(random.nextBoolean());
            case 1 -> new ASN1Integer(random.nextLong() >> random.nextInt(64));
            case 2 -> new DERBitString(bytes(random, 0, 4), 0);
            case 3 -> new DEROctetString(bytes(random, 0, 4));
            case 4 -> DERNull.INSTANCE;
            case 5 -> new ASN1ObjectIdentifier("1.2." + random.nextInt(1 << 20));
            case 6 -> new DERUTF8String(text(random, TEXT));
            case 7 -> new DERPrintableString(text(random, PRINTABLE));
            case 8 -> new DERIA5String(text(random, PRINTABLE));
            case 9 -> new ASN1Enumerated(random.nextInt(300));
            case 10 -> new DERUTCTime(Date.from(Instant.ofEpochSecond(random.nextLong(0, 2_000_000_000L))));
            case 11 -> new DERBMPString(text(random, PRINTABLE));
            case 12 -> new DERTaggedObject(false, random.nextInt(5), new DEROctetString(bytes(random, 0, 3)));
            case 13 -> new DERT61String(bytes(random, 0, 3));
            case 14 -> new DERTaggedObject(random.nextBoolean(), random.nextInt(5), anyDer(random, depth + 1));
            case 15 -> new DERTaggedObject(true, BERTags.APPLICATION, random.nextInt(3), anyDer(random, depth + 1));
            case 16 -> new DERSet(new ASN1Encodable[] {anyDer(random, depth + 1), anyDer(random, depth + 1)});
            default -> {
                ASN1EncodableVector elements = new ASN1EncodableVector();
                for (int i = random.nextInt(4); i > 0; i--) {
                    elements.add(anyDer(random, depth + 1));
                }
                yield new DERSequence(elements);
            }
        };
    }

    private static GeneralSubtree[] subtrees(SplittableRandom random) {
        GeneralSubtree[] subtrees = new GeneralSubtree[1 + random.nextInt(2)];
        for (int i = 0; i < subtrees.length; i++) {
            GeneralName base = switch (random.nextInt(4)) {
                case 0 -> new GeneralName(name(random, false));
                case 1 -> new GeneralName(GeneralName.iPAddress, new DEROctetString(bytes(random, 8, 8)));
                case 2 -> new GeneralName(GeneralName.rfc822Name, "example.com");
                default -> new GeneralName(GeneralName.dNSName, "example." + random.nextInt(9));
            };
            subtrees[i] = random.nextInt(10) == 0 ? new GeneralSubtree(base, BigInteger.ONE, null)
                    : new GeneralSubtree(base);
        }
        return subtrees;
    }

    private static String signatureAlgorithm(KeyPair key, SplittableRandom random) {
        return switch (key.getPublic().getAlgorithm()) {
            case "RSA" -> new String[] {"SHA256withRSA", "SHA384withRSA", "SHA1withRSA", "PSS"}[random.nextInt(4)];
            case "EC" -> random.nextBoolean() ? "SHA256withECDSA" : "SHA384withECDSA";
            case "DSA" -> "SHA256withDSA";
            default -> "Ed25519";
        };
    }

    private static AlgorithmIdentifier algorithmIdentifier(String algorithm, SplittableRandom random) {
        return switch (algorithm) {
            case "SHA256withRSA" -> rsa(PKCSObjectIdentifiers.sha256WithRSAEncryption, random);
            case "SHA384withRSA" -> rsa(PKCSObjectIdentifiers.sha384WithRSAEncryption, random);
            case "SHA1withRSA" -> rsa(PKCSObjectIdentifiers.sha1WithRSAEncryption, random);
            case "PSS" -> {
                AlgorithmIdentifier sha256 = new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256, DERNull.INSTANCE);
                yield new AlgorithmIdentifier(PKCSObjectIdentifiers.id_RSASSA_PSS, new RSASSAPSSparams(sha256,
                        new AlgorithmIdentifier(PKCSObjectIdentifiers.id_mgf1, sha256), new ASN1Integer(32),
                        new ASN1Integer(1)));
            }
            case "SHA256withECDSA" -> new AlgorithmIdentifier(new ASN1ObjectIdentifier("1.2.840.10045.4.3.2"));
            case "SHA384withECDSA" -> new AlgorithmIdentifier(new ASN1ObjectIdentifier("1.2.840.10045.4.3.3"));
            case "SHA256withDSA" -> new AlgorithmIdentifier(NISTObjectIdentifiers.dsa_with_sha256);
            default -> new AlgorithmIdentifier(new ASN1ObjectIdentifier("1.3.101.112"));
        };
    }

    /** PKCS#1 v1.5 with NULL parameters, or now and then without (RFC 4055 allows both on reading). */
    private static AlgorithmIdentifier rsa(ASN1ObjectIdentifier oid, SplittableRandom random) {
        return random.nextInt(8) == 0 ? new AlgorithmIdentifier(oid) : new AlgorithmIdentifier(oid, DERNull.INSTANCE);
    }

    private static byte[] sign(String algorithm, KeyPair key, byte[] tbs) throws GeneralSecurityException {
        Signature signature;
        if (algorithm.equals("PSS")) {
            signature = Signature.getInstance("RSASSA-PSS");
            signature.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
        } else {
            signature = Signature.getInstance(algorithm);
        }
        signature.initSign(key.getPrivate());
        signature.update(tbs);
        return signature.sign();
    }

    private static KeyPair dsa() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("DSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
