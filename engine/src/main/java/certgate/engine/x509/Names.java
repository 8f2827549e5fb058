package certgate.engine.x509;

import certgate.der.Der;
import certgate.der.DerCursor;
import certgate.der.DerTag;
import certgate.dsl.dn.DistinguishedName;
import certgate.dsl.dn.DnAttribute;
import certgate.dsl.dn.Rdn;
import certgate.dsl.dn.StringPrep;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.DERUniversalString;
import org.bouncycastle.asn1.x500.X500Name;

/**
 * Certificate names as certgate compares them: through {@code certgate.dsl.dn}, the project's one place for DN
 * comparison (RFC 4518 prepared values, RDNs as sets). A {@link Name} is read from its DER by hand and decodes its
 * values at once (a value that is not valid for its string type makes the certificate unreadable) but prepares
 * them only when a comparison cannot be decided from the encodings alone, so a fresh peer's subject is usually
 * never prepared at all.
 *
 * <p>Values are decoded as BouncyCastle's {@code ASN1String.getString} decodes them: UTF8String strictly,
 * BMPString as UTF-16 code units, the 8-bit string types octet by octet; any other value (UniversalString
 * included) is RFC 4514 '#' and the hex of its DER, through BouncyCastle, whose re-encoding of it must equal
 * the bytes.
 */
public final class Names {
    /** Separators that cannot occur in a prepared value (RFC 4518 maps control characters to nothing). */
    private static final String BETWEEN_ATTRIBUTES = "\u0001";
    private static final String BETWEEN_RDNS = "\u0000";

    /** "2.5.4.n" for the X.520 attribute types (one content octet 0..127 after 55 04), made once. */
    private static final String[] X520_TYPES = new String[128];

    static {
        for (int i = 0; i < X520_TYPES.length; i++) {
            X520_TYPES[i] = "2.5.4." + i;
        }
    }

    private static final byte[] EMAIL_ADDRESS = {0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x09,
        0x01};

    private Names() {
    }

    /** A name with its comparison keys: RDN keys in ASN.1 order (most significant RDN first). */
    public static final class Name {
        private final byte[] der;
        /** Attributes per RDN, ASN.1 order; the attributes themselves flattened in that order. */
        private final int[] rdnSizes;
        private final String[] types;
        private final String[] values;
        private final DistinguishedName dn;
        private volatile String text;
        private volatile List<String> rdnKeys;
        private volatile String key;

        private Name(byte[] der, int[] rdnSizes, String[] types, String[] values) {
            this.der = der;
            this.rdnSizes = rdnSizes;
            this.types = types;
            this.values = values;
            this.dn = convert(rdnSizes, types, values);
        }

        public boolean isEmpty() {
            return rdnSizes.length == 0;
        }

        /** The name as the DN model holds it: RDNs most specific first. */
        public DistinguishedName dn() {
            return dn;
        }

        /** RFC 4514 text, most specific RDN first. */
        public String text() {
            String value = text;
            if (value == null) {
                value = dn.toString();
                text = value;
            }
            return value;
        }

        /** One key per RDN, ASN.1 order: the sorted "oid=prepared value" of its attributes. */
        public List<String> rdnKeys() {
            List<String> value = rdnKeys;
            if (value == null) {
                value = keys();
                rdnKeys = value;
            }
            return value;
        }

        /** A key equal for names equal under RFC 5280 7.1 (through the DN model's prepared-string equality). */
        public String key() {
            String value = key;
            if (value == null) {
                value = String.join(BETWEEN_RDNS, rdnKeys());
                key = value;
            }
            return value;
        }

        /** Equal as RFC 5280 7.1 compares names; identical encodings and different shapes decide it at once. */
        public boolean sameAs(Name other) {
            if (this == other || Arrays.equals(der, other.der)) {
                return true;
            }
            if (!sameShape(other)) {
                return false;
            }
            return key().equals(other.key());
        }

        /** True when {@code this} is {@code subtree} or lies below it (RFC 5280 directoryName constraints). */
        public boolean within(Name subtree) {
            if (subtree.rdnSizes.length > rdnSizes.length) {
                return false;
            }
            List<String> mine = rdnKeys();
            List<String> theirs = subtree.rdnKeys();
            for (int i = 0; i < theirs.size(); i++) {
                if (!theirs.get(i).equals(mine.get(i))) {
                    return false;
                }
            }
            return true;
        }

        /** The decoded values of the attributes of type {@code oid}, in ASN.1 order. */
        List<String> valuesOf(String oid) {
            List<String> found = List.of();
            for (int i = 0; i < types.length; i++) {
                if (types[i].equals(oid)) {
                    if (found.isEmpty()) {
                        found = new ArrayList<>(1);
                    }
                    found.add(values[i]);
                }
            }
            return found;
        }

        /** Same number of RDNs, same sizes, and single-attribute RDNs of the same types. */
        private boolean sameShape(Name other) {
            if (!Arrays.equals(rdnSizes, other.rdnSizes)) {
                return false;
            }
            int at = 0;
            for (int size : rdnSizes) {
                if (size == 1 && !types[at].equals(other.types[at])) {
                    return false;
                }
                at += size;
            }
            return true;
        }

        private List<String> keys() {
            List<String> keys = new ArrayList<>(rdnSizes.length);
            int at = 0;
            for (int size : rdnSizes) {
                String[] prepared = new String[size];
                for (int i = 0; i < size; i++) {
                    prepared[i] = types[at + i] + "=" + StringPrep.prepare(values[at + i]);
                }
                Arrays.sort(prepared);
                keys.add(String.join(BETWEEN_ATTRIBUTES, prepared));
                at += size;
            }
            return List.copyOf(keys);
        }

        @Override
        public String toString() {
            return text();
        }
    }

    /** Converts a BouncyCastle name through its DER; an RDN without attributes is refused here. */
    public static Name of(X500Name name) {
        byte[] der = encoding(name);
        try {
            return read(der, 0, der.length, 0, "name");
        } catch (CertificateFormatException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** The DER of a BouncyCastle name. */
    static byte[] encoding(X500Name name) {
        try {
            return name.getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new IllegalArgumentException("a name that cannot be encoded: " + e.getMessage(), e);
        }
    }

    /**
     * Reads the Name that occupies exactly [start, end) of {@code der}, nested {@code depth} levels deep in what
     * holds it (values handed to BouncyCastle are held to {@link DerCursor#MAX_DEPTH} from the outermost element).
     *
     * <pre>
     * Name ::= SEQUENCE OF SET SIZE (1..MAX) OF SEQUENCE { type OBJECT IDENTIFIER, value ANY }
     * </pre>
     * The attributes of a multi-valued RDN must be in DER order (SET OF: ascending encodings).
     */
    static Name read(byte[] der, int start, int end, int depth, String what) throws CertificateFormatException {
        try {
            return readName(der, start, end, depth);
        } catch (CertificateFormatException e) {
            // Labels are constant below (no string is built per attribute); the name's role is added here.
            throw new CertificateFormatException(what + ": " + e.getMessage());
        }
    }

    private static Name readName(byte[] der, int start, int end, int depth) throws CertificateFormatException {
        String what = "name";
        DerCursor<CertificateFormatException> in = new DerCursor<>(der, start, CertificateFormatException::at);
        int nameEnd = in.expect(DerTag.SEQUENCE, end, what);
        if (nameEnd != end) {
            throw CertificateFormatException.at("followed by " + (end - nameEnd) + " bytes inside its element",
                    nameEnd);
        }
        int rdnCount = 0;
        int[] rdnSizes = new int[4];
        int count = 0;
        String[] types = new String[4];
        String[] values = new String[4];
        while (in.pos() < nameEnd) {
            int rdnEnd = in.expect(DerTag.SET, nameEnd, "RDN");
            if (in.content() == rdnEnd) {
                throw CertificateFormatException.at("an RDN without attributes", in.start());
            }
            int size = 0;
            int previousStart = -1;
            int previousEnd = -1;
            while (in.pos() < rdnEnd) {
                int attributeStart = in.pos();
                int attributeEnd = in.expect(DerTag.SEQUENCE, rdnEnd, "attribute");
                if (previousStart >= 0 && Arrays.compareUnsigned(der, previousStart, previousEnd, der, attributeStart,
                        attributeEnd) > 0) {
                    throw CertificateFormatException.at("a multi-valued RDN whose attributes are not in DER order",
                            attributeStart);
                }
                previousStart = attributeStart;
                previousEnd = attributeEnd;
                in.expect(DerTag.OID, attributeEnd, "attribute type");
                in.checkOid("attribute type");
                String type = typeText(der, in.content(), in.end());
                in.skip();
                in.header(attributeEnd, "attribute value");
                // Name, RDN, attribute, value: the value is three levels below the name.
                String value = value(der, in, depth + 3);
                in.skip();
                in.expectEnd(attributeEnd, "attribute");
                if (count == types.length) {
                    types = Arrays.copyOf(types, count * 2);
                    values = Arrays.copyOf(values, count * 2);
                }
                types[count] = type;
                values[count] = value;
                count++;
                size++;
            }
            if (rdnCount == rdnSizes.length) {
                rdnSizes = Arrays.copyOf(rdnSizes, rdnCount * 2);
            }
            rdnSizes[rdnCount++] = size;
        }
        try {
            return new Name(Arrays.copyOfRange(der, start, end), Arrays.copyOf(rdnSizes, rdnCount),
                    Arrays.copyOf(types, count), Arrays.copyOf(values, count));
        } catch (IllegalArgumentException e) {
            throw CertificateFormatException.at("cannot be converted: " + e.getMessage(), start);
        }
    }

    /** Whether the OID content [from, to) is emailAddress (1.2.840.113549.1.9.1). */
    static boolean isEmailAddress(byte[] der, int from, int to) {
        return Arrays.equals(der, from, to, EMAIL_ADDRESS, 0, EMAIL_ADDRESS.length);
    }

    private static String typeText(byte[] der, int from, int to) {
        if (to - from == 3 && der[from] == 0x55 && der[from + 1] == 0x04 && der[from + 2] >= 0) {
            return X520_TYPES[der[from + 2]];
        }
        if (isEmailAddress(der, from, to)) {
            return ParsedCertificate.EMAIL_ADDRESS;
        }
        return DerCursor.oidText(der, from, to);
    }

    /** The value whose header {@code in} just read, decoded; {@code depth} is the value element's own depth. */
    private static String value(byte[] der, DerCursor<CertificateFormatException> in, int depth)
            throws CertificateFormatException {
        int from = in.content();
        int length = in.end() - in.content();
        switch (in.tag()) {
            case 0x0c -> {
                return utf8(der, from, length, in.start());
            }
            case 0x12, 0x13, 0x14, 0x15, 0x16, 0x19, 0x1a, 0x1b -> {
                // NumericString, PrintableString, T61String, VideotexString, IA5String, GraphicString,
                // VisibleString, GeneralString: one character per octet, as BouncyCastle reads them.
                return new String(der, from, length, StandardCharsets.ISO_8859_1);
            }
            case 0x1e -> {
                if (length % 2 != 0) {
                    throw CertificateFormatException.at("attribute value: BMPString of an odd number of octets",
                            in.start());
                }
                char[] chars = new char[length / 2];
                for (int i = 0; i < chars.length; i++) {
                    chars[i] = (char) (((der[from + 2 * i] & 0xff) << 8) | (der[from + 2 * i + 1] & 0xff));
                }
                return new String(chars);
            }
            default -> {
                return otherValue(der, in.start(), in.end(), depth);
            }
        }
    }

    private static String utf8(byte[] der, int from, int length, int start)
            throws CertificateFormatException {
        for (int i = from; i < from + length; i++) {
            if (der[i] < 0) {
                try {
                    return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(ByteBuffer.wrap(der, from, length)).toString();
                } catch (CharacterCodingException e) {
                    throw CertificateFormatException.at("attribute value: UTF8String is not valid UTF-8", start);
                }
            }
        }
        return new String(der, from, length, StandardCharsets.ISO_8859_1);
    }

    /** Any other value: through BouncyCastle, whose DER re-encoding must give back the same bytes. */
    private static String otherValue(byte[] der, int start, int end, int depth)
            throws CertificateFormatException {
        Optional<String> problem = Der.problem(der, start, end - start, depth);
        if (problem.isPresent()) {
            throw new CertificateFormatException("attribute value is not DER: " + problem.get());
        }
        byte[] bytes = Arrays.copyOfRange(der, start, end);
        try {
            ASN1Primitive value = ASN1Primitive.fromByteArray(bytes);
            if (!Arrays.equals(value.getEncoded(ASN1Encoding.DER), bytes)) {
                throw CertificateFormatException.at("attribute value is not in its canonical DER encoding", start);
            }
            return valueText(value);
        } catch (IOException | RuntimeException e) {
            throw CertificateFormatException.at("attribute value cannot be read: " + e.getMessage(), start);
        }
    }

    /** BouncyCastle lists RDNs least specific first: they are reversed for the DN model. */
    private static DistinguishedName convert(int[] rdnSizes, String[] types, String[] values) {
        Rdn[] mostSpecificFirst = new Rdn[rdnSizes.length];
        int at = 0;
        for (int r = 0; r < rdnSizes.length; r++) {
            int size = rdnSizes[r];
            List<DnAttribute> attributes = size == 1 ? List.of(new DnAttribute(types[at], values[at]))
                    : attributes(types, values, at, size);
            mostSpecificFirst[rdnSizes.length - 1 - r] = new Rdn(attributes);
            at += size;
        }
        return new DistinguishedName(Arrays.asList(mostSpecificFirst));
    }

    private static List<DnAttribute> attributes(String[] types, String[] values, int at, int size) {
        DnAttribute[] attributes = new DnAttribute[size];
        for (int i = 0; i < size; i++) {
            attributes[i] = new DnAttribute(types[at + i], values[at + i]);
        }
        return Arrays.asList(attributes);
    }

    /** A directory string decoded; any other value as RFC 4514 '#' followed by the hex of its DER. */
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
}
