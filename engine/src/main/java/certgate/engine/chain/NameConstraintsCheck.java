package certgate.engine.chain;

import certgate.engine.x509.AltNames;
import certgate.engine.x509.DnsNames;
import certgate.engine.x509.Names;
import certgate.engine.x509.ParsedCertificate;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * RFC 5280 name constraints (4.2.1.10, 6.1.3 (b)-(c), 6.1.4 (g)). Instead of intersecting subtrees into one
 * running state, each CA's constraints are checked against every certificate below it: a name must lie in one
 * permitted subtree of its form in every constraint that has permitted subtrees of that form, and in no
 * excluded subtree: the same answer as the RFC's intersection, and simpler to get right.
 *
 * <p>Rules beyond the RFC text, all failing closed: a constraint certgate cannot evaluate (a malformed DNS or
 * IP constraint, or any constraint on a form it does not interpret, such as otherName) fails a path that has a
 * name of that form below it; a name that is malformed for its form (a DNS name with a leading dot, an IP
 * address of 8 bytes) fails when that form is constrained; a wildcard DNS name ({@code *.example.com}) must lie
 * wholly in a permitted subtree and must not meet an excluded one. A dNSName constraint with a leading dot
 * ({@code .example.net}) means the names below the domain, not the domain itself, as OpenSSL and Go read it;
 * without the dot it means the domain and the names below it. A constraint applies only to names of its form:
 * a certificate without dNSNames meets no dNSName constraint, however it is written. The number of
 * comparisons per path is bounded ({@link #MAX_COMPARISONS}, as Go's verifier does), so a CA with thousands of
 * subtrees over a certificate with thousands of names is rejected rather than allowed to cost minutes.
 */
final class NameConstraintsCheck {
    static final int MAX_COMPARISONS = 250_000;

    private int comparisons;

    /** The first violation on {@code path} (peer first, trust anchor last), or empty. */
    static Optional<String> check(List<ParsedCertificate> path) {
        return new NameConstraintsCheck().run(path);
    }

    private Optional<String> run(List<ParsedCertificate> path) {
        for (int holder = path.size() - 1; holder >= 1; holder--) {
            Optional<ParsedCertificate.Constraints> constraints = path.get(holder).nameConstraints();
            if (constraints.isEmpty()) {
                continue;
            }
            for (int below = holder - 1; below >= 0; below--) {
                ParsedCertificate subject = path.get(below);
                if (below > 0 && subject.selfIssued()) {
                    continue;
                }
                Optional<String> violation = check(constraints.get(), subject);
                if (violation.isPresent()) {
                    return Optional.of(subject.subject().text() + ": " + violation.get() + " (constraints of "
                            + path.get(holder).subject().text() + ")");
                }
            }
        }
        return Optional.empty();
    }

    private Optional<String> check(ParsedCertificate.Constraints constraints, ParsedCertificate subject) {
        AltNames permitted = constraints.permitted();
        AltNames excluded = constraints.excluded();
        AltNames names = subject.altNames();
        long work = (long) (permitted.size() + excluded.size())
                * (names.size() + subject.subjectEmails().size() + subject.subject().rdnKeys().size() + 1);
        comparisons += (int) Math.min(work, Integer.MAX_VALUE);
        if (comparisons > MAX_COMPARISONS) {
            return Optional.of("more than " + MAX_COMPARISONS + " name constraint comparisons");
        }
        Optional<String> found = directoryNames(permitted, excluded, subject);
        if (found.isEmpty()) {
            found = dnsNames(permitted, excluded, names.dnsNames());
        }
        if (found.isEmpty()) {
            found = ipAddresses(permitted, excluded, names.ipAddresses());
        }
        if (found.isEmpty()) {
            List<String> emails = new java.util.ArrayList<>(names.emails());
            emails.addAll(subject.subjectEmails());
            found = emails(permitted, excluded, emails);
        }
        if (found.isEmpty()) {
            found = uris(permitted, excluded, names.uris());
        }
        if (found.isEmpty()) {
            for (int form : names.otherForms()) {
                if (permitted.otherForms().contains(form) || excluded.otherForms().contains(form)) {
                    return Optional.of("a name of form [" + form + "] is constrained and certgate does not "
                            + "evaluate constraints of that form");
                }
            }
        }
        return found;
    }

    private static Optional<String> directoryNames(AltNames permitted, AltNames excluded,
                                                   ParsedCertificate subject) {
        List<Names.Name> names = new java.util.ArrayList<>(subject.altNames().directoryNames());
        if (!subject.subject().isEmpty()) {
            names.add(subject.subject());
        }
        for (Names.Name name : names) {
            if (!permitted.directoryNames().isEmpty()
                    && permitted.directoryNames().stream().noneMatch(name::within)) {
                return Optional.of("directory name '" + name.text() + "' is not in a permitted subtree");
            }
            for (Names.Name subtree : excluded.directoryNames()) {
                if (name.within(subtree)) {
                    return Optional.of("directory name '" + name.text() + "' is in excluded subtree '"
                            + subtree.text() + "'");
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<String> dnsNames(AltNames permitted, AltNames excluded, List<String> names) {
        // A certificate without dNSNames is outside every dNSName constraint (its subject CN is not a dNSName).
        if (names.isEmpty() || (permitted.dnsNames().isEmpty() && excluded.dnsNames().isEmpty())) {
            return Optional.empty();
        }
        for (String constraint : concat(permitted.dnsNames(), excluded.dnsNames())) {
            if (!wellFormedDnsSubtree(constraint)) {
                return Optional.of("dNSName constraint '" + constraint + "' is malformed");
            }
        }
        for (String raw : names) {
            String name = DnsNames.lower(raw);
            boolean wildcard = name.startsWith("*.");
            String base = wildcard ? name.substring(2) : name;
            if (!DnsNames.isHostName(base)) {
                return Optional.of("dNSName '" + raw + "' is malformed");
            }
            if (!permitted.dnsNames().isEmpty() && permitted.dnsNames().stream()
                    .noneMatch(subtree -> dnsWithin(base, wildcard, DnsNames.lower(subtree)))) {
                return Optional.of("dNSName '" + raw + "' is not in a permitted subtree");
            }
            for (String subtree : excluded.dnsNames()) {
                String lower = DnsNames.lower(subtree);
                boolean meets = dnsWithin(base, wildcard, lower)
                        || (wildcard && DnsNames.within(domainOf(lower), base));
                if (meets) {
                    return Optional.of("dNSName '" + raw + "' meets excluded subtree '" + subtree + "'");
                }
            }
        }
        return Optional.empty();
    }

    /** A host name, the empty subtree (every name), or ".domain" (the names below domain, as OpenSSL and Go). */
    private static boolean wellFormedDnsSubtree(String constraint) {
        return constraint.isEmpty() || DnsNames.isHostName(domainOf(constraint));
    }

    /** The domain a subtree is about: "example.net" for both "example.net" and ".example.net". */
    private static String domainOf(String subtree) {
        return subtree.startsWith(".") ? subtree.substring(1) : subtree;
    }

    /**
     * Every name {@code base} stands for lies in {@code subtree}: "example.net" holds itself and the names below
     * it (RFC 5280 4.2.1.10), ".example.net" only the names below it. A wildcard's base stands for the names one
     * label below it, so it lies in either form of a subtree whose domain holds the base.
     */
    private static boolean dnsWithin(String base, boolean wildcard, String subtree) {
        if (!subtree.startsWith(".") || wildcard) {
            return DnsNames.within(base, domainOf(subtree));
        }
        String domain = subtree.substring(1);
        return !base.equals(domain) && DnsNames.within(base, domain);
    }

    private static Optional<String> ipAddresses(AltNames permitted, AltNames excluded, List<byte[]> names) {
        if (permitted.ipAddresses().isEmpty() && excluded.ipAddresses().isEmpty()) {
            return Optional.empty();
        }
        for (byte[] constraint : concat(permitted.ipAddresses(), excluded.ipAddresses())) {
            if (!validRange(constraint)) {
                return Optional.of("iPAddress constraint of " + constraint.length
                        + " bytes is not an address with a contiguous mask");
            }
        }
        for (byte[] address : names) {
            if (address.length != 4 && address.length != 16) {
                return Optional.of("iPAddress of " + address.length + " bytes is malformed");
            }
            if (!permitted.ipAddresses().isEmpty()
                    && permitted.ipAddresses().stream().noneMatch(range -> inRange(address, range))) {
                return Optional.of("iPAddress " + ip(address) + " is not in a permitted range");
            }
            for (byte[] range : excluded.ipAddresses()) {
                if (inRange(address, range)) {
                    return Optional.of("iPAddress " + ip(address) + " is in an excluded range");
                }
            }
        }
        return Optional.empty();
    }

    private static boolean validRange(byte[] range) {
        if (range.length != 8 && range.length != 32) {
            return false;
        }
        boolean zeros = false;
        for (int i = range.length / 2; i < range.length; i++) {
            for (int bit = 7; bit >= 0; bit--) {
                boolean one = (range[i] & (1 << bit)) != 0;
                if (one && zeros) {
                    return false;
                }
                zeros |= !one;
            }
        }
        return true;
    }

    private static boolean inRange(byte[] address, byte[] range) {
        int half = range.length / 2;
        if (address.length != half) {
            return false;
        }
        for (int i = 0; i < half; i++) {
            if ((address[i] & range[half + i]) != (range[i] & range[half + i])) {
                return false;
            }
        }
        return true;
    }

    private static String ip(byte[] address) {
        try {
            return java.net.InetAddress.getByAddress(address).getHostAddress();
        } catch (java.net.UnknownHostException e) {
            return java.util.HexFormat.of().formatHex(address);
        }
    }

    private static Optional<String> emails(AltNames permitted, AltNames excluded, List<String> names) {
        if (permitted.emails().isEmpty() && excluded.emails().isEmpty()) {
            return Optional.empty();
        }
        for (String email : names) {
            int at = email.lastIndexOf('@');
            if (at <= 0 || at == email.length() - 1 || email.indexOf('@') != at) {
                return Optional.of("rfc822Name '" + email + "' is malformed");
            }
            if (!permitted.emails().isEmpty()
                    && permitted.emails().stream().noneMatch(c -> emailWithin(email, at, c))) {
                return Optional.of("rfc822Name '" + email + "' is not in a permitted subtree");
            }
            for (String constraint : excluded.emails()) {
                if (emailWithin(email, at, constraint)) {
                    return Optional.of("rfc822Name '" + email + "' is in excluded subtree '" + constraint + "'");
                }
            }
        }
        return Optional.empty();
    }

    /** RFC 5280 4.2.1.10: a mailbox, a host (all its mailboxes), or ".domain" (hosts below it). */
    private static boolean emailWithin(String email, int at, String constraint) {
        String host = email.substring(at + 1).toLowerCase(Locale.ROOT);
        if (constraint.indexOf('@') >= 0) {
            int cAt = constraint.lastIndexOf('@');
            return email.substring(0, at).equals(constraint.substring(0, cAt))
                    && host.equals(constraint.substring(cAt + 1).toLowerCase(Locale.ROOT));
        }
        return hostWithin(host, constraint);
    }

    private static boolean hostWithin(String host, String constraint) {
        String lower = constraint.toLowerCase(Locale.ROOT);
        if (lower.startsWith(".")) {
            return host.endsWith(lower);
        }
        return host.equals(lower);
    }

    private static Optional<String> uris(AltNames permitted, AltNames excluded, List<String> names) {
        if (permitted.uris().isEmpty() && excluded.uris().isEmpty()) {
            return Optional.empty();
        }
        for (String uri : names) {
            Optional<String> host = uriHost(uri);
            if (host.isEmpty()) {
                return Optional.of("URI '" + uri + "' has no host to check against the constraints");
            }
            if (!permitted.uris().isEmpty()
                    && permitted.uris().stream().noneMatch(c -> hostWithin(host.get(), c))) {
                return Optional.of("URI '" + uri + "' is not in a permitted subtree");
            }
            for (String constraint : excluded.uris()) {
                if (hostWithin(host.get(), constraint)) {
                    return Optional.of("URI '" + uri + "' is in excluded subtree '" + constraint + "'");
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<String> uriHost(String uri) {
        int scheme = uri.indexOf("://");
        if (scheme <= 0) {
            return Optional.empty();
        }
        String rest = uri.substring(scheme + 3);
        int end = rest.length();
        for (char stop : new char[] {'/', '?', '#'}) {
            int at = rest.indexOf(stop);
            if (at >= 0 && at < end) {
                end = at;
            }
        }
        String authority = rest.substring(0, end);
        authority = authority.substring(authority.lastIndexOf('@') + 1);
        if (authority.startsWith("[")) {
            return Optional.empty();
        }
        int colon = authority.indexOf(':');
        String host = (colon >= 0 ? authority.substring(0, colon) : authority).toLowerCase(Locale.ROOT);
        return host.isEmpty() ? Optional.empty() : Optional.of(host);
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> all = new java.util.ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
