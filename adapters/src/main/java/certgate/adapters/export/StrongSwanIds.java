package certgate.adapters.export;

import certgate.dsl.dn.ContainerRule;
import certgate.dsl.dn.DistinguishedName;
import certgate.dsl.dn.DnAttribute;
import certgate.dsl.dn.Rdn;
import certgate.dsl.dn.WildcardRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Distinguished names as strongSwan reads them in {@code remote.id} and {@code ca_id}: RDNs in ASN.1 order
 * (least specific first, the reverse of RFC 4514 text), strongSwan's own attribute keywords (its {@code SN} is
 * serialNumber, not surname, so only unambiguous keywords are written), and values it can parse without
 * escapes. A value of {@code *} is strongSwan's wildcard and cannot be written as a literal.
 */
final class StrongSwanIds {
    static final Map<String, String> KEYWORDS = Map.ofEntries(
            Map.entry("2.5.4.3", "CN"), Map.entry("2.5.4.5", "serialNumber"), Map.entry("2.5.4.6", "C"),
            Map.entry("2.5.4.7", "L"), Map.entry("2.5.4.8", "ST"), Map.entry("2.5.4.9", "STREET"),
            Map.entry("2.5.4.10", "O"), Map.entry("2.5.4.11", "OU"), Map.entry("2.5.4.12", "T"),
            Map.entry("0.9.2342.19200300.100.1.25", "DC"), Map.entry("0.9.2342.19200300.100.1.1", "UID"),
            Map.entry("1.2.840.113549.1.9.1", "E"));
    static final String COMMON_NAME = "2.5.4.3";

    private StrongSwanIds() {
    }

    /** A DN that strongSwan cannot be given as the policy means it; the message says why. */
    static final class Inexpressible extends Exception {
        private static final long serialVersionUID = 1L;

        Inexpressible(String message) {
            super(message);
        }
    }

    /**
     * A wildcard rule for {@code rdn_matching = relaxed}: each attribute the rule names, as one RDN (relaxed
     * matching ignores order and the subject's other RDNs, as the rule does); {@code *} stays strongSwan's
     * wildcard, which means the same: present, any value.
     */
    static String wildcard(WildcardRule rule) throws Inexpressible {
        List<String> parts = new ArrayList<>();
        for (Rdn rdn : reversed(rule.pattern())) {
            for (DnAttribute attribute : rdn.attributes()) {
                parts.add(attribute(attribute, true));
            }
        }
        return String.join(", ", parts);
    }

    /**
     * A container rule for {@code rdn_matching = strict}: its RDNs in order, under one {@code CN=*} when the rule
     * names no CN (the subject is then the run and a common name), which accepts a subset of what the rule does.
     */
    static String container(ContainerRule rule) throws Inexpressible {
        List<String> parts = new ArrayList<>();
        boolean namesCommonName = false;
        for (Rdn rdn : reversed(rule.pattern())) {
            if (rdn.attributes().size() > 1) {
                throw new Inexpressible("its RDN '" + rdn + "' has several attributes, which strongSwan matches"
                        + " one by one");
            }
            DnAttribute attribute = rdn.attributes().get(0);
            namesCommonName |= attribute.oid().equals(COMMON_NAME);
            parts.add(attribute(attribute, false));
        }
        if (!namesCommonName) {
            parts.add("CN=*");
        }
        return String.join(", ", parts);
    }

    /** An exact DN (a CA's subject for {@code ca_id}): every RDN in order, no wildcard. */
    static String exact(DistinguishedName name) throws Inexpressible {
        List<String> parts = new ArrayList<>();
        for (Rdn rdn : reversed(name)) {
            if (rdn.attributes().size() > 1) {
                throw new Inexpressible("its RDN '" + rdn + "' has several attributes");
            }
            parts.add(attribute(rdn.attributes().get(0), false));
        }
        return String.join(", ", parts);
    }

    private static List<Rdn> reversed(DistinguishedName name) {
        List<Rdn> rdns = new ArrayList<>(name.rdns());
        java.util.Collections.reverse(rdns);
        return rdns;
    }

    private static String attribute(DnAttribute attribute, boolean wildcardAllowed) throws Inexpressible {
        Optional<String> keyword = Optional.ofNullable(KEYWORDS.get(attribute.oid()));
        if (keyword.isEmpty()) {
            throw new Inexpressible("strongSwan has no unambiguous keyword for attribute " + attribute.keyword());
        }
        String value = attribute.value();
        if (value.equals(WildcardRule.ANY)) {
            if (!wildcardAllowed) {
                throw new Inexpressible("its value '*' for " + attribute.keyword() + " is a literal asterisk, which"
                        + " strongSwan would read as a wildcard");
            }
            return keyword.get() + "=*";
        }
        boolean plain = !value.isEmpty() && !value.startsWith(" ") && !value.endsWith(" ")
                && value.chars().allMatch(c -> c >= 0x20 && c < 0x7f && ",/+=\"\\;*<>#".indexOf(c) < 0);
        if (!plain) {
            throw new Inexpressible("its value '" + value + "' for " + attribute.keyword() + " has characters"
                    + " strongSwan's DN syntax cannot carry unescaped (only printable ASCII without , / + = \" \\ ;"
                    + " * < > # is written)");
        }
        return keyword.get() + "=" + value;
    }
}
