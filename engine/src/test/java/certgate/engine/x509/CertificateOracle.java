package certgate.engine.x509;

import certgate.der.Der;
import certgate.dsl.dn.DistinguishedName;
import certgate.dsl.dn.DnAttribute;
import certgate.dsl.dn.Rdn;
import certgate.dsl.dn.StringPrep;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.ASN1Object;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.ASN1UTCTime;
import org.bouncycastle.asn1.DERUniversalString;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.Time;

/**
 * The certificate reading certgate had before the hand-written reader, kept as the oracle of the differential
 * property: BouncyCastle parses ({@code Certificate.getInstance}), the input must equal BouncyCastle's DER
 * re-encoding, names go through {@code X500Name} and {@code ASN1String.getString}, extensions through their
 * BouncyCastle types. It is that code, moved here, with the strictness the hand reader adds on purpose
 * ({@link #ADDED_RULES}), each written the BouncyCastle way so that the two readings stay independent.
 */
final class CertificateOracle {
    /**
     * Where the hand reader is stricter than the old reading, on purpose (RFC 5280 asks for DER, and these are not
     * DER): the old reading re-encoded the certificate as a whole, which kept what BouncyCastle keeps as parsed
     * (an Extension's critical FALSE) and did not look inside extension values or unique identifiers.
     */
    static final List<String> ADDED_RULES = List.of(
            "an Extension with critical FALSE encoded is refused (DER omits a DEFAULT value)",
            "an extension value certgate reads must equal the DER re-encoding of its BouncyCastle type "
                    + "(BOOLEAN 0x00/0xff, BIT STRING padding bits zero, SET OF in order, DEFAULT values omitted)",
            "basicConstraints with cA FALSE encoded is refused (DER omits a DEFAULT value)",
            "the names of issuerAltName and of authorityKeyIdentifier's authorityCertIssuer are read as those of "
                    + "subjectAltName are (BouncyCastle left their directoryName attributes unread)",
            "issuerUniqueID/subjectUniqueID must be primitive BIT STRINGs with zero padding bits",
            "the version must be tagged [0] (BouncyCastle takes any tagged first element as the version)");

    private static final String BETWEEN_ATTRIBUTES = "\u0001";
    private static final String BETWEEN_RDNS = "\u0000";

    // Which extensions certgate understands, and how RFC 5280 wants them marked, is policy rather than reading:
    // the oracle takes the reader's sets, so it checks how certificates are read, not a second copy of the list.
    private static final Set<String> UNDERSTOOD_WHEN_CRITICAL = CertificateReader.UNDERSTOOD_WHEN_CRITICAL;
    private static final Set<String> MUST_BE_NON_CRITICAL = CertificateReader.MUST_BE_NON_CRITICAL;
    private static final Set<String> MUST_BE_CRITICAL = CertificateReader.MUST_BE_CRITICAL;

    private final byte[] der;
    private final boolean addedRules;
    private int version;
    private BigInteger serial;
    private CertificateFields.NameFields subject;
    private CertificateFields.NameFields issuer;
    private X500Name subjectX500;
    private X500Name issuerX500;
    private Instant notBefore;
    private Instant notAfter;
    private String signatureAlgorithmId;
    private String signatureAlgorithm;
    private boolean signatureAlgorithmsMatch;
    private String tbs;
    private byte[] signature;
    private Optional<String> signatureProblem = Optional.empty();
    private String publicKeyInfo;
    private Optional<ParsedCertificate.Basic> basic = Optional.empty();
    private int keyUsage;
    private boolean hasKeyUsage;
    private Optional<String> subjectKeyId = Optional.empty();
    private Optional<String> authorityKeyId = Optional.empty();
    private boolean sanPresent;
    private String altNames = noNames();
    private boolean altNamesEmpty = true;
    private Optional<String> nameConstraints = Optional.empty();
    private Optional<String> crlDistributionPoints = Optional.empty();
    private Optional<List<String>> extendedKeyUsage = Optional.empty();
    private boolean extendedKeyUsageCritical;
    private final List<String> unknownCritical = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private Optional<String> serialProblem = Optional.empty();
    private final List<String> subjectEmails = new ArrayList<>();

    private CertificateOracle(byte[] der, boolean addedRules) {
        this.der = der;
        this.addedRules = addedRules;
    }

    /** The oracle's reading of {@code der}: its fields, or the exception saying why it is not a certificate. */
    static CertificateFields read(byte[] der) throws CertificateFormatException {
        return read(der, true);
    }

    /** As {@link #read(byte[])}; without {@link #ADDED_RULES} it is exactly the old reading. */
    static CertificateFields read(byte[] der, boolean addedRules) throws CertificateFormatException {
        if (der.length > ParsedCertificate.MAX_BYTES) {
            throw new CertificateFormatException("too large");
        }
        if (der.length == 0) {
            throw new CertificateFormatException("empty input is not a certificate");
        }
        Optional<String> problem = Der.problem(der);
        if (problem.isPresent()) {
            throw new CertificateFormatException("not DER: " + problem.get());
        }
        CertificateOracle oracle = new CertificateOracle(der.clone(), addedRules);
        try {
            oracle.readCertificate();
        } catch (CertificateFormatException e) {
            throw e;
        } catch (RuntimeException | IOException e) {
            throw new CertificateFormatException("not an X.509 certificate: " + e.getMessage());
        }
        try {
            return oracle.fields();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private CertificateFields fields() throws IOException {
        return new CertificateFields(version, serial, HexFormat.of().formatHex(serial.toByteArray()), subject, issuer,
                CertificateFields.hex(subjectX500.getEncoded()), CertificateFields.hex(issuerX500.getEncoded()),
                notBefore, notAfter, signatureAlgorithmId, signatureAlgorithm, signatureAlgorithmsMatch, tbs,
                CertificateFields.hex(signature), signatureProblem, publicKeyInfo, basic, hasKeyUsage, keyUsage,
                subjectKeyId, authorityKeyId, sanPresent, altNames, nameConstraints, crlDistributionPoints,
                extendedKeyUsage, extendedKeyUsageCritical, List.copyOf(unknownCritical), List.copyOf(problems),
                serialProblem, List.copyOf(subjectEmails));
    }

    private void readCertificate() throws IOException, CertificateFormatException {
        Certificate certificate = Certificate.getInstance(ASN1Primitive.fromByteArray(der));
        if (!Arrays.equals(certificate.getEncoded(ASN1Encoding.DER), der)) {
            throw new CertificateFormatException("not DER: the encoding is not the canonical one");
        }
        if (addedRules) {
            addedStructureRules();
        }
        version = certificate.getVersionNumber();
        if (version < 1 || version > 3) {
            throw new CertificateFormatException("version " + version + " is not 1, 2 or 3");
        }
        serial = certificate.getSerialNumber().getValue();
        serialProblem = serialProblem(serial);
        subjectX500 = certificate.getSubject();
        issuerX500 = certificate.getIssuer();
        subject = name(subjectX500);
        issuer = name(issuerX500);
        if (issuer.empty()) {
            problems.add("the issuer name is empty");
        }
        notBefore = time(certificate.getStartDate(), "notBefore");
        notAfter = time(certificate.getEndDate(), "notAfter");
        signatureAlgorithmId = CertificateFields.encoded(certificate.getSignatureAlgorithm());
        signatureAlgorithm = String.valueOf(SignatureAlgorithm.of(certificate.getSignatureAlgorithm()));
        signatureAlgorithmsMatch = certificate.getTBSCertificate().getSignature()
                .equals(certificate.getSignatureAlgorithm());
        if (certificate.getSignature().getPadBits() != 0) {
            signatureProblem = Optional.of("its signature BIT STRING is not a whole number of octets");
            signature = new byte[0];
        } else {
            signature = certificate.getSignature().getOctets();
        }
        tbs = CertificateFields.encoded(certificate.getTBSCertificate());
        publicKeyInfo = CertificateFields.encoded(certificate.getSubjectPublicKeyInfo());
        for (RDN rdn : certificate.getSubject().getRDNs()) {
            for (AttributeTypeAndValue value : rdn.getTypesAndValues()) {
                if (value.getType().getId().equals(ParsedCertificate.EMAIL_ADDRESS)) {
                    subjectEmails.add(valueText(value.getValue()));
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
        if (subject.empty() && (!sanPresent || altNamesEmpty)) {
            problems.add("the subject is empty and there is no subjectAltName");
        }
    }

    /** The added rules on the certificate's own structure, on its raw tree. */
    private void addedStructureRules() throws CertificateFormatException {
        int first = DerTree.parse(der).at(0, 0).tag();
        if (first >= 0x80 && first != 0xa0) {
            throw new CertificateFormatException("version tagged other than [0]");
        }
        for (DerTree field : DerTree.parse(der).at(0).children()) {
            if (field.tag() == 0xa1 || field.tag() == 0xa2) {
                throw new CertificateFormatException("constructed unique identifier");
            }
            if (field.tag() == 0x81 || field.tag() == 0x82) {
                byte[] content = field.content();
                int unused = content[0];
                if (unused != 0 && (content[content.length - 1] & ((1 << unused) - 1)) != 0) {
                    throw new CertificateFormatException("unique identifier padding bits not zero");
                }
            }
            if (field.tag() == 0xa3) {
                for (DerTree extension : field.at(0).children()) {
                    if (extension.children().size() == 3 && extension.at(1).tag() == 0x01
                            && extension.at(1).content()[0] == 0) {
                        throw new CertificateFormatException("critical FALSE encoded");
                    }
                }
            }
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
                problems.add(ParsedCertificate.name(id) + " is marked critical (RFC 5280 requires it non-critical)");
            }
            if (!critical && MUST_BE_CRITICAL.contains(id)) {
                problems.add(ParsedCertificate.name(id) + " is not marked critical (RFC 5280 requires it critical)");
            }
            boolean known = UNDERSTOOD_WHEN_CRITICAL.contains(id) || MUST_BE_NON_CRITICAL.contains(id);
            if (!known) {
                if (critical) {
                    unknownCritical.add(id);
                }
                continue;
            }
            byte[] value = extension.getExtnValue().getOctets();
            Optional<String> problem = Der.problem(value);
            if (problem.isPresent()) {
                throw new CertificateFormatException("extension is not DER: " + problem.get());
            }
            try {
                ASN1Primitive primitive = ASN1Primitive.fromByteArray(value);
                readExtension(id, critical, primitive);
                if (addedRules) {
                    addedValueRules(id, value, primitive);
                }
            } catch (IOException | RuntimeException e) {
                throw new CertificateFormatException("extension " + ParsedCertificate.name(id) + " is malformed: "
                        + e.getMessage());
            }
        }
    }

    /** The added rules on extension values: the typed re-encoding gives back the bytes; cA FALSE is not encoded. */
    private static void addedValueRules(String id, byte[] value, ASN1Primitive primitive)
            throws CertificateFormatException, IOException {
        Function<ASN1Primitive, ASN1Object> typed = switch (id) {
            case ParsedCertificate.BASIC_CONSTRAINTS -> BasicConstraints::getInstance;
            case ParsedCertificate.KEY_USAGE -> KeyUsage::getInstance;
            case ParsedCertificate.SUBJECT_KEY_ID -> SubjectKeyIdentifier::getInstance;
            case ParsedCertificate.AUTHORITY_KEY_ID -> AuthorityKeyIdentifier::getInstance;
            case ParsedCertificate.SUBJECT_ALT_NAME, ParsedCertificate.ISSUER_ALT_NAME -> GeneralNames::getInstance;
            case ParsedCertificate.NAME_CONSTRAINTS -> NameConstraints::getInstance;
            case ParsedCertificate.CRL_DISTRIBUTION_POINTS -> CRLDistPoint::getInstance;
            case ParsedCertificate.EXT_KEY_USAGE -> ExtendedKeyUsage::getInstance;
            default -> p -> p;
        };
        if (!Arrays.equals(typed.apply(primitive).getEncoded(ASN1Encoding.DER), value)) {
            throw new CertificateFormatException("extension value not in its canonical DER encoding");
        }
        if (id.equals(ParsedCertificate.AUTHORITY_KEY_ID)
                && AuthorityKeyIdentifier.getInstance(primitive).getAuthorityCertIssuer() != null) {
            altNames(AuthorityKeyIdentifier.getInstance(primitive).getAuthorityCertIssuer());
        }
        if (id.equals(ParsedCertificate.ISSUER_ALT_NAME)) {
            altNames(GeneralNames.getInstance(primitive));
        }
        if (id.equals(ParsedCertificate.BASIC_CONSTRAINTS)) {
            DerTree tree = DerTree.parse(value);
            if (!tree.children().isEmpty() && tree.at(0).tag() == 0x01 && tree.at(0).content()[0] == 0) {
                throw new CertificateFormatException("cA FALSE encoded");
            }
        }
    }

    private void readExtension(String id, boolean critical, ASN1Primitive value) throws CertificateFormatException {
        switch (id) {
            case ParsedCertificate.BASIC_CONSTRAINTS -> {
                BasicConstraints constraints = BasicConstraints.getInstance(value);
                Optional<Integer> pathLen = Optional.ofNullable(constraints.getPathLenConstraint())
                        .map(BigInteger::intValueExact);
                if (pathLen.isPresent() && !constraints.isCA()) {
                    problems.add("basicConstraints has a pathLenConstraint but cA is false");
                }
                basic = Optional.of(new ParsedCertificate.Basic(constraints.isCA(), pathLen, critical));
            }
            case ParsedCertificate.KEY_USAGE -> {
                KeyUsage.getInstance(value);
                hasKeyUsage = true;
                keyUsage = org.bouncycastle.asn1.ASN1BitString.getInstance(value).intValue();
                if (keyUsage == 0) {
                    problems.add("keyUsage has no bit set");
                }
            }
            case ParsedCertificate.SUBJECT_KEY_ID -> subjectKeyId = Optional.of(
                    HexFormat.of().formatHex(SubjectKeyIdentifier.getInstance(value).getKeyIdentifier()));
            case ParsedCertificate.AUTHORITY_KEY_ID -> {
                AuthorityKeyIdentifier aki = AuthorityKeyIdentifier.getInstance(value);
                authorityKeyId = Optional.ofNullable(aki.getKeyIdentifierOctets()).map(HexFormat.of()::formatHex);
            }
            case ParsedCertificate.SUBJECT_ALT_NAME -> {
                sanPresent = true;
                GeneralNames names = GeneralNames.getInstance(value);
                altNames = altNames(names);
                altNamesEmpty = names.getNames().length == 0;
                if (names.getNames().length == 0) {
                    problems.add("subjectAltName is empty");
                }
                if (subject.empty() && !critical) {
                    problems.add("the subject is empty and subjectAltName is not critical");
                }
            }
            case ParsedCertificate.ISSUER_ALT_NAME -> GeneralNames.getInstance(value);
            case ParsedCertificate.NAME_CONSTRAINTS -> {
                NameConstraints constraints = NameConstraints.getInstance(value);
                nameConstraints = Optional.of(subtrees(constraints.getPermittedSubtrees()) + " / "
                        + subtrees(constraints.getExcludedSubtrees()) + " / " + critical);
                if (constraints.getPermittedSubtrees() == null && constraints.getExcludedSubtrees() == null) {
                    problems.add("nameConstraints has neither permitted nor excluded subtrees");
                }
            }
            case ParsedCertificate.CRL_DISTRIBUTION_POINTS -> crlDistributionPoints = Optional.of(
                    CertificateFields.encoded(CRLDistPoint.getInstance(value)));
            case ParsedCertificate.EXT_KEY_USAGE -> {
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

    private String subtrees(GeneralSubtree[] subtrees) throws CertificateFormatException {
        if (subtrees == null) {
            return noNames();
        }
        if (subtrees.length == 0) {
            throw new CertificateFormatException("nameConstraints has an empty list of subtrees");
        }
        List<GeneralName> bases = new ArrayList<>(subtrees.length);
        for (GeneralSubtree subtree : subtrees) {
            if ((subtree.getMinimum() != null && subtree.getMinimum().signum() != 0) || subtree.getMaximum() != null) {
                problems.add("nameConstraints uses minimum/maximum, which RFC 5280 forbids");
            }
            bases.add(subtree.getBase());
        }
        return altNames(new GeneralNames(bases.toArray(new GeneralName[0])));
    }

    private static String noNames() {
        return CertificateFields.altNames(List.of(), List.of(), List.of(), List.of(), List.of(), List.of());
    }

    /** AltNames.of as it was, with the oracle's names. */
    private static String altNames(GeneralNames names) {
        List<String> dns = new ArrayList<>();
        List<byte[]> ips = new ArrayList<>();
        List<String> emails = new ArrayList<>();
        List<String> directories = new ArrayList<>();
        List<String> uris = new ArrayList<>();
        Set<Integer> other = new TreeSet<>();
        for (GeneralName name : names.getNames()) {
            switch (name.getTagNo()) {
                case GeneralName.dNSName -> dns.add(ASN1IA5String.getInstance(name.getName()).getString());
                case GeneralName.rfc822Name -> emails.add(ASN1IA5String.getInstance(name.getName()).getString());
                case GeneralName.uniformResourceIdentifier ->
                        uris.add(ASN1IA5String.getInstance(name.getName()).getString());
                case GeneralName.iPAddress -> ips.add(ASN1OctetString.getInstance(name.getName()).getOctets());
                case GeneralName.directoryName -> directories.add(name(X500Name.getInstance(name.getName()))
                        .toString());
                default -> other.add(name.getTagNo());
            }
        }
        return CertificateFields.altNames(dns, ips, emails, directories, uris, List.copyOf(other));
    }

    /** Names.of as it was: X500Name to the DN model, RDN keys from the prepared values. */
    static CertificateFields.NameFields name(X500Name x500) {
        RDN[] rdns = x500.getRDNs();
        List<Rdn> mostSpecificFirst = new ArrayList<>(rdns.length);
        List<String> keys = new ArrayList<>(rdns.length);
        for (RDN rdn : rdns) {
            AttributeTypeAndValue[] values = rdn.getTypesAndValues();
            if (values.length == 0) {
                throw new IllegalArgumentException("a name has an RDN without attributes");
            }
            List<DnAttribute> attributes = new ArrayList<>(values.length);
            String[] prepared = new String[values.length];
            for (int i = 0; i < values.length; i++) {
                String text = valueText(values[i].getValue());
                attributes.add(new DnAttribute(values[i].getType().getId(), text));
                prepared[i] = values[i].getType().getId() + "=" + StringPrep.prepare(text);
            }
            mostSpecificFirst.add(0, new Rdn(attributes));
            Arrays.sort(prepared);
            keys.add(String.join(BETWEEN_ATTRIBUTES, prepared));
        }
        DistinguishedName dn = new DistinguishedName(mostSpecificFirst);
        return new CertificateFields.NameFields(dn.toString(), dn.rdns().toString(), List.copyOf(keys),
                rdns.length == 0);
    }

    static String valueText(ASN1Encodable value) {
        if (value instanceof ASN1String text && !(value instanceof DERUniversalString)) {
            return text.getString();
        }
        try {
            return "#" + HexFormat.of().formatHex(value.toASN1Primitive().getEncoded(ASN1Encoding.DER));
        } catch (IOException e) {
            throw new IllegalStateException("re-encoding a parsed attribute value", e);
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
        return ParsedCertificate.parseTime(text, yearDigits, field);
    }
}
