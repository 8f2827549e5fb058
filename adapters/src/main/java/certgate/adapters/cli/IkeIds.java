package certgate.adapters.cli;

import certgate.dsl.dn.DistinguishedName;
import certgate.dsl.dn.DnSyntaxException;
import certgate.dsl.policy.HostName;
import certgate.dsl.policy.IpAddress;
import certgate.eventstore.IkeIdentity;
import java.util.Optional;

/**
 * An IKE ID as a peer presents it on the command line or in a request line: {@code TYPE:VALUE}, the value checked
 * with the syntax the policy language gives a remote identity of that type (IP literal, DNS name, e-mail address,
 * RFC 4514 DN). A value that is not of its type is the caller's mistake, refused before anything is decided:
 * deciding it would only report an identity mismatch after building the whole chain.
 */
final class IkeIds {
    private IkeIds() {
    }

    /**
     * Parses and checks {@code text}.
     *
     * @throws IllegalArgumentException naming the value and the form expected
     */
    static IkeIdentity parse(String text) {
        IkeIdentity id = IkeIdentity.parse(text);
        Optional<String> problem = problem(id);
        if (problem.isPresent()) {
            throw new IllegalArgumentException("IKE ID '" + text + "': " + problem.get());
        }
        return id;
    }

    /** What is wrong with {@code id}'s value for its type, naming the value and the form expected; empty if nothing. */
    static Optional<String> problem(IkeIdentity id) {
        String value = id.value();
        String problem = switch (id.type()) {
            case IP -> IpAddress.parse(value).isPresent() ? null
                    : "'" + value + "' is not an IP address; expected ip:ADDRESS, four decimal octets (ip:192.0.2.1)"
                    + " or IPv6 text (ip:2001:db8::1)";
            case FQDN -> HostName.fqdn(value).isPresent() ? null
                    : "'" + value + "' is not a DNS name; expected fqdn:NAME, labels of letters, digits and '-'"
                    + " separated by dots (fqdn:gw1.example.net)";
            case UFQDN -> HostName.mailbox(value).isPresent() ? null
                    : "'" + value + "' is not an e-mail address; expected ufqdn:LOCAL@DOMAIN"
                    + " (ufqdn:vpn@example.net)";
            case DN -> dnProblem(value);
        };
        return Optional.ofNullable(problem);
    }

    private static String dnProblem(String value) {
        String expected = "; expected dn:DN, RFC 4514 text (\"dn:CN=gw1, O=Example\")";
        try {
            return DistinguishedName.parse(value).isEmpty() ? "the DN is empty" + expected : null;
        } catch (DnSyntaxException e) {
            return "'" + value + "' is not a DN: " + e.problem() + " (at column " + e.column() + ")" + expected;
        }
    }
}
