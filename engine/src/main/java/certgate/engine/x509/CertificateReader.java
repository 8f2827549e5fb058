package certgate.engine.x509;

import certgate.der.Der;
import certgate.der.DerCursor;
import certgate.der.DerTag;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Object;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.NameConstraints;

/**
 * Reads a certificate in one pass over its bytes, with a strict DER cursor (RFC 5280 4.1):
 * <pre>
 * Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm AlgorithmIdentifier, signatureValue BIT STRING }
 * TBSCertificate ::= SEQUENCE { version [0] EXPLICIT INTEGER DEFAULT v1, serialNumber INTEGER,
 *     signature AlgorithmIdentifier, issuer Name, validity SEQUENCE { notBefore Time, notAfter Time },
 *     subject Name, subjectPublicKeyInfo SEQUENCE { AlgorithmIdentifier, BIT STRING },
 *     issuerUniqueID [1] IMPLICIT BIT STRING OPTIONAL, subjectUniqueID [2] IMPLICIT BIT STRING OPTIONAL,
 *     extensions [3] EXPLICIT SEQUENCE SIZE (1..MAX) OF Extension OPTIONAL }
 * Extension ::= SEQUENCE { extnID OBJECT IDENTIFIER, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }
 * </pre>
 * Only DER is accepted, with the rules of BouncyCastle 1.87's parser plus those its re-encoding used to enforce
 * (certgate compared the input with BouncyCastle's DER re-encoding of it): BOOLEAN only 0x00 or 0xff, minimal
 * INTEGERs, BIT STRINGs with at most 7 unused bits, none on an empty string and all of them zero, OIDs without
 * 0x80 padding, NULL empty, SET OF (multi-valued RDNs) in DER order, and no DEFAULT value encoded (critical
 * FALSE, cA FALSE). The simple extensions are read here by hand; the rare, complex values (nameConstraints,
 * cRLDistributionPoints, policy and information-access extensions, unusual algorithm parameters, attribute values
 * that are not strings, otherName and the like) go to BouncyCastle, and their DER re-encoding must give back
 * their bytes.
 */
final class CertificateReader {
    /** How names are turned into {@link Names.Name}s: directly, or through an interning cache. */
    @FunctionalInterface
    interface NameSource {
        /**
         * The Name that occupies exactly [start, end) of {@code der}, a certificate (so at depth 2); {@code issuer}
         * for an issuer name, which recurs across certificates (a subject seldom does).
         */
        Names.Name name(byte[] der, int start, int end, String what, boolean issuer)
                throws CertificateFormatException;
    }

    /** Certificate, tbsCertificate, Name: a certificate's names are two levels down. */
    static final int NAME_DEPTH = 2;

    /** Names read directly, not interned. */
    static final NameSource DIRECT = (der, start, end, what, issuer) -> Names.read(der, start, end, NAME_DEPTH,
            what);

    /** Extensions certgate processes (the policy extensions in path validation, RFC 5280 6.1). */
    static final Set<String> UNDERSTOOD_WHEN_CRITICAL = Set.of(ParsedCertificate.BASIC_CONSTRAINTS,
            ParsedCertificate.KEY_USAGE, ParsedCertificate.EXT_KEY_USAGE, ParsedCertificate.SUBJECT_ALT_NAME,
            ParsedCertificate.ISSUER_ALT_NAME, ParsedCertificate.NAME_CONSTRAINTS,
            ParsedCertificate.CRL_DISTRIBUTION_POINTS, ParsedCertificate.CERTIFICATE_POLICIES,
            ParsedCertificate.POLICY_MAPPINGS, ParsedCertificate.POLICY_CONSTRAINTS,
            ParsedCertificate.INHIBIT_ANY_POLICY);
    /** RFC 5280 4.2.1.x: conforming CAs MUST mark these non-critical. */
    static final Set<String> MUST_BE_NON_CRITICAL = Set.of(ParsedCertificate.AUTHORITY_KEY_ID,
            ParsedCertificate.SUBJECT_KEY_ID, ParsedCertificate.AUTHORITY_INFO_ACCESS,
            ParsedCertificate.SUBJECT_INFO_ACCESS, ParsedCertificate.SUBJECT_DIRECTORY_ATTRIBUTES,
            ParsedCertificate.FRESHEST_CRL);
    /** RFC 5280 4.2.1.10, 4.2.1.11, 4.2.1.14: conforming CAs MUST mark these critical. */
    static final Set<String> MUST_BE_CRITICAL = Set.of(ParsedCertificate.NAME_CONSTRAINTS,
            ParsedCertificate.POLICY_CONSTRAINTS, ParsedCertificate.INHIBIT_ANY_POLICY);

    /** "2.5.29.n" for the id-ce extensions (one content octet 0..127 after 55 1d), made once. */
    private static final String[] ID_CE = new String[128];
    /** The sets above as flags by id-ce number, so that an extension is classified without hashing its OID. */
    private static final int UNDERSTOOD = 1;
    private static final int NON_CRITICAL = 2;
    private static final int CRITICAL = 4;
    private static final int[] ID_CE_FLAGS = new int[128];

    static {
        for (int i = 0; i < ID_CE.length; i++) {
            ID_CE[i] = "2.5.29." + i;
            ID_CE_FLAGS[i] = (UNDERSTOOD_WHEN_CRITICAL.contains(ID_CE[i]) ? UNDERSTOOD : 0)
                    | (MUST_BE_NON_CRITICAL.contains(ID_CE[i]) ? NON_CRITICAL : 0)
                    | (MUST_BE_CRITICAL.contains(ID_CE[i]) ? CRITICAL : 0);
        }
    }

    /** id-pe-authorityInfoAccess and id-pe-subjectInfoAccess without their last octet (1 and 11). */
    private static final byte[] ID_PE = {0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x01};

    final byte[] der;
    final Sha256 sha256;
    private final NameSource names;
    private DerCursor<NotPlain> plain;

    int version;
    BigInteger serial;
    String serialHex;
    Names.Name subject;
    Names.Name issuer;
    int subjectStart;
    int subjectEnd;
    int issuerStart;
    int issuerEnd;
    Instant notBefore;
    Instant notAfter;
    int algorithmStart;
    int algorithmEnd;
    private int innerAlgorithmStart;
    private int innerAlgorithmEnd;
    SignatureAlgorithm.Lookup signatureAlgorithm;
    boolean signatureAlgorithmsMatch;
    int tbsStart;
    int tbsEnd;
    byte[] signature;
    Optional<String> signatureProblem = Optional.empty();
    int spkiStart;
    int spkiEnd;
    Optional<ParsedCertificate.Basic> basic = Optional.empty();
    int keyUsage;
    boolean hasKeyUsage;
    /** Where the subjectKeyIdentifier's octets lie, or -1: its hex is made when asked (a peer's never is). */
    int subjectKeyIdStart = -1;
    int subjectKeyIdEnd = -1;
    Optional<String> authorityKeyId = Optional.empty();
    boolean sanPresent;
    AltNames altNames = AltNames.NONE;
    Optional<ParsedCertificate.Constraints> nameConstraints = Optional.empty();
    /** Where the cRLDistributionPoints value lies, or -1; its BouncyCastle object when it was made already. */
    int crlDistributionPointsStart = -1;
    int crlDistributionPointsEnd = -1;
    Optional<CRLDistPoint> crlDistributionPoints = Optional.empty();
    /** Where the policy extensions' values lie (from, to pairs in the order of {@link PolicyExtensions.Ranges}). */
    final int[] policyRanges = {-1, -1, -1, -1, -1, -1, -1, -1};
    Optional<List<String>> extendedKeyUsage = Optional.empty();
    boolean extendedKeyUsageCritical;
    List<String> unknownCritical = List.of();
    List<String> problems = List.of();
    Optional<String> serialProblem = Optional.empty();
    List<String> subjectEmails = List.of();

    CertificateReader(byte[] der, Sha256 sha256, NameSource names) {
        this.der = der;
        this.sha256 = sha256;
        this.names = names;
    }

    void read() throws CertificateFormatException {
        DerCursor<CertificateFormatException> in = new DerCursor<>(der, 0, CertificateFormatException::at);
        int certificateEnd = in.expect(DerTag.SEQUENCE, der.length, "Certificate");
        if (certificateEnd != der.length) {
            throw CertificateFormatException.at((der.length - certificateEnd)
                    + " bytes after the end of the certificate", certificateEnd);
        }
        tbsStart = in.pos();
        tbsEnd = in.expect(DerTag.SEQUENCE, certificateEnd, "tbsCertificate");
        tbs(in);
        algorithmStart = in.pos();
        algorithmIdentifier(in, certificateEnd, 1, "signatureAlgorithm", "signatureAlgorithm parameters");
        algorithmEnd = in.pos();
        in.expect(DerTag.BIT_STRING, certificateEnd, "signatureValue");
        if (in.checkBitString("signatureValue") != 0) {
            signatureProblem = Optional.of("its signature BIT STRING is not a whole number of octets");
            signature = new byte[0];
        } else {
            signature = Arrays.copyOfRange(der, in.content() + 1, in.end());
        }
        in.skip();
        in.expectEnd(certificateEnd, "Certificate");
        signatureAlgorithm = SignatureAlgorithm.of(der, algorithmStart, algorithmEnd);
        signatureAlgorithmsMatch = Arrays.equals(der, innerAlgorithmStart, innerAlgorithmEnd, der, algorithmStart,
                algorithmEnd);
        subjectEmails = subject.valuesOf(ParsedCertificate.EMAIL_ADDRESS);
        if (subject.isEmpty() && (!sanPresent || altNames.isEmpty())) {
            problem("the subject is empty and there is no subjectAltName");
        }
    }

    /** Reads the tbsCertificate whose header the cursor just read. */
    private void tbs(DerCursor<CertificateFormatException> in) throws CertificateFormatException {
        int end = tbsEnd;
        int number = 0;
        if (in.at(0xa0, end)) {
            int versionEnd = in.expect(0xa0, end, "version [0]");
            number = in.smallInteger(DerTag.INTEGER, versionEnd, "version");
            in.expectEnd(versionEnd, "version [0]");
            if (number < 0 || number > 2) {
                throw CertificateFormatException.at("version " + (number + 1) + " is not 1, 2 or 3", in.start());
            }
        }
        version = number + 1;
        in.expect(DerTag.INTEGER, end, "serialNumber");
        in.checkInteger("serialNumber");
        serial = in.integerValue();
        serialHex = hex(der, in.content(), in.end());
        serialProblem = serialProblem(serial, in.end() - in.content());
        in.skip();
        innerAlgorithmStart = in.pos();
        algorithmIdentifier(in, end, 2, "signature", "signature parameters");
        innerAlgorithmEnd = in.pos();
        issuerStart = in.pos();
        in.expect(DerTag.SEQUENCE, end, "issuer");
        in.skip();
        issuerEnd = in.pos();
        if (issuerEnd - issuerStart == 2) {
            throw CertificateFormatException.at("the issuer name is empty", issuerStart);
        }
        issuer = names.name(der, issuerStart, issuerEnd, "issuer", true);
        int validityEnd = in.expect(DerTag.SEQUENCE, end, "validity");
        notBefore = Instant.ofEpochSecond(in.time(validityEnd, "notBefore"));
        notAfter = Instant.ofEpochSecond(in.time(validityEnd, "notAfter"));
        in.expectEnd(validityEnd, "validity");
        subjectStart = in.pos();
        in.expect(DerTag.SEQUENCE, end, "subject");
        in.skip();
        subjectEnd = in.pos();
        subject = names.name(der, subjectStart, subjectEnd, "subject", false);
        spkiStart = in.pos();
        spkiEnd = in.expect(DerTag.SEQUENCE, end, "subjectPublicKeyInfo");
        algorithmIdentifier(in, spkiEnd, 3, "subjectPublicKeyInfo algorithm",
                "subjectPublicKeyInfo algorithm parameters");
        in.expect(DerTag.BIT_STRING, spkiEnd, "subjectPublicKey");
        in.checkBitString("subjectPublicKey");
        in.skip();
        in.expectEnd(spkiEnd, "subjectPublicKeyInfo");
        int last = 0;
        while (in.pos() < end) {
            int tag = in.peek(end);
            int field = tag == 0x81 ? 1 : tag == 0x82 ? 2 : tag == 0xa3 ? 3 : 0;
            if (field == 0) {
                throw CertificateFormatException.at("tbsCertificate has an unexpected element " + DerCursor.hex(tag)
                        + " after subjectPublicKeyInfo", in.pos());
            }
            if (field <= last) {
                throw CertificateFormatException.at("tbsCertificate field [" + field + "] is repeated or out of order",
                        in.pos());
            }
            if (version == 1) {
                throw CertificateFormatException.at("a version 1 certificate has a unique identifier or extensions",
                        in.pos());
            }
            last = field;
            if (field < 3) {
                String what = field == 1 ? "issuerUniqueID" : "subjectUniqueID";
                in.expect(tag, end, what);
                in.checkBitString(what);
                in.skip();
            } else {
                if (version != 3) {
                    throw CertificateFormatException.at("a version " + version + " certificate has extensions",
                            in.pos());
                }
                int wrapperEnd = in.expect(0xa3, end, "extensions [3]");
                int extensionsEnd = in.expect(DerTag.SEQUENCE, wrapperEnd, "extensions");
                if (in.content() == extensionsEnd) {
                    throw CertificateFormatException.at("the extensions field is present but empty", in.start());
                }
                extensions(in, extensionsEnd);
                in.expectEnd(wrapperEnd, "extensions [3]");
            }
        }
    }

    /**
     * AlgorithmIdentifier ::= SEQUENCE { algorithm OBJECT IDENTIFIER, parameters ANY OPTIONAL } at {@code depth};
     * NULL and OID parameters are checked here, any other to BouncyCastle.
     */
    private void algorithmIdentifier(DerCursor<CertificateFormatException> in, int limit, int depth, String what,
            String parameters) throws CertificateFormatException {
        int end = in.expect(DerTag.SEQUENCE, limit, what);
        in.expect(DerTag.OID, end, what);
        in.checkOid(what);
        in.skip();
        if (in.pos() < end) {
            in.header(end, parameters);
            if (in.tag() == DerTag.NULL) {
                in.checkNull(parameters);
            } else if (in.tag() == DerTag.OID) {
                in.checkOid(parameters);
            } else {
                viaBouncyCastle(in.start(), in.end(), depth + 1, parameters);
            }
            in.skip();
        }
        in.expectEnd(end, what);
    }

    private void extensions(DerCursor<CertificateFormatException> in, int end) throws CertificateFormatException {
        // Extensions seen: id-ce ones as bits of their number, others as [from, to) pairs.
        long idCeLow = 0;
        long idCeHigh = 0;
        int[] seen = null;
        int count = 0;
        while (in.pos() < end) {
            int extensionEnd = in.expect(DerTag.SEQUENCE, end, "extension");
            in.expect(DerTag.OID, extensionEnd, "extension extnID");
            in.checkOid("extension extnID");
            int oidFrom = in.content();
            int oidTo = in.end();
            boolean twice = false;
            if (oidTo - oidFrom == 3 && der[oidFrom] == 0x55 && der[oidFrom + 1] == 0x1d && der[oidFrom + 2] >= 0) {
                int number = der[oidFrom + 2];
                long bit = 1L << (number & 63);
                if (number < 64) {
                    twice = (idCeLow & bit) != 0;
                    idCeLow |= bit;
                } else {
                    twice = (idCeHigh & bit) != 0;
                    idCeHigh |= bit;
                }
            } else {
                for (int i = 0; i < count && !twice; i += 2) {
                    twice = Arrays.equals(der, seen[i], seen[i + 1], der, oidFrom, oidTo);
                }
                if (seen == null) {
                    seen = new int[8];
                } else if (count == seen.length) {
                    seen = Arrays.copyOf(seen, count * 2);
                }
                seen[count++] = oidFrom;
                seen[count++] = oidTo;
            }
            if (twice) {
                throw CertificateFormatException.at("extension "
                        + ParsedCertificate.name(DerCursor.oidText(der, oidFrom, oidTo)) + " appears twice",
                        in.start());
            }
            in.skip();
            boolean critical = false;
            if (in.at(DerTag.BOOLEAN, extensionEnd)) {
                in.expect(DerTag.BOOLEAN, extensionEnd, "extension critical");
                if (!in.checkBoolean("extension critical")) {
                    throw CertificateFormatException.at("extension "
                            + ParsedCertificate.name(DerCursor.oidText(der, oidFrom, oidTo))
                            + " has critical FALSE encoded: DER omits a DEFAULT value", in.start());
                }
                critical = true;
                in.skip();
            }
            in.expect(DerTag.OCTET_STRING, extensionEnd, "extension extnValue");
            int valueFrom = in.content();
            int valueTo = in.end();
            in.skip();
            in.expectEnd(extensionEnd, "extension");
            extension(oidFrom, oidTo, critical, valueFrom, valueTo);
        }
    }

    private void extension(int oidFrom, int oidTo, boolean critical, int from, int to)
            throws CertificateFormatException {
        String id = knownId(oidFrom, oidTo);
        if (id == null) {
            // An extension certgate does not know is opaque: its value need not even be DER.
            if (critical) {
                unknownCritical = add(unknownCritical, DerCursor.oidText(der, oidFrom, oidTo));
            }
            return;
        }
        int flags = flags(oidFrom, oidTo);
        if (critical && (flags & NON_CRITICAL) != 0) {
            problem(ParsedCertificate.name(id) + " is marked critical (RFC 5280 requires it non-critical)");
        }
        if (!critical && (flags & CRITICAL) != 0) {
            problem(ParsedCertificate.name(id) + " is not marked critical (RFC 5280 requires it critical)");
        }
        if ((flags & (UNDERSTOOD | NON_CRITICAL)) == 0) {
            if (critical) {
                unknownCritical = add(unknownCritical, id);
            }
            return;
        }
        DerCursor<CertificateFormatException> in = new DerCursor<>(der, from, CertificateFormatException::at);
        switch (id) {
            case ParsedCertificate.BASIC_CONSTRAINTS -> basicConstraints(in, to, critical);
            case ParsedCertificate.KEY_USAGE -> keyUsage(in, to);
            case ParsedCertificate.SUBJECT_KEY_ID -> {
                in.expect(DerTag.OCTET_STRING, to, "extension subjectKeyIdentifier");
                in.skip();
                in.expectEnd(to, "extension subjectKeyIdentifier value");
                subjectKeyIdStart = in.content();
                subjectKeyIdEnd = in.end();
            }
            case ParsedCertificate.AUTHORITY_KEY_ID -> authorityKeyId(in, to);
            case ParsedCertificate.SUBJECT_ALT_NAME -> {
                String what = "extension subjectAltName";
                int end = in.expect(DerTag.SEQUENCE, to, what);
                int content = in.content();
                in.skip();
                in.expectEnd(to, "extension subjectAltName value");
                sanPresent = true;
                altNames = AltNames.read(der, content, end, 1, what);
                if (altNames.isEmpty()) {
                    problem("subjectAltName is empty");
                }
                if (subject.isEmpty() && !critical) {
                    problem("the subject is empty and subjectAltName is not critical");
                }
            }
            case ParsedCertificate.ISSUER_ALT_NAME -> {
                String what = "extension issuerAltName";
                int end = in.expect(DerTag.SEQUENCE, to, what);
                AltNames.read(der, in.content(), end, 1, what);
                in.skip();
                in.expectEnd(to, "extension issuerAltName value");
            }
            case ParsedCertificate.EXT_KEY_USAGE -> extendedKeyUsage(in, to, critical);
            case ParsedCertificate.NAME_CONSTRAINTS -> nameConstraints(from, to, critical);
            case ParsedCertificate.CRL_DISTRIBUTION_POINTS -> {
                crlDistributionPointsStart = from;
                crlDistributionPointsEnd = to;
                if (!plainDistributionPoints(from, to)) {
                    crlDistributionPoints = Optional.of(CRLDistPoint.getInstance(valueViaBouncyCastle(from, to,
                            "extension cRLDistributionPoints", CRLDistPoint::getInstance)));
                }
            }
            default -> {
                // Policy extensions: their structure is read when path validation asks (PolicyExtensions).
                // Information-access extensions: accepted as they are (DER), not interpreted.
                int slot = switch (id) {
                    case ParsedCertificate.CERTIFICATE_POLICIES -> 0;
                    case ParsedCertificate.POLICY_MAPPINGS -> 2;
                    case ParsedCertificate.POLICY_CONSTRAINTS -> 4;
                    case ParsedCertificate.INHIBIT_ANY_POLICY -> 6;
                    default -> -1;
                };
                if (slot >= 0) {
                    policyRanges[slot] = from;
                    policyRanges[slot + 1] = to;
                }
                if (!plainDer(from, to, 0, true)) {
                    valueViaBouncyCastle(from, to, "extension " + ParsedCertificate.name(id), value -> value);
                }
            }
        }
    }

    /** The dotted OID of an extension certgate knows (processes or must check the criticality of), else null. */
    private String knownId(int from, int to) {
        if (to - from == 3 && der[from] == 0x55 && der[from + 1] == 0x1d && der[from + 2] >= 0) {
            return ID_CE[der[from + 2]];
        }
        if (to - from == ID_PE.length + 1 && Arrays.equals(der, from, to - 1, ID_PE, 0, ID_PE.length)) {
            if (der[to - 1] == 1) {
                return ParsedCertificate.AUTHORITY_INFO_ACCESS;
            }
            if (der[to - 1] == 11) {
                return ParsedCertificate.SUBJECT_INFO_ACCESS;
            }
        }
        return null;
    }

    /** {@link #UNDERSTOOD}, {@link #NON_CRITICAL}, {@link #CRITICAL} of a known extension (see {@link #knownId}). */
    private int flags(int from, int to) {
        return to - from == 3 ? ID_CE_FLAGS[der[from + 2]] : NON_CRITICAL;
    }

    /** BasicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLenConstraint INTEGER (0..MAX) OPTIONAL } */
    private void basicConstraints(DerCursor<CertificateFormatException> in, int to, boolean critical)
            throws CertificateFormatException {
        String what = "extension basicConstraints";
        int end = in.expect(DerTag.SEQUENCE, to, what);
        boolean ca = false;
        Optional<Integer> pathLen = Optional.empty();
        if (in.at(DerTag.BOOLEAN, end)) {
            in.expect(DerTag.BOOLEAN, end, "extension basicConstraints cA");
            if (!in.checkBoolean("extension basicConstraints cA")) {
                throw CertificateFormatException.at(what + " has cA FALSE encoded: DER omits a DEFAULT value",
                        in.start());
            }
            ca = true;
            in.skip();
        }
        if (in.at(DerTag.INTEGER, end)) {
            in.expect(DerTag.INTEGER, end, "extension basicConstraints pathLenConstraint");
            in.checkInteger("extension basicConstraints pathLenConstraint");
            try {
                pathLen = Optional.of(in.integerValue().intValueExact());
            } catch (ArithmeticException e) {
                throw CertificateFormatException.at(what + " pathLenConstraint is out of range", in.start());
            }
            in.skip();
        }
        in.expectEnd(end, what);
        in.expectEnd(to, "extension basicConstraints value");
        if (pathLen.isPresent() && !ca) {
            problem("basicConstraints has a pathLenConstraint but cA is false");
        }
        basic = Optional.of(new ParsedCertificate.Basic(ca, pathLen, critical));
    }

    /** KeyUsage ::= BIT STRING; the bits as BouncyCastle's {@code ASN1BitString.intValue} numbers them. */
    private void keyUsage(DerCursor<CertificateFormatException> in, int to) throws CertificateFormatException {
        in.expect(DerTag.BIT_STRING, to, "extension keyUsage");
        int unused = in.checkBitString("extension keyUsage");
        in.skip();
        in.expectEnd(to, "extension keyUsage value");
        int first = in.content() + 1;
        int octets = in.end() - first;
        int value = 0;
        int last = Math.min(4, octets);
        for (int i = 0; i < last; i++) {
            int octet = der[first + i] & 0xff;
            if (i == octets - 1) {
                octet &= 0xff << unused;
            }
            value |= octet << (8 * i);
        }
        hasKeyUsage = true;
        keyUsage = value;
        if (value == 0) {
            problem("keyUsage has no bit set");
        }
    }

    /** AuthorityKeyIdentifier ::= SEQUENCE { [0] KeyIdentifier OPTIONAL, [1] GeneralNames OPTIONAL, [2] INTEGER } */
    private void authorityKeyId(DerCursor<CertificateFormatException> in, int to) throws CertificateFormatException {
        String what = "extension authorityKeyIdentifier";
        int end = in.expect(DerTag.SEQUENCE, to, what);
        if (in.at(0x80, end)) {
            in.expect(0x80, end, "extension authorityKeyIdentifier keyIdentifier");
            authorityKeyId = Optional.of(hex(der, in.content(), in.end()));
            in.skip();
        }
        boolean issuer = in.at(0xa1, end);
        if (issuer) {
            in.expect(0xa1, end, "extension authorityKeyIdentifier authorityCertIssuer");
            AltNames.read(der, in.content(), in.end(), 2, "extension authorityKeyIdentifier authorityCertIssuer");
            in.skip();
        }
        boolean serialNumber = in.at(0x82, end);
        if (serialNumber) {
            in.expect(0x82, end, "extension authorityKeyIdentifier authorityCertSerialNumber");
            in.checkInteger("extension authorityKeyIdentifier authorityCertSerialNumber");
            in.skip();
        }
        in.expectEnd(end, what);
        if (issuer != serialNumber) {
            // RFC 5280 4.2.1.1 by way of X.509; BouncyCastle refuses one without the other too.
            throw CertificateFormatException.at(what
                    + " has only one of authorityCertIssuer and authorityCertSerialNumber", in.start());
        }
        in.expectEnd(to, "extension authorityKeyIdentifier value");
    }

    /** ExtKeyUsageSyntax ::= SEQUENCE SIZE (1..MAX) OF KeyPurposeId (OBJECT IDENTIFIER) */
    private void extendedKeyUsage(DerCursor<CertificateFormatException> in, int to, boolean critical)
            throws CertificateFormatException {
        String what = "extension extKeyUsage";
        int end = in.expect(DerTag.SEQUENCE, to, what);
        if (in.pos() == end) {
            throw CertificateFormatException.at(what + " lists no purpose", in.start());
        }
        List<String> purposes = new ArrayList<>(2);
        while (in.pos() < end) {
            in.expect(DerTag.OID, end, "extension extKeyUsage purpose");
            in.checkOid("extension extKeyUsage purpose");
            purposes.add(DerCursor.oidText(der, in.content(), in.end()));
            in.skip();
        }
        in.expectEnd(to, "extension extKeyUsage value");
        extendedKeyUsage = Optional.of(List.copyOf(purposes));
        extendedKeyUsageCritical = critical;
    }

    private void nameConstraints(int from, int to, boolean critical) throws CertificateFormatException {
        String what = "extension nameConstraints";
        NameConstraints constraints = NameConstraints.getInstance(
                valueViaBouncyCastle(from, to, what, NameConstraints::getInstance));
        try {
            nameConstraints = Optional.of(new ParsedCertificate.Constraints(
                    subtrees(constraints.getPermittedSubtrees()), subtrees(constraints.getExcludedSubtrees()),
                    critical));
        } catch (RuntimeException e) {
            throw new CertificateFormatException(what + " is malformed: " + e.getMessage());
        }
        if (constraints.getPermittedSubtrees() == null && constraints.getExcludedSubtrees() == null) {
            problem("nameConstraints has neither permitted nor excluded subtrees");
        }
    }

    private AltNames subtrees(GeneralSubtree[] subtrees) throws CertificateFormatException {
        if (subtrees == null) {
            return AltNames.NONE;
        }
        if (subtrees.length == 0) {
            throw new CertificateFormatException("nameConstraints has an empty list of subtrees");
        }
        List<GeneralName> bases = new ArrayList<>(subtrees.length);
        for (GeneralSubtree subtree : subtrees) {
            if ((subtree.getMinimum() != null && subtree.getMinimum().signum() != 0)
                    || subtree.getMaximum() != null) {
                problem("nameConstraints uses minimum/maximum, which RFC 5280 forbids");
            }
            bases.add(subtree.getBase());
        }
        return AltNames.of(new GeneralNames(bases.toArray(new GeneralName[0])));
    }

    /**
     * Whether [from, to) is certainly DER that BouncyCastle's parser accepts and re-encodes unchanged: elements of
     * the common universal types with their DER content rules (BOOLEAN, INTEGER, BIT STRING, OCTET STRING, NULL,
     * OID, UTF8String, PrintableString, IA5String, VisibleString), SEQUENCE, and context-specific tags, within the
     * nesting bound ({@code depth} is that of the elements in the range). {@code single}: exactly one element.
     * Anything else answers false, and the value goes to BouncyCastle, which decides: this only spares it the
     * values it would accept as they are.
     */
    private boolean plainDer(int from, int to, int depth, boolean single) {
        DerCursor<NotPlain> in = plainCursor(from);
        try {
            return plainElements(in, from, to, depth, single);
        } catch (NotPlain e) {
            return false;
        }
    }

    private boolean plainElements(DerCursor<NotPlain> in, int from, int to, int depth, boolean single)
            throws NotPlain {
        in.seek(from);
        while (in.pos() < to) {
            in.header(to, "");
            int tag = in.tag();
            int end = in.end();
            switch (tag) {
                case DerTag.BOOLEAN -> in.checkBoolean("");
                case DerTag.INTEGER -> in.checkInteger("");
                case DerTag.BIT_STRING -> in.checkBitString("");
                case DerTag.NULL -> in.checkNull("");
                case DerTag.OID -> in.checkOid("");
                case DerTag.OCTET_STRING, DerTag.UTF8_STRING, DerTag.PRINTABLE_STRING, DerTag.IA5_STRING,
                        DerTag.VISIBLE_STRING -> {
                    // any content
                }
                default -> {
                    boolean constructed = tag == DerTag.SEQUENCE || (tag >= 0xa0 && tag <= 0xbe);
                    if (!constructed && !(tag >= 0x80 && tag <= 0x9e)) {
                        return false;
                    }
                    if (constructed && (depth >= DerCursor.MAX_DEPTH
                            || !plainElements(in, in.content(), end, depth + 1, false))) {
                        return false;
                    }
                }
            }
            if (single && end != to) {
                return false;
            }
            in.seek(end);
        }
        return !single || from < to;
    }

    /** A fast path's refusal: nothing to report, the value just goes to BouncyCastle, which decides. */
    private static final class NotPlain extends Exception {
        private static final long serialVersionUID = 1L;

        private static final NotPlain INSTANCE = new NotPlain();

        private NotPlain() {
            super("not in the plain form", null, false, false);
        }
    }

    /** The cursor of the fast paths, made once per certificate and only when one is taken. */
    private DerCursor<NotPlain> plainCursor(int from) {
        if (plain == null) {
            plain = new DerCursor<>(der, from, (message, offset) -> NotPlain.INSTANCE);
        }
        plain.seek(from);
        return plain;
    }

    /**
     * Whether a cRLDistributionPoints value has the plain form CAs write, which BouncyCastle reads and re-encodes
     * unchanged: distribution points with only a fullName of URI, DNS, e-mail or IP names
     * ({@code SEQUENCE { SEQUENCE { [0] { [0] { names } } } ... }}). Any other form goes to BouncyCastle.
     */
    private boolean plainDistributionPoints(int from, int to) {
        DerCursor<NotPlain> in = plainCursor(from);
        try {
            if (in.expect(DerTag.SEQUENCE, to, "") != to || in.pos() == to) {
                return false;
            }
            while (in.pos() < to) {
                int point = in.expect(DerTag.SEQUENCE, to, "");
                // distributionPoint [0], then fullName [0], each filling the point; at least one name.
                if (in.expect(DerTag.CONTEXT_0, point, "") != point
                        || in.expect(DerTag.CONTEXT_0, point, "") != point || in.pos() == point) {
                    return false;
                }
                while (in.pos() < point) {
                    in.header(point, "");
                    int tag = in.tag();
                    if (tag != 0x81 && tag != 0x82 && tag != 0x86 && tag != 0x87) {
                        return false;
                    }
                    in.skip();
                }
            }
            return true;
        } catch (NotPlain e) {
            return false;
        }
    }

    /** How BouncyCastle reads one extension value into its type (or leaves it generic). */
    @FunctionalInterface
    private interface Typed {
        ASN1Object read(ASN1Primitive value);
    }

    /**
     * An extension value read by BouncyCastle: strict DER first (BouncyCastle reads BER), then its type, whose
     * DER re-encoding must be the value's bytes (so nothing BouncyCastle would normalise is accepted).
     */
    private ASN1Object valueViaBouncyCastle(int from, int to, String what, Typed typed)
            throws CertificateFormatException {
        Optional<String> problem = Der.problem(der, from, to - from);
        if (problem.isPresent()) {
            throw new CertificateFormatException(what + " is not DER: " + problem.get());
        }
        byte[] bytes = Arrays.copyOfRange(der, from, to);
        ASN1Object value;
        try {
            value = typed.read(ASN1Primitive.fromByteArray(bytes));
            if (!Arrays.equals(value.getEncoded(ASN1Encoding.DER), bytes)) {
                throw new CertificateFormatException(what + " is not in its canonical DER encoding");
            }
        } catch (IOException | RuntimeException e) {
            throw new CertificateFormatException(what + " is malformed: " + e.getMessage());
        }
        return value;
    }

    /** A part of the certificate proper read by BouncyCastle (unusual algorithm parameters), the same way. */
    private void viaBouncyCastle(int start, int end, int depth, String what) throws CertificateFormatException {
        if (plainDer(start, end, depth, true)) {
            return;
        }
        Optional<String> problem = Der.problem(der, start, end - start, depth);
        if (problem.isPresent()) {
            throw new CertificateFormatException(what + " are not DER: " + problem.get());
        }
        byte[] bytes = Arrays.copyOfRange(der, start, end);
        try {
            if (!Arrays.equals(ASN1Primitive.fromByteArray(bytes).getEncoded(ASN1Encoding.DER), bytes)) {
                throw CertificateFormatException.at(what + " are not in their canonical DER encoding", start);
            }
        } catch (IOException | RuntimeException e) {
            throw CertificateFormatException.at(what + " cannot be read: " + e.getMessage(), start);
        }
    }

    private static final byte[] HEX_DIGITS = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** Lower-case hex of [from, to), as {@code HexFormat.of().formatHex} writes it (several times faster). */
    static String hex(byte[] bytes, int from, int to) {
        byte[] out = new byte[2 * (to - from)];
        for (int i = from, o = 0; i < to; i++) {
            out[o++] = HEX_DIGITS[(bytes[i] >> 4) & 0xf];
            out[o++] = HEX_DIGITS[bytes[i] & 0xf];
        }
        return new String(out, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    private static Optional<String> serialProblem(BigInteger value, int octets) {
        if (value.signum() == 0) {
            return Optional.of("the serial number is zero");
        }
        if (value.signum() < 0) {
            return Optional.of("the serial number is negative");
        }
        if (octets > 20) {
            return Optional.of("the serial number is longer than 20 octets");
        }
        return Optional.empty();
    }

    private void problem(String text) {
        problems = add(problems, text);
    }

    private static List<String> add(List<String> list, String value) {
        List<String> out = list.isEmpty() ? new ArrayList<>(2) : list;
        out.add(value);
        return out;
    }
}
