package certgate.engine.x509;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1UTCTime;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.Time;

/**
 * An X.509 certificate read once, strictly, with everything path validation asks about it precomputed: names
 * with their comparison keys, validity as instants, the decoded public key, every extension certgate knows,
 * and the RFC 5280 profile rules it breaks whatever its place in a path. Immutable; equal by SHA-256.
 *
 * <p>Strict means: at most {@link #MAX_BYTES}, DER only (the bytes must be exactly the re-encoding of what was
 * parsed, so a changed byte can never leave an equal certificate), times in the RFC 5280 forms, no duplicate
 * extension, and every extension certgate interprets well-formed.
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

    /** Extensions certgate processes, or accepts as critical without processing (the policy extensions). */
    private static final Set<String> UNDERSTOOD_WHEN_CRITICAL = Set.of(BASIC_CONSTRAINTS, KEY_USAGE, EXT_KEY_USAGE,
            SUBJECT_ALT_NAME, ISSUER_ALT_NAME, NAME_CONSTRAINTS, CRL_DISTRIBUTION_POINTS, CERTIFICATE_POLICIES,
            POLICY_MAPPINGS, POLICY_CONSTRAINTS, INHIBIT_ANY_POLICY);
    /** RFC 5280 4.2.1.x: conforming CAs MUST mark these non-critical. */
    private static final Set<String> MUST_BE_NON_CRITICAL = Set.of(AUTHORITY_KEY_ID, SUBJECT_KEY_ID,
            AUTHORITY_INFO_ACCESS, SUBJECT_INFO_ACCESS, SUBJECT_DIRECTORY_ATTRIBUTES, FRESHEST_CRL);
    /** RFC 5280 4.2.1.10, 4.2.1.11, 4.2.1.14: conforming CAs MUST mark these critical. */
    private static final Set<String> MUST_BE_CRITICAL = Set.of(NAME_CONSTRAINTS, POLICY_CONSTRAINTS,
            INHIBIT_ANY_POLICY);

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
    private final X500Name subjectX500;
    private final X500Name issuerX500;
    private final String serialHex;
    private volatile String label;
    private final Instant notBefore;
    private final Instant notAfter;
    private final AlgorithmIdentifier signatureAlgorithmId;
    private final SignatureAlgorithm.Lookup signatureAlgorithm;
    private final boolean signatureAlgorithmsMatch;
    private final int tbsStart;
    private final int tbsEnd;
    private final byte[] signature;
    private final Optional<String> signatureProblem;
    private final SubjectPublicKeyInfo publicKeyInfo;
    private volatile PublicKeys.Decoded publicKey;
    /** Where the SPKI lies in {@link #der}: keys are compared as bytes, never re-encoded per path step. */
    private final int spkiStart;
    private final int spkiEnd;
    private final Optional<Basic> basic;
    private final int keyUsage;
    private final boolean hasKeyUsage;
    private final Optional<String> subjectKeyId;
    private final Optional<String> authorityKeyId;
    private final boolean sanPresent;
    private final AltNames altNames;
    private final Optional<Constraints> nameConstraints;
    private final Optional<CRLDistPoint> crlDistributionPoints;
    private final Optional<List<String>> extendedKeyUsage;
    private final boolean extendedKeyUsageCritical;
    private final List<String> unknownCriticalExtensions;
    private final List<String> profileProblems;
    private final Optional<String> serialProblem;
    private final List<String> subjectEmails;
    private volatile Boolean selfIssued;
    /** Results remembered for paths starting here, key and value alternating ({@link VerificationCache}). */
    private volatile Object[] memos = NO_MEMOS;
    private static final Object[] NO_MEMOS = new Object[0];
    private static final int MAX_MEMOS = 4;

    private ParsedCertificate(Reader r) {
        this.der = r.der;
        this.sha256 = r.sha256;
        this.version = r.version;
        this.serial = r.serial;
        this.subject = r.subject;
        this.issuer = r.issuer;
        this.subjectX500 = r.subjectX500;
        this.issuerX500 = r.issuerX500;
        this.serialHex = HexFormat.of().formatHex(r.serial.toByteArray());
        this.notBefore = r.notBefore;
        this.notAfter = r.notAfter;
        this.signatureAlgorithmId = r.signatureAlgorithmId;
        this.signatureAlgorithm = r.signatureAlgorithm;
        this.signatureAlgorithmsMatch = r.signatureAlgorithmsMatch;
        this.tbsStart = r.tbsStart;
        this.tbsEnd = r.tbsEnd;
        this.signature = r.signature;
        this.signatureProblem = r.signatureProblem;
        this.publicKeyInfo = r.publicKeyInfo;
        this.spkiStart = r.spkiStart;
        this.spkiEnd = r.spkiEnd;
        this.basic = r.basic;
        this.keyUsage = r.keyUsage;
        this.hasKeyUsage = r.hasKeyUsage;
        this.subjectKeyId = r.subjectKeyId;
        this.authorityKeyId = r.authorityKeyId;
        this.sanPresent = r.sanPresent;
        this.altNames = r.altNames;
        this.nameConstraints = r.nameConstraints;
        this.crlDistributionPoints = r.crlDistributionPoints;
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
        return parse(der, sha256, Names::of);
    }

    /** As {@link #parse(byte[], Sha256)}, converting names through {@code names} (which may intern them). */
    static ParsedCertificate parse(byte[] der, Sha256 sha256, java.util.function.Function<X500Name, Names.Name> names)
            throws CertificateFormatException {
        if (der.length > MAX_BYTES) {
            throw new CertificateFormatException("certificate of " + der.length + " bytes is larger than the "
                    + MAX_BYTES + " bytes accepted");
        }
        if (der.length == 0) {
            throw new CertificateFormatException("empty input is not a certificate");
        }
        Optional<String> problem = Der.problem(der);
        if (problem.isPresent()) {
            throw new CertificateFormatException("not DER: " + problem.get());
        }
        Reader reader = new Reader(der.clone(), sha256, names);
        try {
            reader.read();
        } catch (CertificateFormatException e) {
            throw e;
        } catch (RuntimeException | IOException e) {
            throw new CertificateFormatException("not an X.509 certificate: " + e.getMessage());
        }
        return new ParsedCertificate(reader);
    }

    /** Everything the constructor needs, read in one pass. */
    private static final class Reader {
        final byte[] der;
        final Sha256 sha256;
        int version;
        BigInteger serial;
        Names.Name subject;
        Names.Name issuer;
        X500Name subjectX500;
        X500Name issuerX500;
        Instant notBefore;
        Instant notAfter;
        AlgorithmIdentifier signatureAlgorithmId;
        SignatureAlgorithm.Lookup signatureAlgorithm;
        boolean signatureAlgorithmsMatch;
        int tbsStart;
        int tbsEnd;
        byte[] signature;
        Optional<String> signatureProblem = Optional.empty();
        SubjectPublicKeyInfo publicKeyInfo;
        int spkiStart;
        int spkiEnd;
        Optional<Basic> basic = Optional.empty();
        int keyUsage;
        boolean hasKeyUsage;
        Optional<String> subjectKeyId = Optional.empty();
        Optional<String> authorityKeyId = Optional.empty();
        boolean sanPresent;
        AltNames altNames = AltNames.NONE;
        Optional<Constraints> nameConstraints = Optional.empty();
        Optional<CRLDistPoint> crlDistributionPoints = Optional.empty();
        Optional<List<String>> extendedKeyUsage = Optional.empty();
        boolean extendedKeyUsageCritical;
        final List<String> unknownCritical = new ArrayList<>();
        final List<String> problems = new ArrayList<>();
        Optional<String> serialProblem = Optional.empty();
        final List<String> subjectEmails = new ArrayList<>();

        final java.util.function.Function<X500Name, Names.Name> names;

        Reader(byte[] der, Sha256 sha256, java.util.function.Function<X500Name, Names.Name> names) {
            this.der = der;
            this.sha256 = sha256;
            this.names = names;
        }

        void read() throws IOException, CertificateFormatException {
            Certificate certificate = Certificate.getInstance(ASN1Primitive.fromByteArray(der));
            if (!Arrays.equals(certificate.getEncoded(ASN1Encoding.DER), der)) {
                throw new CertificateFormatException("not DER: the encoding is not the canonical one");
            }
            version = certificate.getVersionNumber();
            if (version < 1 || version > 3) {
                throw new CertificateFormatException("version " + version + " is not 1, 2 or 3");
            }
            serial = certificate.getSerialNumber().getValue();
            serialProblem = serialProblem(serial);
            subjectX500 = certificate.getSubject();
            issuerX500 = certificate.getIssuer();
            subject = names.apply(subjectX500);
            issuer = names.apply(issuerX500);
            if (issuer.isEmpty()) {
                problems.add("the issuer name is empty");
            }
            notBefore = time(certificate.getStartDate(), "notBefore");
            notAfter = time(certificate.getEndDate(), "notAfter");
            signatureAlgorithmId = certificate.getSignatureAlgorithm();
            signatureAlgorithm = SignatureAlgorithm.of(signatureAlgorithmId);
            signatureAlgorithmsMatch = certificate.getTBSCertificate().getSignature().equals(signatureAlgorithmId);
            if (certificate.getSignature().getPadBits() != 0) {
                signatureProblem = Optional.of("its signature BIT STRING is not a whole number of octets");
                signature = new byte[0];
            } else {
                signature = certificate.getSignature().getOctets();
            }
            // The bytes are canonical DER (checked above), so the signed part is the first inner element as is.
            int[] outer = Der.bounds(der, 0);
            int[] inner = Der.bounds(der, outer[0]);
            tbsStart = outer[0];
            tbsEnd = inner[1];
            // TBSCertificate: [0] version (optional), serial, signature, issuer, validity, subject, then the SPKI.
            int field = inner[0];
            if (der[field] == (byte) 0xa0) {
                field = Der.bounds(der, field)[1];
            }
            for (int i = 0; i < 5; i++) {
                field = Der.bounds(der, field)[1];
            }
            spkiStart = field;
            spkiEnd = Der.bounds(der, field)[1];
            publicKeyInfo = certificate.getSubjectPublicKeyInfo();
            for (RDN rdn : certificate.getSubject().getRDNs()) {
                for (AttributeTypeAndValue value : rdn.getTypesAndValues()) {
                    if (value.getType().getId().equals(EMAIL_ADDRESS)) {
                        subjectEmails.add(Names.valueText(value.getValue()));
                    }
                }
            }
            Extensions extensions = certificate.getTBSCertificate().getExtensions();
            if (extensions != null) {
                if (version != 3) {
                    throw new CertificateFormatException("a version " + version + " certificate has extensions");
                }
                readExtensions(extensions);
            }
            if (subject.isEmpty() && (!sanPresent || altNames.isEmpty())) {
                problems.add("the subject is empty and there is no subjectAltName");
            }
        }

        private static Optional<String> serialProblem(BigInteger value) {
            if (value.signum() == 0) {
                return Optional.of("the serial number is zero");
            }
            if (value.signum() < 0) {
                return Optional.of("the serial number is negative");
            }
            if (value.toByteArray().length > 20) {
                return Optional.of("the serial number is longer than 20 octets");
            }
            return Optional.empty();
        }

        private void readExtensions(Extensions extensions) throws CertificateFormatException {
            ASN1ObjectIdentifier[] oids = extensions.getExtensionOIDs();
            if (oids.length == 0) {
                throw new CertificateFormatException("the extensions field is present but empty");
            }
            for (ASN1ObjectIdentifier oid : oids) {
                Extension extension = extensions.getExtension(oid);
                String id = oid.getId();
                boolean critical = extension.isCritical();
                if (critical && MUST_BE_NON_CRITICAL.contains(id)) {
                    problems.add(name(id) + " is marked critical (RFC 5280 requires it non-critical)");
                }
                if (!critical && MUST_BE_CRITICAL.contains(id)) {
                    problems.add(name(id) + " is not marked critical (RFC 5280 requires it critical)");
                }
                boolean known = UNDERSTOOD_WHEN_CRITICAL.contains(id) || MUST_BE_NON_CRITICAL.contains(id);
                if (!known) {
                    // An extension certgate does not know is opaque: its value need not even be DER.
                    if (critical) {
                        unknownCritical.add(id);
                    }
                    continue;
                }
                byte[] value = extension.getExtnValue().getOctets();
                Optional<String> problem = Der.problem(value);
                if (problem.isPresent()) {
                    throw new CertificateFormatException("extension " + name(id) + " is not DER: " + problem.get());
                }
                try {
                    readExtension(id, critical, ASN1Primitive.fromByteArray(value));
                } catch (IOException | RuntimeException e) {
                    throw new CertificateFormatException("extension " + name(id) + " is malformed: "
                            + e.getMessage());
                }
            }
        }

        private void readExtension(String id, boolean critical, ASN1Primitive value)
                throws CertificateFormatException {
            switch (id) {
                case BASIC_CONSTRAINTS -> {
                    BasicConstraints constraints = BasicConstraints.getInstance(value);
                    Optional<Integer> pathLen = Optional.ofNullable(constraints.getPathLenConstraint())
                            .map(BigInteger::intValueExact);
                    if (pathLen.isPresent() && !constraints.isCA()) {
                        problems.add("basicConstraints has a pathLenConstraint but cA is false");
                    }
                    basic = Optional.of(new Basic(constraints.isCA(), pathLen, critical));
                }
                case KEY_USAGE -> {
                    KeyUsage.getInstance(value);
                    hasKeyUsage = true;
                    keyUsage = org.bouncycastle.asn1.ASN1BitString.getInstance(value).intValue();
                    if (keyUsage == 0) {
                        problems.add("keyUsage has no bit set");
                    }
                }
                case SUBJECT_KEY_ID -> subjectKeyId = Optional.of(
                        HexFormat.of().formatHex(SubjectKeyIdentifier.getInstance(value).getKeyIdentifier()));
                case AUTHORITY_KEY_ID -> {
                    AuthorityKeyIdentifier aki = AuthorityKeyIdentifier.getInstance(value);
                    authorityKeyId = Optional.ofNullable(aki.getKeyIdentifierOctets())
                            .map(HexFormat.of()::formatHex);
                }
                case SUBJECT_ALT_NAME -> {
                    sanPresent = true;
                    GeneralNames names = GeneralNames.getInstance(value);
                    altNames = AltNames.of(names);
                    if (names.getNames().length == 0) {
                        problems.add("subjectAltName is empty");
                    }
                    if (subject.isEmpty() && !critical) {
                        problems.add("the subject is empty and subjectAltName is not critical");
                    }
                }
                case ISSUER_ALT_NAME -> GeneralNames.getInstance(value);
                case NAME_CONSTRAINTS -> {
                    NameConstraints constraints = NameConstraints.getInstance(value);
                    nameConstraints = Optional.of(new Constraints(subtrees(constraints.getPermittedSubtrees()),
                            subtrees(constraints.getExcludedSubtrees()), critical));
                    if (constraints.getPermittedSubtrees() == null && constraints.getExcludedSubtrees() == null) {
                        problems.add("nameConstraints has neither permitted nor excluded subtrees");
                    }
                }
                case CRL_DISTRIBUTION_POINTS -> crlDistributionPoints = Optional.of(CRLDistPoint.getInstance(value));
                case EXT_KEY_USAGE -> {
                    ASN1Sequence sequence = ASN1Sequence.getInstance(value);
                    if (sequence.size() == 0) {
                        problems.add("extKeyUsage lists no purpose");
                    }
                    List<String> purposes = new ArrayList<>();
                    for (KeyPurposeId purpose : ExtendedKeyUsage.getInstance(sequence).getUsages()) {
                        purposes.add(purpose.getId());
                    }
                    extendedKeyUsage = Optional.of(List.copyOf(purposes));
                    extendedKeyUsageCritical = critical;
                }
                default -> {
                    // Policy and information-access extensions: accepted as they are, not interpreted.
                }
            }
        }

        private AltNames subtrees(GeneralSubtree[] subtrees) throws CertificateFormatException {
            if (subtrees == null) {
                return AltNames.NONE;
            }
            if (subtrees.length == 0) {
                throw new CertificateFormatException("nameConstraints has an empty list of subtrees");
            }
            List<org.bouncycastle.asn1.x509.GeneralName> bases = new ArrayList<>(subtrees.length);
            for (GeneralSubtree subtree : subtrees) {
                if ((subtree.getMinimum() != null && subtree.getMinimum().signum() != 0)
                        || subtree.getMaximum() != null) {
                    problems.add("nameConstraints uses minimum/maximum, which RFC 5280 forbids");
                }
                bases.add(subtree.getBase());
            }
            return AltNames.of(new GeneralNames(bases.toArray(new org.bouncycastle.asn1.x509.GeneralName[0])));
        }
    }

    private static Instant time(Time time, String field) throws CertificateFormatException {
        ASN1Primitive primitive = time.toASN1Primitive();
        String text;
        int yearDigits;
        try {
            byte[] encoded = primitive.getEncoded(ASN1Encoding.DER);
            text = new String(encoded, 2, encoded.length - 2, StandardCharsets.US_ASCII);
        } catch (IOException | RuntimeException e) {
            throw new CertificateFormatException(field + " cannot be read");
        }
        if (primitive instanceof ASN1UTCTime) {
            yearDigits = 2;
        } else if (primitive instanceof ASN1GeneralizedTime) {
            yearDigits = 4;
        } else {
            throw new CertificateFormatException(field + " is neither UTCTime nor GeneralizedTime");
        }
        return parseTime(text, yearDigits, field);
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

    /** The subject as BouncyCastle holds it (ASN.1 order), to build names relative to it. */
    public X500Name subjectX500() {
        return subjectX500;
    }

    public X500Name issuerX500() {
        return issuerX500;
    }

    public Instant notBefore() {
        return notBefore;
    }

    public Instant notAfter() {
        return notAfter;
    }

    public AlgorithmIdentifier signatureAlgorithmId() {
        return signatureAlgorithmId;
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

    public SubjectPublicKeyInfo publicKeyInfo() {
        return publicKeyInfo;
    }

    /** The decoded key, decoded on first use: a peer's key is never needed to validate its path. */
    public PublicKeys.Decoded publicKey() {
        PublicKeys.Decoded decoded = publicKey;
        if (decoded == null) {
            decoded = PublicKeys.decode(publicKeyInfo);
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

    public Optional<String> subjectKeyId() {
        return subjectKeyId;
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

    public Optional<CRLDistPoint> crlDistributionPoints() {
        return crlDistributionPoints;
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

    /** The value remembered here under {@code key}, or null. */
    Object memo(Object key) {
        Object[] pairs = memos;
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i].equals(key)) {
                return pairs[i + 1];
            }
        }
        return null;
    }

    /** Remembers {@code value} under {@code key} here, replacing an equal key; the oldest goes when full. */
    void memo(Object key, Object value) {
        Object[] pairs = withoutMemo(memos, key);
        int keep = Math.min(pairs.length, 2 * (MAX_MEMOS - 1));
        Object[] next = new Object[keep + 2];
        System.arraycopy(pairs, pairs.length - keep, next, 0, keep);
        next[keep] = key;
        next[keep + 1] = value;
        memos = next;
    }

    void forgetMemo(Object key) {
        memos = withoutMemo(memos, key);
    }

    private static Object[] withoutMemo(Object[] pairs, Object key) {
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i].equals(key)) {
                Object[] next = new Object[pairs.length - 2];
                System.arraycopy(pairs, 0, next, 0, i);
                System.arraycopy(pairs, i + 2, next, i, pairs.length - i - 2);
                return next;
            }
        }
        return pairs;
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
