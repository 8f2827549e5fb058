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
 * comparison (RFC 4518 prepared values, RDNs as sets). A name is converted once per parsed certificate into a
 * {@link Name}, whose keys make chaining and name-constraint checks plain string comparisons.
 */
public final class Names {
    /** Separators that cannot occur in a prepared value (RFC 4518 maps control characters to nothing). */
    private static final char BETWEEN_ATTRIBUTES = '\u0001';
    private static final char BETWEEN_RDNS = '\u0000';

    private Names() {
    }

    /** A name with its comparison keys: RDN keys in ASN.1 order (most significant RDN first). */
    public record Name(DistinguishedName dn, List<String> rdnKeys, String key, String text) {
        public Name {
            rdnKeys = List.copyOf(rdnKeys);
        }

        public boolean isEmpty() {
            return rdnKeys.isEmpty();
        }

        /** Equal as RFC 5280 7.1 compares names (through the DN model's prepared-string equality). */
        public boolean sameAs(Name other) {
            return key.equals(other.key);
        }

        /** True when {@code this} is {@code subtree} or lies below it (RFC 5280 directoryName constraints). */
        public boolean within(Name subtree) {
            if (subtree.rdnKeys.size() > rdnKeys.size()) {
                return false;
            }
            for (int i = 0; i < subtree.rdnKeys.size(); i++) {
                if (!subtree.rdnKeys.get(i).equals(rdnKeys.get(i))) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /** Converts and keys a BouncyCastle name. BouncyCastle lists RDNs least specific first: they are reversed. */
    public static Name of(X500Name name) {
        RDN[] rdns = name.getRDNs();
        List<String> keys = new ArrayList<>(rdns.length);
        List<Rdn> mostSpecificFirst = new ArrayList<>(rdns.length);
        for (RDN rdn : rdns) {
            AttributeTypeAndValue[] values = rdn.getTypesAndValues();
            List<DnAttribute> attributes = new ArrayList<>(values.length);
            String[] prepared = new String[values.length];
            for (int i = 0; i < values.length; i++) {
                DnAttribute attribute = new DnAttribute(values[i].getType().getId(), valueText(values[i].getValue()));
                attributes.add(attribute);
                prepared[i] = attribute.oid() + "=" + StringPrep.prepare(attribute.value());
            }
            Arrays.sort(prepared);
            keys.add(String.join(String.valueOf(BETWEEN_ATTRIBUTES), prepared));
            mostSpecificFirst.add(0, new Rdn(attributes));
        }
        DistinguishedName dn = new DistinguishedName(mostSpecificFirst);
        return new Name(dn, keys, String.join(String.valueOf(BETWEEN_RDNS), keys), dn.toString());
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
