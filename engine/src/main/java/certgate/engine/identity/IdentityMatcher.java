package certgate.engine.identity;

import certgate.dsl.dn.DistinguishedName;
import certgate.dsl.dn.DnSyntaxException;
import certgate.dsl.policy.IpAddress;
import certgate.engine.x509.DnsNames;
import certgate.engine.x509.ParsedCertificate;
import certgate.eventstore.IkeIdentity;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Whether the peer certificate carries the IKE ID the peer presented (step 4 of Junos's IKE phase 1 checks). ip, fqdn and ufqdn
 * must be in subjectAltName: addresses compared as bytes (an IPv4-mapped IPv6 address equals its IPv4 form),
 * host names case-insensitively without a trailing dot and only when the ID is a valid host name (no
 * wildcards: a SAN of {@code *.example.com} does not stand for {@code gw.example.com} in IKE), e-mail
 * addresses with the domain case-insensitive and the local part exact. dn: the subject equals the DN, through
 * {@code certgate.dsl.dn} (RFC 4518 prepared values), RDNs written most specific first.
 */
public final class IdentityMatcher {
    private IdentityMatcher() {
    }

    /** The answer, with what was compared for the trace. */
    public record Match(boolean matches, String detail) {
    }

    public static Match match(IkeIdentity identity, ParsedCertificate peer) {
        return switch (identity.type()) {
            case IP -> ip(identity.value(), peer);
            case FQDN -> fqdn(identity.value(), peer);
            case UFQDN -> ufqdn(identity.value(), peer);
            case DN -> dn(identity.value(), peer);
        };
    }

    private static Match ip(String value, ParsedCertificate peer) {
        // The policy language's parser: literals only, never DNS, and ::ffff:a.b.c.d already unmapped.
        Optional<IpAddress> parsed = IpAddress.parse(value);
        if (parsed.isEmpty()) {
            return new Match(false, "IKE ID ip:" + value + " is not an IPv4 or IPv6 address literal");
        }
        byte[] wanted = parsed.get().bytes();
        List<byte[]> addresses = peer.altNames().ipAddresses();
        for (byte[] address : addresses) {
            if (Arrays.equals(unmapped(address), wanted)) {
                return new Match(true, "ip:" + value + " is an iPAddress in subjectAltName");
            }
        }
        return new Match(false, "ip:" + value + " is not among the subjectAltName iPAddresses "
                + addresses.stream().map(IdentityMatcher::ipText).toList());
    }

    /** ::ffff:a.b.c.d compares as a.b.c.d. */
    private static byte[] unmapped(byte[] address) {
        if (address.length != 16) {
            return address;
        }
        for (int i = 0; i < 10; i++) {
            if (address[i] != 0) {
                return address;
            }
        }
        if (address[10] != (byte) 0xff || address[11] != (byte) 0xff) {
            return address;
        }
        return Arrays.copyOfRange(address, 12, 16);
    }

    private static String ipText(byte[] address) {
        if (address.length == 4) {
            return (address[0] & 0xff) + "." + (address[1] & 0xff) + "." + (address[2] & 0xff) + "."
                    + (address[3] & 0xff);
        }
        if (address.length == 16) {
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < 16; i += 2) {
                out.append(i == 0 ? "" : ":").append(Integer.toHexString(((address[i] & 0xff) << 8)
                        | (address[i + 1] & 0xff)));
            }
            return out.toString();
        }
        return "malformed(" + HexFormat.of().formatHex(address) + ")";
    }

    private static Match fqdn(String value, ParsedCertificate peer) {
        String wanted = withoutTrailingDot(value).toLowerCase(Locale.ROOT);
        if (!DnsNames.isHostName(wanted)) {
            return new Match(false, "IKE ID fqdn:" + value + " is not a valid host name");
        }
        List<String> names = peer.altNames().dnsNames();
        for (String name : names) {
            if (withoutTrailingDot(name).toLowerCase(Locale.ROOT).equals(wanted)) {
                return new Match(true, "fqdn:" + value + " is a dNSName in subjectAltName");
            }
        }
        return new Match(false, "fqdn:" + value + " is not among the subjectAltName dNSNames " + names);
    }

    private static String withoutTrailingDot(String name) {
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }

    private static Match ufqdn(String value, ParsedCertificate peer) {
        int at = value.lastIndexOf('@');
        if (at <= 0 || at == value.length() - 1 || value.indexOf('@') != at) {
            return new Match(false, "IKE ID ufqdn:" + value + " is not an e-mail address (local@domain)");
        }
        List<String> emails = peer.altNames().emails();
        for (String email : emails) {
            int emailAt = email.lastIndexOf('@');
            if (emailAt > 0 && email.substring(0, emailAt).equals(value.substring(0, at))
                    && email.substring(emailAt + 1).equalsIgnoreCase(value.substring(at + 1))) {
                return new Match(true, "ufqdn:" + value + " is an rfc822Name in subjectAltName");
            }
        }
        return new Match(false, "ufqdn:" + value + " is not among the subjectAltName rfc822Names " + emails);
    }

    private static Match dn(String value, ParsedCertificate peer) {
        DistinguishedName wanted;
        try {
            wanted = DistinguishedName.parse(value);
        } catch (DnSyntaxException e) {
            return new Match(false, "IKE ID dn: " + e.getMessage());
        }
        DistinguishedName subject = peer.subject().dn();
        if (wanted.sameAs(subject)) {
            return new Match(true, "dn:" + value + " equals the subject '" + subject + "'");
        }
        return new Match(false, "dn:" + value + " does not equal the subject '" + subject + "'");
    }
}
