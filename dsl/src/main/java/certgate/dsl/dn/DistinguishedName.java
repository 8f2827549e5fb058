package certgate.dsl.dn;

import java.util.List;
import java.util.Objects;

/** RDNs most specific first, as RFC 4514 writes them ("CN=gw1, OU=VPN, O=Corp, C=US"). */
public record DistinguishedName(List<Rdn> rdns) {

    public DistinguishedName {
        rdns = List.copyOf(Objects.requireNonNull(rdns, "rdns"));
    }

    /**
     * Parses RFC 4514 text: keywords CN, OU, O, L, ST, C, DC, E/emailAddress, serialNumber, UID, STREET,
     * T/title, GN, SN (case-insensitive) and dotted OIDs; escapes ({@code \,} {@code \+} {@code \22} ...);
     * {@code #hex} values holding a DER string; spaces around ',' '+' '=' ignored. ';' is not a separator.
     * The empty (or blank) string is the empty DN.
     */
    public static DistinguishedName parse(String rfc4514) throws DnSyntaxException {
        return new DnText(Objects.requireNonNull(rfc4514, "rfc4514")).parse();
    }

    public boolean isEmpty() {
        return rdns.isEmpty();
    }

    /** Same number of RDNs, each RDN the same set of attributes, values equal as RFC 4518 prepared strings. */
    public boolean sameAs(DistinguishedName other) {
        if (rdns.size() != other.rdns.size()) {
            return false;
        }
        for (int i = 0; i < rdns.size(); i++) {
            if (!rdns.get(i).sameAs(other.rdns.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** RFC 4514 text with keywords, ", " between RDNs. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(32 * rdns.size());
        for (int i = 0; i < rdns.size(); i++) {
            if (i > 0) {
                out.append(", ");
            }
            rdns.get(i).appendTo(out);
        }
        return out.toString();
    }
}
