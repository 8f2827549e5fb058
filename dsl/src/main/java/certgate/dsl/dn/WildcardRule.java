package certgate.dsl.dn;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Every attribute the pattern names is present in the subject with an equal value, in any order and in any
 * RDN; attributes the pattern does not name are ignored; the value {@code *} means "present, any value".
 * A pattern may name each attribute type once (repeated types need a {@link ContainerRule}).
 */
public record WildcardRule(DistinguishedName pattern) implements DnRule {
    public static final String ANY = "*";

    public WildcardRule {
        Objects.requireNonNull(pattern, "pattern");
        if (pattern.isEmpty()) {
            throw new IllegalArgumentException("a wildcard rule needs at least one attribute");
        }
        Set<String> seen = new HashSet<>();
        for (DnAttribute attribute : attributes(pattern)) {
            if (!seen.add(attribute.oid())) {
                throw new IllegalArgumentException("wildcard rule '" + pattern + "' names " + attribute.keyword()
                        + " twice: use a container rule for repeated attribute types");
            }
        }
    }

    @Override
    public boolean matches(DistinguishedName subject) {
        // Loops, not streams: a gateway lookup by DN runs this per gateway per request.
        for (Rdn wantedRdn : pattern.rdns()) {
            for (DnAttribute wanted : wantedRdn.attributes()) {
                if (!present(wanted, subject)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean present(DnAttribute wanted, DistinguishedName subject) {
        for (Rdn rdn : subject.rdns()) {
            for (DnAttribute candidate : rdn.attributes()) {
                if (satisfies(wanted, candidate)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether one subject attribute satisfies one attribute of a wildcard pattern. */
    static boolean satisfies(DnAttribute wanted, DnAttribute candidate) {
        return wanted.oid().equals(candidate.oid())
                && (wanted.value().equals(ANY) || wanted.sameAs(candidate));
    }

    /** Every attribute of every RDN, most specific first. */
    static List<DnAttribute> attributes(DistinguishedName name) {
        return name.rdns().stream().flatMap(rdn -> rdn.attributes().stream()).toList();
    }
}
