package certgate.engine.revocation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.IssuingDistributionPoint;

/**
 * Walks a DER CertificateList once (RFC 5280 5.1):
 * <pre>
 * CertificateList ::= SEQUENCE { tbsCertList TBSCertList, signatureAlgorithm AlgorithmIdentifier,
 *                                signatureValue BIT STRING }
 * TBSCertList ::= SEQUENCE { version INTEGER OPTIONAL (v2 = 1), signature AlgorithmIdentifier, issuer Name,
 *                            thisUpdate Time, nextUpdate Time OPTIONAL,
 *                            revokedCertificates SEQUENCE OF SEQUENCE { userCertificate INTEGER,
 *                                revocationDate Time, crlEntryExtensions Extensions OPTIONAL } OPTIONAL,
 *                            crlExtensions [0] EXPLICIT Extensions OPTIONAL }
 * </pre>
 * The entries are read by hand into a {@link CrlEntryTable.Builder}; BouncyCastle reads only the small parts,
 * after {@link DerReader#checkStructure} has made sure they are strict DER of bounded depth.
 */
final class CrlParser {
    static final int MAX_SIZE = 256 * 1024 * 1024;

    // Content bytes of the entry extension OIDs of RFC 5280 5.3 (id-ce 21, 24, 29, 23).
    private static final int ID_CE_REASON_CODE = 21;
    private static final int ID_CE_INVALIDITY_DATE = 24;
    private static final int ID_CE_CERTIFICATE_ISSUER = 29;
    private static final int ID_CE_HOLD_INSTRUCTION_CODE = 23;

    private static final Map<ASN1ObjectIdentifier, Function<Object, ?>> STANDARD_CRL_EXTENSIONS = Map.of(
            Extension.cRLNumber, ASN1Integer::getInstance,
            Extension.deltaCRLIndicator, ASN1Integer::getInstance,
            Extension.issuingDistributionPoint, IssuingDistributionPoint::getInstance,
            Extension.authorityKeyIdentifier, AuthorityKeyIdentifier::getInstance,
            Extension.freshestCRL, CRLDistPoint::getInstance,
            Extension.issuerAlternativeName, GeneralNames::getInstance);

    /** id-ce numbers of the extensions above, as a bit set (2.5.29.n is bit n). */
    private static final long STANDARD_CRL_EXTENSION_IDS =
            1L << 18 | 1L << 20 | 1L << 27 | 1L << 28 | 1L << 35 | 1L << 46;

    private final byte[] der;
    private final DerReader in;
    private boolean unrecognizedCriticalEntryExtension;

    private CrlParser(byte[] der) {
        this.der = der;
        this.in = new DerReader(der, 0);
    }

    static CrlIndex parse(byte[] der) throws CrlFormatException {
        if (der.length > MAX_SIZE) {
            throw DerReader.fail("CRL of " + der.length + " bytes is larger than the limit of " + MAX_SIZE, 0);
        }
        if (der.length == 0) {
            throw DerReader.fail("CRL is empty", 0);
        }
        return new CrlParser(der).certificateList();
    }

    private CrlIndex certificateList() throws CrlFormatException {
        int listLength = in.header(DerReader.SEQUENCE, der.length, "CertificateList");
        int listEnd = in.position() + listLength;
        if (listEnd != der.length) {
            throw DerReader.fail("CertificateList is followed by " + (der.length - listEnd) + " trailing bytes",
                    listEnd);
        }
        int tbsStart = in.position();
        int tbsLength = in.header(DerReader.SEQUENCE, listEnd, "tbsCertList");
        int tbsEnd = in.position() + tbsLength;

        int version = 1;
        if (in.peekTag(tbsEnd) == DerReader.INTEGER) {
            int at = in.position();
            int value = in.smallInteger(DerReader.INTEGER, tbsEnd, "tbsCertList.version");
            if (value != 1) {
                throw DerReader.fail("tbsCertList.version must be v2 (1) when present, was " + value, at);
            }
            version = 2;
        }
        int innerAlgorithmStart = in.position();
        small(tbsEnd, "tbsCertList.signature", AlgorithmIdentifier::getInstance); // compared with the outer below
        int innerAlgorithmEnd = in.position();

        int issuerStart = in.position();
        X500Name issuer = small(tbsEnd, "tbsCertList.issuer", X500Name::getInstance);
        int issuerEnd = in.position();
        if (issuer.getRDNs().length == 0) {
            throw DerReader.fail("tbsCertList.issuer is an empty Name (RFC 5280 5.1.2.3)", issuerStart);
        }
        long thisUpdate = in.time(tbsEnd, "tbsCertList.thisUpdate");
        Optional<Instant> nextUpdate = Optional.empty();
        int tag = in.peekTag(tbsEnd);
        if (tag == DerReader.UTC_TIME || tag == DerReader.GENERALIZED_TIME) {
            nextUpdate = Optional.of(Instant.ofEpochSecond(in.time(tbsEnd, "tbsCertList.nextUpdate")));
        }

        CrlEntryTable.Builder entries = revokedCertificates(tbsEnd, version);

        Extensions extensions = Extensions.getInstance(new DERSequence());
        int extensionsEncoded = 0;
        if (in.peekTag(tbsEnd) == DerReader.CONTEXT_0) {
            int at = in.position();
            if (version == 1) {
                throw DerReader.fail("tbsCertList.crlExtensions in a v1 CRL (only v2 may have extensions)", at);
            }
            int wrapped = in.header(DerReader.CONTEXT_0, tbsEnd, "tbsCertList.crlExtensions [0]");
            int wrappedEnd = in.position() + wrapped;
            int extensionsStart = in.position();
            int extensionsLength = in.header(DerReader.SEQUENCE, wrappedEnd, "tbsCertList.crlExtensions");
            int extensionsEnd = in.position() + extensionsLength;
            if (extensionsEnd != wrappedEnd) {
                throw DerReader.fail("tbsCertList.crlExtensions [0] holds more than one Extensions", extensionsEnd);
            }
            walkExtensions(in.position(), extensionsEnd, "tbsCertList.crlExtensions", null);
            in.seek(extensionsStart);
            extensions = small(extensionsEnd, "tbsCertList.crlExtensions", Extensions::getInstance);
            checkStandardCrlExtensions(extensions, extensionsStart);
            extensionsEncoded = extensionsEnd - extensionsStart;
        }
        in.expectEnd(tbsEnd, "tbsCertList");

        int outerAlgorithmStart = in.position();
        AlgorithmIdentifier outerAlgorithm = small(listEnd, "signatureAlgorithm", AlgorithmIdentifier::getInstance);
        int outerAlgorithmEnd = in.position();
        boolean algorithmsMatch = Arrays.equals(der, innerAlgorithmStart, innerAlgorithmEnd,
                der, outerAlgorithmStart, outerAlgorithmEnd);

        int smallPartsEncoded = (issuerEnd - issuerStart) + (innerAlgorithmEnd - innerAlgorithmStart)
                + (outerAlgorithmEnd - outerAlgorithmStart) + extensionsEncoded;
        int signatureStart = in.position();
        int signatureLength = in.header(DerReader.BIT_STRING, listEnd, "signatureValue");
        in.checkBitString(in.position(), signatureLength, "signatureValue", signatureStart);
        // A signature is a whole number of bytes; one that is not cannot verify, so it reads as empty (PKITS'
        // BadCRLSignatureCACRL is such a CRL: it must load, and fail its signature check).
        byte[] signature = der[in.position()] != 0 ? new byte[0]
                : Arrays.copyOfRange(der, in.position() + 1, in.position() + signatureLength);
        in.skip(signatureLength);
        in.expectEnd(listEnd, "CertificateList");

        return new CrlIndex(der, tbsStart, tbsEnd - tbsStart, version, issuer, Instant.ofEpochSecond(thisUpdate),
                nextUpdate, outerAlgorithm, algorithmsMatch, signature, extensions,
                entries.build(), unrecognizedCriticalEntryExtension, smallPartsEncoded);
    }

    private CrlEntryTable.Builder revokedCertificates(int tbsEnd, int version) throws CrlFormatException {
        if (in.peekTag(tbsEnd) != DerReader.SEQUENCE) {
            return new CrlEntryTable.Builder(der, 0);
        }
        int listLength = in.header(DerReader.SEQUENCE, tbsEnd, "tbsCertList.revokedCertificates");
        int listEnd = in.position() + listLength;
        // Most entries are 35 to 60 bytes; start near the right size and grow by half when wrong.
        CrlEntryTable.Builder entries = new CrlEntryTable.Builder(der, listLength / 40);
        while (in.position() < listEnd) {
            int entryLength = in.header(DerReader.SEQUENCE, listEnd, "revokedCertificates entry");
            int entryEnd = in.position() + entryLength;
            int serialStart = in.position();
            int serialLength = in.header(DerReader.INTEGER, entryEnd, "revokedCertificates entry userCertificate");
            int serialOffset = in.position();
            in.checkInteger(serialOffset, serialLength, "revokedCertificates entry userCertificate", serialStart);
            if (serialLength > CrlEntryTable.MAX_SERIAL_LENGTH) {
                throw DerReader.fail("revokedCertificates entry userCertificate of " + serialLength
                        + " bytes is longer than " + CrlEntryTable.MAX_SERIAL_LENGTH, serialStart);
            }
            in.skip(serialLength);
            long date = in.time(entryEnd, "revokedCertificates entry revocationDate");
            int reason = -1;
            if (in.position() < entryEnd) {
                if (version == 1) {
                    throw DerReader.fail("crlEntryExtensions in a v1 CRL (only v2 may have extensions)",
                            in.position());
                }
                int extensionsLength = in.header(DerReader.SEQUENCE, entryEnd, "crlEntryExtensions");
                int extensionsEnd = in.position() + extensionsLength;
                if (extensionsEnd != entryEnd) {
                    throw DerReader.fail("revokedCertificates entry has an element after crlEntryExtensions",
                            extensionsEnd);
                }
                reason = walkExtensions(in.position(), extensionsEnd, "crlEntryExtensions", entries);
            }
            in.expectEnd(entryEnd, "revokedCertificates entry");
            entries.add(serialOffset, serialLength, date, reason);
        }
        return entries;
    }

    /**
     * Walks an Extensions SEQUENCE's content [from, to): each Extension is {@code SEQUENCE { OID, BOOLEAN TRUE
     * OPTIONAL, OCTET STRING }} (DER omits a FALSE critical flag), no OID twice, at least one extension. For entry
     * extensions ({@code entries} given) reads reasonCode, checks invalidityDate and holdInstructionCode, records
     * certificateIssuer, and notes unrecognized critical ones; returns the reasonCode or -1.
     */
    private int walkExtensions(int from, int to, String what, CrlEntryTable.Builder entries)
            throws CrlFormatException {
        Labels labels = entries == null ? Labels.CRL : Labels.ENTRY;
        if (from == to) {
            throw DerReader.fail(what + " is an empty SEQUENCE (Extensions has at least one)", from);
        }
        in.seek(from);
        int reason = -1;
        long seenKnown = 0;
        Set<String> seenOthers = null;
        while (in.position() < to) {
            int extensionStart = in.position();
            int extensionLength = in.header(DerReader.SEQUENCE, to, labels.extension);
            int extensionEnd = in.position() + extensionLength;
            int oidStart = in.position();
            int oidLength = in.header(DerReader.OID, extensionEnd, labels.extnId);
            int oid = in.position();
            boolean idCe = oidLength == 3 && der[oid] == 0x55 && der[oid + 1] == 0x1d && der[oid + 2] >= 0;
            if (!idCe) {
                in.checkOid(oid, oidLength, labels.extnId, oidStart); // 2.5.29.n with n < 128 is well formed
            }
            in.skip(oidLength);
            boolean critical = false;
            if (in.peekTag(extensionEnd) == DerReader.BOOLEAN) {
                int booleanStart = in.position();
                int booleanLength = in.header(DerReader.BOOLEAN, extensionEnd, labels.critical);
                if (booleanLength != 1 || der[in.position()] != (byte) 0xff) {
                    throw DerReader.fail(what + " critical must be absent or TRUE (0xff) in DER", booleanStart);
                }
                critical = true;
                in.skip(1);
            }
            int valueLength = in.header(DerReader.OCTET_STRING, extensionEnd, labels.extnValue);
            int value = in.position();
            int valueEnd = value + valueLength;
            in.skip(valueLength);
            in.expectEnd(extensionEnd, labels.extension);

            int known = idCe ? der[oid + 2] : -1;
            if (known >= 0 && known < 64) {
                if ((seenKnown & (1L << known)) != 0) {
                    throw DerReader.fail(what + " has extension 2.5.29." + known + " twice", extensionStart);
                }
                seenKnown |= 1L << known;
            } else {
                if (seenOthers == null) {
                    seenOthers = new HashSet<>();
                }
                if (!seenOthers.add(new String(der, oid, oidLength, StandardCharsets.ISO_8859_1))) {
                    throw DerReader.fail(what + " has the same extension twice", extensionStart);
                }
            }
            if (entries == null && known >= 0 && known < 64 && (STANDARD_CRL_EXTENSION_IDS & (1L << known)) != 0) {
                oneStrictElement(value, valueEnd, what + " 2.5.29." + known);
            }
            if (entries != null) {
                in.seek(value);
                switch (known) {
                    case ID_CE_REASON_CODE -> reason = reasonCode(value, valueEnd);
                    case ID_CE_INVALIDITY_DATE -> {
                        if (in.peekTag(valueEnd) != DerReader.GENERALIZED_TIME) {
                            throw DerReader.fail("invalidityDate must be a GeneralizedTime", value);
                        }
                        in.time(valueEnd, "invalidityDate");
                        in.expectEnd(valueEnd, "invalidityDate");
                    }
                    case ID_CE_CERTIFICATE_ISSUER -> {
                        entries.certificateIssuer(small(valueEnd, "certificateIssuer", GeneralNames::getInstance));
                        in.expectEnd(valueEnd, "certificateIssuer");
                    }
                    case ID_CE_HOLD_INSTRUCTION_CODE -> {
                        int codeStart = in.position();
                        int codeLength = in.header(DerReader.OID, valueEnd, "holdInstructionCode");
                        in.checkOid(in.position(), codeLength, "holdInstructionCode", codeStart);
                        in.skip(codeLength);
                        in.expectEnd(valueEnd, "holdInstructionCode");
                    }
                    default -> unrecognizedCriticalEntryExtension |= critical;
                }
            }
            in.seek(extensionEnd);
        }
        return reason;
    }

    /**
     * The CRL extensions of RFC 5280 5.2 that the engine reads must decode, so a CRL that loads never fails later
     * (BouncyCastle's X509CRLHolder refuses a malformed issuingDistributionPoint too).
     */
    private static void checkStandardCrlExtensions(Extensions extensions, int offset) throws CrlFormatException {
        for (Map.Entry<ASN1ObjectIdentifier, Function<Object, ?>> standard : STANDARD_CRL_EXTENSIONS.entrySet()) {
            Extension extension = extensions.getExtension(standard.getKey());
            if (extension == null) {
                continue;
            }
            try {
                standard.getValue().apply(extension.getParsedValue());
            } catch (RuntimeException e) {
                throw DerReader.fail("crlExtensions " + standard.getKey() + " is malformed: " + e.getMessage(),
                        offset);
            }
        }
    }

    /** The names of an Extension's parts in error messages, made once rather than for every entry. */
    private record Labels(String extension, String extnId, String critical, String extnValue) {
        static final Labels CRL = of("tbsCertList.crlExtensions");
        static final Labels ENTRY = of("crlEntryExtensions");

        static Labels of(String what) {
            return new Labels(what + " Extension", what + " extnID", what + " critical", what + " extnValue");
        }
    }

    /** [from, to) must hold exactly one element, strict DER of bounded depth (checked before BouncyCastle). */
    private void oneStrictElement(int from, int to, String what) throws CrlFormatException {
        in.seek(from);
        if (from >= to) {
            throw DerReader.fail(what + " has an empty value", from);
        }
        in.skip(1);
        int length = in.length(to, what, from);
        if (in.position() + length != to) {
            throw DerReader.fail(what + " value holds more than one element", in.position() + length);
        }
        in.checkStructure(from, to, 0, what);
    }

    private int reasonCode(int value, int valueEnd) throws CrlFormatException {
        int at = in.position();
        int code = in.smallInteger(DerReader.ENUMERATED, valueEnd, "reasonCode");
        in.expectEnd(valueEnd, "reasonCode");
        if (code < 0 || code > 10 || code == 7) {
            throw DerReader.fail("reasonCode " + code + " is not a CRLReason (0-6, 8-10)", at);
        }
        return code;
    }

    /**
     * Reads the element at the cursor (which must end by {@code limit}) with BouncyCastle, after checking that it
     * is strict DER; any complaint from BouncyCastle becomes a {@link CrlFormatException} naming the part.
     */
    private <T> T small(int limit, String what, Function<Object, T> reader) throws CrlFormatException {
        int start = in.position();
        if (start >= limit) {
            throw DerReader.fail(what + " is missing (its enclosing element ends here)", start);
        }
        in.seek(start + 1);
        int length = in.length(limit, what, start);
        int end = in.position() + length;
        in.checkStructure(start, end, 0, what);
        try {
            T value = reader.apply(ASN1Primitive.fromByteArray(Arrays.copyOfRange(der, start, end)));
            in.seek(end);
            return value;
        } catch (IOException | RuntimeException e) {
            throw DerReader.fail(what + " is not valid: " + e.getMessage(), start);
        }
    }
}
