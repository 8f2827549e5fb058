package certgate.engine.x509;

import certgate.dsl.dn.DistinguishedName;
import certgate.dsl.dn.DnAttribute;
import certgate.dsl.dn.Rdn;
import certgate.dsl.dn.StringPrep;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.DERUniversalString;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;

/**
 * Certificate names as certgate compares them: through {@code certgate.dsl.dn}, the project's one place for DN
 * comparison (RFC 4518 prepared values, RDNs as sets). A {@link Name} decodes its values at once (a value that
 * is not valid for its string type makes the certificate unreadable) but prepares them only when a comparison
 * cannot be decided from the encodings alone, so a fresh peer's subject is usually never prepared at all.
 */
public final class Names {
    /** Separators that cannot occur in a prepared value (RFC 4518 maps control characters to nothing). */
    private static final String BETWEEN_ATTRIBUTES = "\u0001";
    private static final String BETWEEN_RDNS = "\u0000";

    private Names() {
    }

    /** A name with its comparison keys: RDN keys in ASN.1 order (most significant RDN first). */
    public static final class Name {
        private final X500Name x500;
        private final byte[] der;
        private final int rdnCount;
        private final DistinguishedName dn;
        private volatile String text;
        private volatile List<String> rdnKeys;
        private volatile String key;

        private Name(X500Name x500, byte[] der) {
            this.x500 = x500;
            this.der = der;
            this.rdnCount = x500.getRDNs().length;
            // Decoded now, so a value that is not valid for its string type fails the parse, not a later trace.
            this.dn = convert(x500);
        }

        public boolean isEmpty() {
            return rdnCount == 0;
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
                value = keys(x500);
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
            if (rdnCount != other.rdnCount || !sameTypes(x500, other.x500)) {
                return false;
            }
            return key().equals(other.key());
        }

        /** True when {@code this} is {@code subtree} or lies below it (RFC 5280 directoryName constraints). */
        public boolean within(Name subtree) {
            if (subtree.rdnCount > rdnCount) {
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

        @Override
        public String toString() {
            return text();
        }
    }

    /** Converts a BouncyCastle name (lazily: see {@link Name}); an RDN without attributes is refused here. */
    public static Name of(X500Name name) {
        return of(name, encoding(name));
    }

    /** As {@link #of(X500Name)}, with the name's DER already at hand. */
    static Name of(X500Name name, byte[] der) {
        for (RDN rdn : name.getRDNs()) {
            if (rdn.getTypesAndValues().length == 0) {
                throw new IllegalArgumentException("a name has an RDN without attributes");
            }
        }
        return new Name(name, der);
    }

    /** The DER of a name (also the key under which recurring names, the issuer of many peers, are interned). */
    static byte[] encoding(X500Name name) {
        try {
            return name.getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new IllegalArgumentException("a name that cannot be encoded: " + e.getMessage(), e);
        }
    }

    private static boolean sameTypes(X500Name a, X500Name b) {
        RDN[] left = a.getRDNs();
        RDN[] right = b.getRDNs();
        for (int i = 0; i < left.length; i++) {
            AttributeTypeAndValue[] l = left[i].getTypesAndValues();
            AttributeTypeAndValue[] r = right[i].getTypesAndValues();
            if (l.length != r.length) {
                return false;
            }
            if (l.length == 1 && !l[0].getType().equals(r[0].getType())) {
                return false;
            }
        }
        return true;
    }

    /** BouncyCastle lists RDNs least specific first: they are reversed for the DN model. */
    private static DistinguishedName convert(X500Name name) {
        RDN[] rdns = name.getRDNs();
        List<Rdn> mostSpecificFirst = new ArrayList<>(rdns.length);
        for (RDN rdn : rdns) {
            AttributeTypeAndValue[] values = rdn.getTypesAndValues();
            List<DnAttribute> attributes = new ArrayList<>(values.length);
            for (AttributeTypeAndValue value : values) {
                attributes.add(new DnAttribute(value.getType().getId(), valueText(value.getValue())));
            }
            mostSpecificFirst.add(0, new Rdn(attributes));
        }
        return new DistinguishedName(mostSpecificFirst);
    }

    private static List<String> keys(X500Name name) {
        RDN[] rdns = name.getRDNs();
        List<String> keys = new ArrayList<>(rdns.length);
        for (RDN rdn : rdns) {
            AttributeTypeAndValue[] values = rdn.getTypesAndValues();
            String[] prepared = new String[values.length];
            for (int i = 0; i < values.length; i++) {
                prepared[i] = values[i].getType().getId() + "=" + StringPrep.prepare(valueText(values[i].getValue()));
            }
            Arrays.sort(prepared);
            keys.add(String.join(BETWEEN_ATTRIBUTES, prepared));
        }
        return List.copyOf(keys);
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
