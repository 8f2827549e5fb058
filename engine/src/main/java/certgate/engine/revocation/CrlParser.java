package certgate.engine.revocation;

import certgate.der.DerCursor;
import certgate.der.DerTag;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
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
 * after {@link DerCursor#checkStructure} has made sure they are strict DER of bounded depth.
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

    /** Read-only, indices 0 to its limit; shared with the index, never copied. */
    private final ByteBuffer der;
    private final int length;
    private final DerCursor<CrlFormatException> in;
    private boolean unrecognizedCriticalEntryExtension;

    private CrlParser(ByteBuffer der) {
        this.der = der;
        this.length = der.limit();
        this.in = new DerCursor<>(der, 0, CrlFormatException::new);
    }

    /** {@code der}: a read-only buffer of the CRL alone, indices 0 to its limit. */
    static CrlIndex parse(ByteBuffer der) throws CrlFormatException {
        if (der.limit() > MAX_SIZE) {
            throw new CrlFormatException("CRL of " + der.limit() + " bytes is larger than the limit of " + MAX_SIZE,
                    0);
        }
        if (der.limit() == 0) {
            throw new CrlFormatException("CRL is empty", 0);
        }
        return new CrlParser(der).certificateList();
    }

    private CrlIndex certificateList() throws CrlFormatException {
        int listEnd = in.expect(DerTag.SEQUENCE, length, "CertificateList");
        if (listEnd != length) {
            throw new CrlFormatException("CertificateList is followed by " + (length - listEnd) + " trailing bytes",
                    listEnd);
        }
        int tbsStart = in.pos();
        int tbsEnd = in.expect(DerTag.SEQUENCE, listEnd, "tbsCertList");

        int version = 1;
        if (in.peek(tbsEnd) == DerTag.INTEGER) {
            int at = in.pos();
            int value = in.smallInteger(DerTag.INTEGER, tbsEnd, "tbsCertList.version");
            if (value != 1) {
                throw new CrlFormatException("tbsCertList.version must be v2 (1) when present, was " + value, at);
            }
            version = 2;
        }
        int innerAlgorithmStart = in.pos();
        small(tbsEnd, "tbsCertList.signature", AlgorithmIdentifier::getInstance); // compared with the outer below
        int innerAlgorithmEnd = in.pos();

        int issuerStart = in.pos();
        X500Name issuer = small(tbsEnd, "tbsCertList.issuer", X500Name::getInstance);
        int issuerEnd = in.pos();
        if (issuer.getRDNs().length == 0) {
            throw new CrlFormatException("tbsCertList.issuer is an empty Name (RFC 5280 5.1.2.3)", issuerStart);
        }
        long thisUpdate = time(tbsEnd, "tbsCertList.thisUpdate");
        Optional<Instant> nextUpdate = Optional.empty();
        int tag = in.peek(tbsEnd);
        if (tag == DerTag.UTC_TIME || tag == DerTag.GENERALIZED_TIME) {
            nextUpdate = Optional.of(Instant.ofEpochSecond(time(tbsEnd, "tbsCertList.nextUpdate")));
        }

        CrlEntryTable.Builder entries = revokedCertificates(tbsEnd, version);

        Extensions extensions = Extensions.getInstance(new DERSequence());
        int extensionsEncoded = 0;
        if (in.peek(tbsEnd) == DerTag.CONTEXT_0) {
            int at = in.pos();
            if (version == 1) {
                throw new CrlFormatException("tbsCertList.crlExtensions in a v1 CRL (only v2 may have extensions)", at);
            }
            int wrappedEnd = in.expect(DerTag.CONTEXT_0, tbsEnd, "tbsCertList.crlExtensions [0]");
            int extensionsStart = in.pos();
            int extensionsEnd = in.expect(DerTag.SEQUENCE, wrappedEnd, "tbsCertList.crlExtensions");
            if (extensionsEnd != wrappedEnd) {
                throw new CrlFormatException("tbsCertList.crlExtensions [0] holds more than one Extensions",
                        extensionsEnd);
            }
            walkExtensions(in.pos(), extensionsEnd, "tbsCertList.crlExtensions", null);
            in.seek(extensionsStart);
            extensions = small(extensionsEnd, "tbsCertList.crlExtensions", Extensions::getInstance);
            checkStandardCrlExtensions(extensions, extensionsStart);
            extensionsEncoded = extensionsEnd - extensionsStart;
        }
        in.expectEnd(tbsEnd, "tbsCertList");

        int outerAlgorithmStart = in.pos();
        AlgorithmIdentifier outerAlgorithm = small(listEnd, "signatureAlgorithm", AlgorithmIdentifier::getInstance);
        int outerAlgorithmEnd = in.pos();
        boolean algorithmsMatch = der.slice(innerAlgorithmStart, innerAlgorithmEnd - innerAlgorithmStart)
                .equals(der.slice(outerAlgorithmStart, outerAlgorithmEnd - outerAlgorithmStart));

        int smallPartsEncoded = (issuerEnd - issuerStart) + (innerAlgorithmEnd - innerAlgorithmStart)
                + (outerAlgorithmEnd - outerAlgorithmStart) + extensionsEncoded;
        in.expect(DerTag.BIT_STRING, listEnd, "signatureValue");
        in.checkBitString("signatureValue");
        // A signature is a whole number of bytes; one that is not cannot verify, so it reads as empty (PKITS'
        // BadCRLSignatureCACRL is such a CRL: it must load, and fail its signature check).
        byte[] signature = der.get(in.content()) != 0 ? new byte[0] : copy(in.content() + 1, in.end());
        in.skip();
        in.expectEnd(listEnd, "CertificateList");

        return new CrlIndex(der, tbsStart, tbsEnd - tbsStart, version, issuer, Instant.ofEpochSecond(thisUpdate),
                nextUpdate, outerAlgorithm, algorithmsMatch, signature, extensions,
                entries.build(), unrecognizedCriticalEntryExtension, smallPartsEncoded);
    }

    private CrlEntryTable.Builder revokedCertificates(int tbsEnd, int version) throws CrlFormatException {
        if (in.peek(tbsEnd) != DerTag.SEQUENCE) {
            return new CrlEntryTable.Builder(der, 0);
        }
        int listEnd = in.expect(DerTag.SEQUENCE, tbsEnd, "tbsCertList.revokedCertificates");
        int listLength = listEnd - in.content();
        // Most entries are 35 to 60 bytes; start near the right size and grow by half when wrong.
        CrlEntryTable.Builder entries = new CrlEntryTable.Builder(der, listLength / 40);
        while (in.pos() < listEnd) {
            int entryEnd = in.expect(DerTag.SEQUENCE, listEnd, "revokedCertificates entry");
            in.expect(DerTag.INTEGER, entryEnd, "revokedCertificates entry userCertificate");
            in.checkInteger("revokedCertificates entry userCertificate");
            int serialOffset = in.content();
            int serialLength = in.end() - serialOffset;
            if (serialLength > CrlEntryTable.MAX_SERIAL_LENGTH) {
                throw new CrlFormatException("revokedCertificates entry userCertificate of " + serialLength
                        + " bytes is longer than " + CrlEntryTable.MAX_SERIAL_LENGTH, in.start());
            }
            in.skip();
            long date = time(entryEnd, "revokedCertificates entry revocationDate");
            int reason = -1;
            if (in.pos() < entryEnd) {
                if (version == 1) {
                    throw new CrlFormatException("crlEntryExtensions in a v1 CRL (only v2 may have extensions)",
                            in.pos());
                }
                int extensionsEnd = in.expect(DerTag.SEQUENCE, entryEnd, "crlEntryExtensions");
                if (extensionsEnd != entryEnd) {
                    throw new CrlFormatException("revokedCertificates entry has an element after crlEntryExtensions",
                            extensionsEnd);
                }
                reason = walkExtensions(in.pos(), extensionsEnd, "crlEntryExtensions", entries);
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
            throw new CrlFormatException(what + " is an empty SEQUENCE (Extensions has at least one)", from);
        }
        in.seek(from);
        int reason = -1;
        long seenKnown = 0;
        Set<String> seenOthers = null;
        while (in.pos() < to) {
            int extensionStart = in.pos();
            int extensionEnd = in.expect(DerTag.SEQUENCE, to, labels.extension);
            in.expect(DerTag.OID, extensionEnd, labels.extnId);
            int oid = in.content();
            int oidLength = in.end() - oid;
            boolean idCe = oidLength == 3 && der.get(oid) == 0x55 && der.get(oid + 1) == 0x1d && der.get(oid + 2) >= 0;
            if (!idCe) {
                in.checkOid(labels.extnId); // 2.5.29.n with n < 128 is well formed
            }
            in.skip();
            boolean critical = false;
            if (in.peek(extensionEnd) == DerTag.BOOLEAN) {
                in.expect(DerTag.BOOLEAN, extensionEnd, labels.critical);
                if (in.end() - in.content() != 1 || der.get(in.content()) != (byte) 0xff) {
                    throw new CrlFormatException(what + " critical must be absent or TRUE (0xff) in DER", in.start());
                }
                critical = true;
                in.skip();
            }
            int valueEnd = in.expect(DerTag.OCTET_STRING, extensionEnd, labels.extnValue);
            int value = in.content();
            in.skip();
            in.expectEnd(extensionEnd, labels.extension);

            int known = idCe ? der.get(oid + 2) : -1;
            if (known >= 0 && known < 64) {
                if ((seenKnown & (1L << known)) != 0) {
                    throw new CrlFormatException(what + " has extension 2.5.29." + known + " twice", extensionStart);
                }
                seenKnown |= 1L << known;
            } else {
                if (seenOthers == null) {
                    seenOthers = new HashSet<>();
                }
                if (!seenOthers.add(new String(copy(oid, oid + oidLength), StandardCharsets.ISO_8859_1))) {
                    throw new CrlFormatException(what + " has the same extension twice", extensionStart);
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
                        if (in.peek(valueEnd) != DerTag.GENERALIZED_TIME) {
                            throw new CrlFormatException("invalidityDate must be a GeneralizedTime", value);
                        }
                        time(valueEnd, "invalidityDate");
                        in.expectEnd(valueEnd, "invalidityDate");
                    }
                    case ID_CE_CERTIFICATE_ISSUER -> {
                        entries.certificateIssuer(small(valueEnd, "certificateIssuer", GeneralNames::getInstance));
                        in.expectEnd(valueEnd, "certificateIssuer");
                    }
                    case ID_CE_HOLD_INSTRUCTION_CODE -> {
                        in.expect(DerTag.OID, valueEnd, "holdInstructionCode");
                        in.checkOid("holdInstructionCode");
                        in.skip();
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
                throw new CrlFormatException("crlExtensions " + standard.getKey() + " is malformed: " + e.getMessage(),
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
            throw new CrlFormatException(what + " has an empty value", from);
        }
        in.header(to, what);
        if (in.end() != to) {
            throw new CrlFormatException(what + " value holds more than one element", in.end());
        }
        in.checkStructure(from, to, 0, DerCursor.Walk.STRICT, what);
    }

    /**
     * A Time at the cursor as its epoch second. GeneralizedTime years before 1950 are refused: no CRL was issued
     * then, and the proleptic calendar would disagree with other readers about them.
     */
    private long time(int limit, String what) throws CrlFormatException {
        long value = in.time(limit, what);
        if (in.tag() == DerTag.GENERALIZED_TIME && in.timeYear() < 1950) {
            throw new CrlFormatException(what + ": GeneralizedTime year " + in.timeYear() + " is before 1950",
                    in.start());
        }
        return value;
    }

    private int reasonCode(int value, int valueEnd) throws CrlFormatException {
        int at = in.pos();
        int code = in.smallInteger(DerTag.ENUMERATED, valueEnd, "reasonCode");
        in.expectEnd(valueEnd, "reasonCode");
        if (code < 0 || code > 10 || code == 7) {
            throw new CrlFormatException("reasonCode " + code + " is not a CRLReason (0-6, 8-10)", at);
        }
        return code;
    }

    /**
     * Reads the element at the cursor (which must end by {@code limit}) with BouncyCastle, after checking that it
     * is strict DER; any complaint from BouncyCastle becomes a {@link CrlFormatException} naming the part.
     */
    /** A copy of {@code der[from, to)}. */
    private byte[] copy(int from, int to) {
        byte[] part = new byte[to - from];
        der.get(from, part);
        return part;
    }

    private <T> T small(int limit, String what, Function<Object, T> reader) throws CrlFormatException {
        int start = in.pos();
        in.header(limit, what);
        int end = in.end();
        in.checkStructure(start, end, 0, DerCursor.Walk.STRICT, what);
        try {
            T value = reader.apply(ASN1Primitive.fromByteArray(copy(start, end)));
            in.seek(end);
            return value;
        } catch (IOException | RuntimeException e) {
            throw new CrlFormatException(what + " is not valid: " + e.getMessage(), start);
        }
    }
}
