package certgate.adapters.enroll;

import certgate.dsl.dn.DistinguishedName;
import certgate.dsl.dn.DnSyntaxException;
import certgate.dsl.policy.Authentication;
import certgate.dsl.policy.CompiledPolicy;
import certgate.dsl.policy.Gateway;
import certgate.dsl.policy.IdentityType;
import certgate.dsl.policy.LocalCertificate;
import certgate.dsl.policy.LocalIdentity;
import certgate.eventstore.IkeIdentity;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A gateway's certificate request as its policy says it: the subject and subjectAltNames come from the gateway's
 * {@code local-identity} (and {@code local-certificate} subject), and are checked against the peers' side of the
 * same policy, which is how the fleet's peers decide this gateway: a peer looks the gateway up by the IKE ID it
 * presents (its local identity), takes the first gateway whose remote-identity matches, and checks the
 * certificate under that gateway's CA profile and identity rule.
 *
 * <p>The subject is the local identity's DN for a {@code dn} identity; else the local-certificate's subject, when
 * the policy names it by subject; else {@code --subject}; else {@code CN=} the identity's value. The
 * subjectAltNames are the local identity (unless a DN) and every {@code --san} given besides.
 */
public final class GatewayRequests {
    private GatewayRequests() {
    }

    /**
     * What to request for a gateway: the names, and one line per peer gateway that finds it (for the person
     * running the command to read).
     */
    public record Planned(DistinguishedName subject, List<IkeIdentity> subjectAltNames, List<String> peers) {
        public Planned {
            Objects.requireNonNull(subject, "subject");
            subjectAltNames = List.copyOf(subjectAltNames);
            peers = List.copyOf(peers);
        }
    }

    /**
     * Plans the request of gateway {@code name} of {@code policy}.
     *
     * @param subject the {@code --subject} given, if any
     * @param extraNames the {@code --san} given besides the local identity, already checked
     * @throws EnrollException when the gateway names no local identity, {@code subject} contradicts the policy,
     *         or the peers' side of the policy would not accept a certificate with these names (each reason said)
     */
    public static Planned plan(CompiledPolicy policy, String name, Optional<DistinguishedName> subject,
            List<IkeIdentity> extraNames) throws EnrollException {
        String where = "gateway " + name + " of " + policy.sourceName();
        Gateway gateway = policy.gateway(name).orElseThrow(() -> new EnrollException(where + ": no such gateway"));
        LocalIdentity identity = gateway.localIdentity().orElseThrow(() -> new EnrollException(where + " names no"
                + " local-identity, the IKE ID it presents: add one (local-identity: {fqdn: NAME}) or give"
                + " --subject and --san without --gateway"));
        DistinguishedName planned = subject(where, gateway, identity, subject);
        List<IkeIdentity> names = new ArrayList<>();
        if (identity.type() != IdentityType.DN) {
            names.add(ikeId(identity));
        }
        for (IkeIdentity extra : extraNames) {
            if (!names.contains(extra)) {
                names.add(extra);
            }
        }
        if (names.isEmpty()) {
            throw new EnrollException(where + " presents the dn identity '" + identity.value() + "', the subject,"
                    + " and no --san is given: " + CertificateRequests.AT_LEAST_ONE_NAME + " (add --san fqdn:NAME,"
                    + " --san ip:ADDRESS or --san ufqdn:LOCAL@DOMAIN)");
        }
        List<String> unmet = new ArrayList<>();
        List<String> peers = new ArrayList<>();
        peers(policy, gateway, identity, planned, names, unmet, peers);
        if (!unmet.isEmpty()) {
            throw new EnrollException(where + ": a certificate with subject '" + planned + "' and subjectAltName "
                    + String.join(", ", names.stream().map(IkeIdentity::toString).toList()) + " would not satisfy"
                    + " the peers' configuration: " + String.join("; ", unmet));
        }
        return new Planned(planned, names, peers);
    }

    private static DistinguishedName subject(String where, Gateway gateway, LocalIdentity identity,
            Optional<DistinguishedName> given) throws EnrollException {
        Optional<DistinguishedName> fromPolicy = identity.dn();
        String why = "its local-identity dn";
        if (fromPolicy.isEmpty() && gateway.localCertificate().orElse(null) instanceof LocalCertificate.BySubject s) {
            fromPolicy = Optional.of(s.subject());
            why = "its local-certificate subject";
        }
        if (fromPolicy.isPresent()) {
            if (given.isPresent() && !given.get().sameAs(fromPolicy.get())) {
                throw new EnrollException("--subject '" + given.get() + "' is not the subject " + where + " gives ("
                        + why + "): '" + fromPolicy.get() + "'; leave --subject out");
            }
            return fromPolicy.get();
        }
        if (given.isPresent()) {
            return given.get();
        }
        try {
            return DistinguishedName.parse("CN=" + escaped(identity.value()));
        } catch (DnSyntaxException e) {
            throw new IllegalStateException("a CN of an escaped value always parses: " + identity.value(), e);
        }
    }

    /** RFC 4514 escapes for a value: the special characters, and a leading or trailing space or '#'. */
    private static String escaped(String value) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ("\",+;<>\\=".indexOf(c) >= 0 || (i == 0 && (c == ' ' || c == '#'))
                    || (i == value.length() - 1 && c == ' ')) {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }

    /**
     * The peers' side: the gateway a peer finds for {@code identity} must be a certificate gateway, other than
     * this one, whose identity check the names satisfy.
     */
    private static void peers(CompiledPolicy policy, Gateway self, LocalIdentity identity,
            DistinguishedName subject, List<IkeIdentity> names, List<String> unmet, List<String> peers) {
        Optional<Gateway> found = policy.findGateway(identity.type(), identity.value());
        if (found.isEmpty()) {
            unmet.add("no gateway of the policy has a remote-identity that matches " + identity + ", so a peer"
                    + " deciding under it finds none (GATEWAY_NOT_FOUND): the peer's gateway needs remote-identity"
                    + " {" + identity.type().keyword() + ": " + identity.value() + "}");
            return;
        }
        Gateway peer = found.get();
        if (peer.name().equals(self.name())) {
            unmet.add("the first gateway whose remote-identity matches " + identity + " is " + self.name() + " itself:"
                    + " its peers would take this gateway for the peer it expects");
            return;
        }
        if (peer.authentication() == Authentication.PRE_SHARED_KEY) {
            unmet.add("gateway " + peer.name() + ", the first whose remote-identity matches " + identity + ", uses a"
                    + " pre-shared key: its peer checks no certificate (NOT_A_CERTIFICATE_GATEWAY)");
            return;
        }
        if (identity.type() == IdentityType.DN) {
            if (!identity.dn().orElseThrow().sameAs(subject)) {
                unmet.add("gateway " + peer.name() + " compares the presented DN " + identity.value() + " with the"
                        + " certificate's subject '" + subject + "'");
            }
        } else if (!names.contains(ikeId(identity))) {
            unmet.add("gateway " + peer.name() + " looks for " + identity + " in the certificate's subjectAltName");
        }
        String profile = peer.caProfile().map(p -> "CA profile " + p.name() + p.caIdentity()
                .map(ca -> " (a certificate issued by '" + ca + "')").orElse("")).orElse("");
        peers.add("gateway " + peer.name() + " finds this gateway by " + identity + " and checks its certificate"
                + " under " + profile);
    }

    private static IkeIdentity ikeId(LocalIdentity identity) {
        return new IkeIdentity(IkeIdentity.Type.valueOf(identity.type().name().toUpperCase(Locale.ROOT)),
                identity.value());
    }
}
