package certgate.engine.x509;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/**
 * An X.509 certificate read once, strictly, with everything path validation asks about it precomputed: names
 * with their comparison keys, validity as instants, the decoded public key, every extension certgate knows,
 * and the RFC 5280 profile rules it breaks whatever its place in a path. Immutable; equal by SHA-256.
 *
 * <p>Strict means: at most {@link #MAX_BYTES}, DER only (every element in its one canonical encoding, so a
 * changed byte can never leave an equal certificate), times in the RFC 5280 forms, no duplicate extension, and
 * every extension certgate interprets well-formed. {@link CertificateReader} reads the bytes in one pass and
 * lists the rules; the BouncyCastle views ({@link #subjectX500()}, {@link #publicKeyInfo()}, ...) are made from
 * the byte ranges on first use.
 */
public final class ParsedCertificate {
    public static final int MAX_BYTES = 128 * 1024;

    public static final String BASIC_CONSTRAINTS = "2.5.29.19";
    public static final String KEY_USAGE = "2.5.29.15";
    public static final String EXT_KEY_USAGE = "2.5.29.37";
    public static final String SUBJECT_ALT_NAME = "2.5.29.17";
    public static final String ISSUER_ALT_NAME = "2.5.29.18";
    public static final String NAME_CONSTRAINTS = "2.5.29.30";
    public static final String CRL_DISTRIBUTION_POINTS = "2.5.29.31";
    public static final String CERTIFICATE_POLICIES = "2.5.29.32";
    public static final String POLICY_MAPPINGS = "2.5.29.33";
    public static final String AUTHORITY_KEY_ID = "2.5.29.35";
    public static final String POLICY_CONSTRAINTS = "2.5.29.36";
    public static final String SUBJECT_KEY_ID = "2.5.29.14";
    public static final String SUBJECT_DIRECTORY_ATTRIBUTES = "2.5.29.9";
    public static final String FRESHEST_CRL = "2.5.29.46";
    public static final String INHIBIT_ANY_POLICY = "2.5.29.54";
    public static final String AUTHORITY_INFO_ACCESS = "1.3.6.1.5.5.7.1.1";
    public static final String SUBJECT_INFO_ACCESS = "1.3.6.1.5.5.7.1.11";
    static final String EMAIL_ADDRESS = "1.2.840.113549.1.9.1";

    /** basicConstraints as found. */
    public record Basic(boolean ca, Optional<Integer> pathLen, boolean critical) {
    }

    /** A nameConstraints extension: the subtrees' bases, sorted by form. */
    public record Constraints(AltNames permitted, AltNames excluded, boolean critical) {
    }

    private final byte[] der;
    private final Sha256 sha256;
    private final int version;
    private final BigInteger serial;
    private final Names.Name subject;
    private final Names.Name issuer;
    /** Where the names, the outer AlgorithmIdentifier and the SPKI lie in {@link #der}, for the lazy views. */
    private final int subjectStart;
    private final int subjectEnd;
    private final int issuerStart;
    private final int issuerEnd;
    private final int algorithmStart;
    private final int algorithmEnd;
    private volatile X500Name subjectX500;
    private volatile X500Name issuerX500;
    private volatile AlgorithmIdentifier signatureAlgorithmId;
    private volatile SubjectPublicKeyInfo publicKeyInfo;
    private final String serialHex;
    private volatile String label;
    private final Instant notBefore;
    private final Instant notAfter;
    private final SignatureAlgorithm.Lookup signatureAlgorithm;
    private final boolean signatureAlgorithmsMatch;
    private final int tbsStart;
    private final int tbsEnd;
    private final byte[] signature;
    private final Optional<String> signatureProblem;
    private volatile PublicKeys.Decoded publicKey;
    /** Where the SPKI lies in {@link #der}: keys are compared as bytes, never re-encoded per path step. */
    private final int spkiStart;
    private final int spkiEnd;
    private final Optional<Basic> basic;
    private final int keyUsage;
    private final boolean hasKeyUsage;
    private final int subjectKeyIdStart;
    private final int subjectKeyIdEnd;
    private volatile Optional<String> subjectKeyId;
    private final Optional<String> authorityKeyId;
    private final boolean sanPresent;
    private final AltNames altNames;
    private final Optional<Constraints> nameConstraints;
    private final int crlDistributionPointsStart;
    private final int crlDistributionPointsEnd;
    private volatile Optional<CRLDistPoint> crlDistributionPoints;
    private final PolicyExtensions.Ranges policyRanges;
    private volatile PolicyExtensions policyExtensions;
    private final Optional<List<String>> extendedKeyUsage;
    private final boolean extendedKeyUsageCritical;
    private final List<String> unknownCriticalExtensions;
    private final List<String> profileProblems;
    private final Optional<String> serialProblem;
    private final List<String> subjectEmails;
    private volatile Boolean selfIssued;

    private ParsedCertificate(CertificateReader r) {
        this.der = r.der;
        this.sha256 = r.sha256;
        this.version = r.version;
        this.serial = r.serial;
        this.subject = r.subject;
        this.issuer = r.issuer;
        this.subjectStart = r.subjectStart;
        this.subjectEnd = r.subjectEnd;
        this.issuerStart = r.issuerStart;
        this.issuerEnd = r.issuerEnd;
        this.algorithmStart = r.algorithmStart;
        this.algorithmEnd = r.algorithmEnd;
        this.serialHex = r.serialHex;
        this.notBefore = r.notBefore;
        this.notAfter = r.notAfter;
        this.signatureAlgorithm = r.signatureAlgorithm;
        this.signatureAlgorithmsMatch = r.signatureAlgorithmsMatch;
        this.tbsStart = r.tbsStart;
        this.tbsEnd = r.tbsEnd;
        this.signature = r.signature;
        this.signatureProblem = r.signatureProblem;
        this.spkiStart = r.spkiStart;
        this.spkiEnd = r.spkiEnd;
        this.basic = r.basic;
        this.keyUsage = r.keyUsage;
        this.hasKeyUsage = r.hasKeyUsage;
        this.subjectKeyIdStart = r.subjectKeyIdStart;
        this.subjectKeyIdEnd = r.subjectKeyIdEnd;
        this.authorityKeyId = r.authorityKeyId;
        this.sanPresent = r.sanPresent;
        this.altNames = r.altNames;
        this.nameConstraints = r.nameConstraints;
        this.crlDistributionPointsStart = r.crlDistributionPointsStart;
        this.crlDistributionPointsEnd = r.crlDistributionPointsEnd;
        this.crlDistributionPoints = r.crlDistributionPoints.isPresent() ? r.crlDistributionPoints : null;
        int[] p = r.policyRanges;
        this.policyRanges = p[0] < 0 && p[2] < 0 && p[4] < 0 && p[6] < 0 ? PolicyExtensions.Ranges.ABSENT
                : new PolicyExtensions.Ranges(p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7]);
        this.extendedKeyUsage = r.extendedKeyUsage;
        this.extendedKeyUsageCritical = r.extendedKeyUsageCritical;
        this.unknownCriticalExtensions = List.copyOf(r.unknownCritical);
        this.profileProblems = List.copyOf(r.problems);
        this.serialProblem = r.serialProblem;
        this.subjectEmails = List.copyOf(r.subjectEmails);
    }

    /** Reads {@code der} strictly; the exception says what is wrong. */
    public static ParsedCertificate parse(byte[] der) throws CertificateFormatException {
        return parse(der, Sha256.of(der));
    }

    /** As {@link #parse(byte[])}, with the digest of {@code der} already known. */
    public static ParsedCertificate parse(byte[] der, Sha256 sha256) throws CertificateFormatException {
        return parse(der, sha256, CertificateReader.DIRECT);
    }

    /** As {@link #parse(byte[], Sha256)}, converting names through {@code names} (which may intern them). */
    static ParsedCertificate parse(byte[] der, Sha256 sha256, CertificateReader.NameSource names)
            throws CertificateFormatException {
        if (der.length > MAX_BYTES) {
            throw new CertificateFormatException("certificate of " + der.length + " bytes is larger than the "
                    + MAX_BYTES + " bytes accepted");
        }
        if (der.length == 0) {
            throw new CertificateFormatException("empty input is not a certificate");
        }
        CertificateReader reader = new CertificateReader(der.clone(), sha256, names);
        try {
            reader.read();
        } catch (RuntimeException e) {
            // Every rule is checked explicitly; this is a guard, so that no input escapes as another exception.
            throw new CertificateFormatException("not an X.509 certificate: " + e);
        }
        return new ParsedCertificate(reader);
    }

    /** RFC 5280 4.1.2.5: YYMMDDHHMMSSZ or YYYYMMDDHHMMSSZ, nothing else. Also used for CRL times. */
    public static Instant parseTime(String text, int yearDigits, String field) throws CertificateFormatException {
        int length = yearDigits + 11;
        if (text.length() != length || text.charAt(length - 1) != 'Z') {
            throw new CertificateFormatException(field + " '" + text + "' is not in the form "
                    + (yearDigits == 2 ? "YYMMDDHHMMSSZ" : "YYYYMMDDHHMMSSZ"));
        }
        for (int i = 0; i < length - 1; i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                throw new CertificateFormatException(field + " '" + text + "' has a non-digit");
            }
        }
        int year = Integer.parseInt(text.substring(0, yearDigits));
        if (yearDigits == 2) {
            year += year >= 50 ? 1900 : 2000;
        }
        int at = yearDigits;
        try {
            return LocalDateTime.of(year, two(text, at), two(text, at + 2), two(text, at + 4), two(text, at + 6),
                    two(text, at + 8)).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            throw new CertificateFormatException(field + " '" + text + "' is not a valid date and time");
        }
    }

    private static int two(String text, int at) {
        return Integer.parseInt(text.substring(at, at + 2));
    }

    /** A readable name for an extension OID in messages. */
    public static String name(String oid) {
        return switch (oid) {
            case BASIC_CONSTRAINTS -> "basicConstraints";
            case KEY_USAGE -> "keyUsage";
            case EXT_KEY_USAGE -> "extKeyUsage";
            case SUBJECT_ALT_NAME -> "subjectAltName";
            case ISSUER_ALT_NAME -> "issuerAltName";
            case NAME_CONSTRAINTS -> "nameConstraints";
            case CRL_DISTRIBUTION_POINTS -> "cRLDistributionPoints";
            case CERTIFICATE_POLICIES -> "certificatePolicies";
            case POLICY_MAPPINGS -> "policyMappings";
            case AUTHORITY_KEY_ID -> "authorityKeyIdentifier";
            case POLICY_CONSTRAINTS -> "policyConstraints";
            case SUBJECT_KEY_ID -> "subjectKeyIdentifier";
            case SUBJECT_DIRECTORY_ATTRIBUTES -> "subjectDirectoryAttributes";
            case FRESHEST_CRL -> "freshestCRL";
            case INHIBIT_ANY_POLICY -> "inhibitAnyPolicy";
            case AUTHORITY_INFO_ACCESS -> "authorityInfoAccess";
            case SUBJECT_INFO_ACCESS -> "subjectInfoAccess";
            default -> oid;
        };
    }

    public byte[] der() {
        return der.clone();
    }

    public int length() {
        return der.length;
    }

    public Sha256 sha256() {
        return sha256;
    }

    public int version() {
        return version;
    }

    public BigInteger serial() {
        return serial;
    }

    /** The serial in hex as people read it (two's complement bytes, as the DER holds them). */
    public String serialHex() {
        return serialHex;
    }

    /** How traces name this certificate: subject and serial. */
    public String label() {
        String text = label;
        if (text == null) {
            text = "'" + subject.text() + "' (serial " + serialHex + ")";
            label = text;
        }
        return text;
    }

    public Names.Name subject() {
        return subject;
    }

    public Names.Name issuer() {
        return issuer;
    }

    /** The subject as BouncyCastle holds it (ASN.1 order), to build names relative to it; made on first use. */
    public X500Name subjectX500() {
        X500Name name = subjectX500;
        if (name == null) {
            name = X500Name.getInstance(bouncyCastle(subjectStart, subjectEnd));
            subjectX500 = name;
        }
        return name;
    }

    /** The issuer as BouncyCastle holds it; made on first use. */
    public X500Name issuerX500() {
        X500Name name = issuerX500;
        if (name == null) {
            name = X500Name.getInstance(bouncyCastle(issuerStart, issuerEnd));
            issuerX500 = name;
        }
        return name;
    }

    public Instant notBefore() {
        return notBefore;
    }

    public Instant notAfter() {
        return notAfter;
    }

    /** The outer signatureAlgorithm as BouncyCastle holds it; made on first use. */
    public AlgorithmIdentifier signatureAlgorithmId() {
        AlgorithmIdentifier identifier = signatureAlgorithmId;
        if (identifier == null) {
            identifier = AlgorithmIdentifier.getInstance(bouncyCastle(algorithmStart, algorithmEnd));
            signatureAlgorithmId = identifier;
        }
        return identifier;
    }

    public SignatureAlgorithm.Lookup signatureAlgorithm() {
        return signatureAlgorithm;
    }

    /** The outer signatureAlgorithm equals the one inside the signed part (RFC 5280 4.1.1.2). */
    public boolean signatureAlgorithmsMatch() {
        return signatureAlgorithmsMatch;
    }

    /** The signed bytes, read-only. */
    public ByteBuffer tbs() {
        return ByteBuffer.wrap(der, tbsStart, tbsEnd - tbsStart).slice().asReadOnlyBuffer();
    }

    public byte[] signature() {
        return signature.clone();
    }

    /** Why the signature value cannot be a signature at all (it does not verify, whatever the key). */
    public Optional<String> signatureProblem() {
        return signatureProblem;
    }

    /** The SubjectPublicKeyInfo as BouncyCastle holds it; made on first use. */
    public SubjectPublicKeyInfo publicKeyInfo() {
        SubjectPublicKeyInfo info = publicKeyInfo;
        if (info == null) {
            info = SubjectPublicKeyInfo.getInstance(bouncyCastle(spkiStart, spkiEnd));
            publicKeyInfo = info;
        }
        return info;
    }

    /** A part of {@link #der}, already read strictly, as a BouncyCastle object. */
    private ASN1Primitive bouncyCastle(int from, int to) {
        try {
            return ASN1Primitive.fromByteArray(Arrays.copyOfRange(der, from, to));
        } catch (IOException e) {
            throw new IllegalStateException("a part of a certificate read strictly cannot be read again", e);
        }
    }

    /** The decoded key, decoded on first use: a peer's key is never needed to validate its path. */
    public PublicKeys.Decoded publicKey() {
        PublicKeys.Decoded decoded = publicKey;
        if (decoded == null) {
            decoded = PublicKeys.decode(publicKeyInfo());
            publicKey = decoded;
        }
        return decoded;
    }

    /** The SPKI's DER, to compare keys (canonical DER: equal bytes exactly when equal structures). */
    public boolean sameKeyAs(ParsedCertificate other) {
        return this == other || Arrays.equals(der, spkiStart, spkiEnd, other.der, other.spkiStart, other.spkiEnd);
    }

    public Optional<Basic> basicConstraints() {
        return basic;
    }

    /** cA asserted in basicConstraints. */
    public boolean isCa() {
        return basic.map(Basic::ca).orElse(false);
    }

    public boolean hasKeyUsage() {
        return hasKeyUsage;
    }

    /** Whether keyUsage is present and asserts all of {@code usages} (BouncyCastle {@link KeyUsage} bits). */
    public boolean keyUsageAllows(int usages) {
        return hasKeyUsage && (keyUsage & usages) == usages;
    }

    /** The subjectKeyIdentifier in hex; made on first use. */
    public Optional<String> subjectKeyId() {
        Optional<String> id = subjectKeyId;
        if (id == null) {
            id = subjectKeyIdStart < 0 ? Optional.empty()
                    : Optional.of(CertificateReader.hex(der, subjectKeyIdStart, subjectKeyIdEnd));
            subjectKeyId = id;
        }
        return id;
    }

    public Optional<String> authorityKeyId() {
        return authorityKeyId;
    }

    public boolean hasSubjectAltName() {
        return sanPresent;
    }

    public AltNames altNames() {
        return altNames;
    }

    public Optional<Constraints> nameConstraints() {
        return nameConstraints;
    }

    /** cRLDistributionPoints as BouncyCastle holds it; made on first use when the reader did not need it. */
    public Optional<CRLDistPoint> crlDistributionPoints() {
        Optional<CRLDistPoint> points = crlDistributionPoints;
        if (points == null) {
            points = crlDistributionPointsStart < 0 ? Optional.empty() : Optional.of(CRLDistPoint.getInstance(
                    bouncyCastle(crlDistributionPointsStart, crlDistributionPointsEnd)));
            crlDistributionPoints = points;
        }
        return points;
    }

    /** certificatePolicies, policyMappings, policyConstraints and inhibitAnyPolicy; read on first use. */
    public PolicyExtensions policyExtensions() {
        PolicyExtensions extensions = policyExtensions;
        if (extensions == null) {
            extensions = PolicyExtensions.read(der, policyRanges);
            policyExtensions = extensions;
        }
        return extensions;
    }

    public Optional<List<String>> extendedKeyUsage() {
        return extendedKeyUsage;
    }

    public boolean extendedKeyUsageCritical() {
        return extendedKeyUsageCritical;
    }

    public List<String> unknownCriticalExtensions() {
        return unknownCriticalExtensions;
    }

    /** RFC 5280 profile rules broken whatever the certificate's place in a path. */
    public List<String> profileProblems() {
        return profileProblems;
    }

    /** RFC 5280 4.1.2.2: a positive serial of at most 20 octets; what is wrong with this one, if anything. */
    public Optional<String> serialProblem() {
        return serialProblem;
    }

    /** emailAddress attributes of the subject (name constraints on rfc822Name apply to them too). */
    public List<String> subjectEmails() {
        return subjectEmails;
    }

    /** Subject and issuer are the same name (RFC 5280 6.1: such certificates do not count toward path length). */
    public boolean selfIssued() {
        Boolean value = selfIssued;
        if (value == null) {
            value = subject.sameAs(issuer);
            selfIssued = value;
        }
        return value;
    }

    /** Self-issued and its signature verifies with its own key: a root. */
    public boolean selfSigned(VerificationCache cache) {
        return selfIssued() && cache.verifiesSelf(this);
    }

    @Override
    public boolean equals(Object other) {
        return this == other || other instanceof ParsedCertificate certificate && certificate.sha256.equals(sha256);
    }

    @Override
    public int hashCode() {
        return sha256.hashCode();
    }

    @Override
    public String toString() {
        return subject.text() + " [serial " + serialHex() + ", sha256 " + sha256.shortHex() + "]";
    }
}
