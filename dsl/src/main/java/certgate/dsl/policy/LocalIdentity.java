package certgate.dsl.policy;

import certgate.dsl.dn.DistinguishedName;
import certgate.dsl.dn.DnSyntaxException;
import java.util.Objects;
import java.util.Optional;

/**
 * The IKE ID a gateway presents to its peers (Junos {@code local-identity}): one value of one of the remote
 * identity's types, in normal form (an IP address as {@link IpAddress} writes it, an FQDN in lower case without a
 * trailing dot, an e-mail address with its domain so, a DN as RFC 4514 text). Unlike a remote identity, a DN is
 * one exact name, the subject of the gateway's own certificate, not a rule that many subjects satisfy.
 */
public record LocalIdentity(IdentityType type, String value) {
    public LocalIdentity {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(value, "value");
        if (!normalForm(type, value).equals(Optional.of(value))) {
            throw new IllegalArgumentException("'" + value + "' is not a " + type.keyword()
                    + " identity in normal form");
        }
    }

    /** The identity of {@code type} written {@code text}, in normal form; empty when the text is not of the type. */
    public static Optional<LocalIdentity> of(IdentityType type, String text) {
        return normalForm(type, text).map(value -> new LocalIdentity(type, value));
    }

    private static Optional<String> normalForm(IdentityType type, String text) {
        return switch (type) {
            case IP -> IpAddress.parse(text).map(IpAddress::toString);
            case FQDN -> IpAddress.parse(text).isPresent() ? Optional.empty() : HostName.fqdn(text);
            case UFQDN -> HostName.mailbox(text).map(HostName.Mailbox::toString);
            case DN -> dn(text).map(DistinguishedName::toString);
        };
    }

    /** The DN of a {@code dn} identity. */
    public Optional<DistinguishedName> dn() {
        return type == IdentityType.DN ? dn(value) : Optional.empty();
    }

    private static Optional<DistinguishedName> dn(String text) {
        try {
            return Optional.of(DistinguishedName.parse(text)).filter(dn -> !dn.isEmpty());
        } catch (DnSyntaxException e) {
            return Optional.empty();
        }
    }

    /** As an IKE ID is written on the command line: {@code fqdn:gw1.example.net}. */
    @Override
    public String toString() {
        return type.keyword() + ":" + value;
    }
}
