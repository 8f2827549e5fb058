package certgate.dsl.dn;

import java.util.Objects;

/** One attribute: dotted OID ("2.5.4.3") and its value as a decoded Unicode string. */
public record DnAttribute(String oid, String value) {

    public DnAttribute {
        Objects.requireNonNull(oid, "oid");
        Objects.requireNonNull(value, "value");
        if (!AttributeTypes.isOid(oid)) {
            throw new IllegalArgumentException("attribute type '" + oid + "' is not a dotted OID");
        }
    }

    /** "CN", "OU", ... or the dotted OID when no keyword is known. */
    public String keyword() {
        return AttributeTypes.keywordOrOid(oid);
    }

    /** True when both have the same type and their values are equal as RFC 4518 prepared strings. */
    public boolean sameAs(DnAttribute other) {
        return oid.equals(other.oid) && StringPrep.prepare(value).equals(StringPrep.prepare(other.value));
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(oid.length() + value.length() + 4);
        appendTo(out);
        return out.toString();
    }

    void appendTo(StringBuilder out) {
        out.append(AttributeTypes.keywordOrOid(oid)).append('=');
        DnText.escapeInto(value, out);
    }
}
