package certgate.dsl.dn;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** One RDN; a multi-valued RDN (CN=a+UID=b) has several attributes. */
public record Rdn(List<DnAttribute> attributes) {

    public Rdn {
        attributes = List.copyOf(Objects.requireNonNull(attributes, "attributes"));
        if (attributes.isEmpty()) {
            throw new IllegalArgumentException("an RDN needs at least one attribute");
        }
    }

    public static Rdn of(String oid, String value) {
        return new Rdn(List.of(new DnAttribute(oid, value)));
    }

    /** The same set of attributes (any order), values compared as RFC 4518 prepared strings. */
    public boolean sameAs(Rdn other) {
        if (attributes.size() != other.attributes.size()) {
            return false;
        }
        return prepared().equals(other.prepared());
    }

    /** Attributes as "oid=prepared value", sorted: a canonical form of the set. */
    private List<String> prepared() {
        List<String> out = new ArrayList<>(attributes.size());
        for (DnAttribute attribute : attributes) {
            out.add(attribute.oid() + "=" + StringPrep.prepare(attribute.value()));
        }
        out.sort(null);
        return out;
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        appendTo(out);
        return out.toString();
    }

    /** Appends the RFC 4514 text, '+' between attributes (a DN's text is built in one builder). */
    void appendTo(StringBuilder out) {
        for (int i = 0; i < attributes.size(); i++) {
            if (i > 0) {
                out.append('+');
            }
            attributes.get(i).appendTo(out);
        }
    }
}
