package certgate.engine;

import certgate.dsl.dn.DnRule;
import certgate.dsl.dn.WildcardRule;
import certgate.dsl.policy.Gateway;
import certgate.dsl.policy.RemoteIdentity;
import certgate.engine.identity.IdentityMatcher;
import certgate.engine.identity.IdentityMatcher.Match;
import certgate.engine.x509.ParsedCertificate;
import certgate.engine.x509.VerificationCache;
import certgate.eventstore.IkeIdentity;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * Step 4 of Junos's checks under a gateway. ip, fqdn, ufqdn: the presented ID must be in the certificate's
 * subjectAltName (the engine's {@link IdentityMatcher}) and be the gateway's remote identity. dn: the gateway's
 * {@code container} or {@code wildcard} rule must hold on the certificate's subject (Junos: "the values in the
 * received certificate"), and the presented DN must be that subject, so the ID that chose the gateway is the
 * certificate's own. The second conditions only matter when the caller named the gateway and skipped the lookup.
 *
 * <p>Without a presented ID (the gateway was named), the gateway's own identity stands in for it: its ip, fqdn
 * or ufqdn must be in subjectAltName, its DN rule must hold on the subject.
 */
final class GatewayIdentity {
    private final Gateway gateway;
    /** The gateway's remote identity as the trace describes it, and its DN rule as the trace names it. */
    private final String remoteText;
    private final String ruleText;

    private GatewayIdentity(Gateway gateway) {
        this.gateway = gateway;
        RemoteIdentity remote = gateway.remoteIdentity();
        this.remoteText = PolicyDecisions.describe(remote);
        this.ruleText = remote instanceof RemoteIdentity.Dn dn ? "gateway " + gateway.name() + "'s "
                + (dn.rule() instanceof WildcardRule ? "wildcard" : "container") + " rule '" + dn.rule().pattern()
                + "'" : "";
    }

    /** The check of {@code gateway}, its texts made once (a {@link PreparedPolicy} keeps one per gateway). */
    static GatewayIdentity of(Gateway gateway) {
        return new GatewayIdentity(gateway);
    }

    /**
     * The identity step for requests presenting {@code presented}: each answer remembered in {@code cache} for
     * this check (by identity: one per gateway of one prepared policy), the ID presented and the peer certificate,
     * which are all it depends on; kept with the peer, as the path search's memo is. The DN rules parse and
     * prepare every value they compare, so this was most of a repeated peer's decision under a DN gateway.
     */
    Function<ParsedCertificate, Optional<Match>> presenting(Optional<IkeIdentity> presented, VerificationCache cache) {
        return peer -> cache.remember(peer, new Checked(this, presented, peer), () -> check(presented, peer));
    }

    private record Checked(GatewayIdentity check, Optional<IkeIdentity> presented, ParsedCertificate peer)
            implements VerificationCache.Key<Optional<Match>> {
    }

    Optional<Match> check(Optional<IkeIdentity> presented, ParsedCertificate peer) {
        RemoteIdentity remote = gateway.remoteIdentity();
        if (presented.isPresent() && presented.get().type() != PolicyEnums.ikeIdType(remote.type())) {
            return Optional.of(new Match(false, "the IKE ID " + presented.get() + " is not of the type of gateway "
                    + gateway.name() + "'s remote identity (" + remoteText + ")"));
        }
        if (remote instanceof RemoteIdentity.Dn dn) {
            return Optional.of(dn(dn.rule(), presented, peer));
        }
        IkeIdentity id = presented.orElseGet(() -> new IkeIdentity(PolicyEnums.ikeIdType(remote.type()),
                configuredValue(remote)));
        if (!remote.matches(id.value())) {
            return Optional.of(new Match(false, "the IKE ID " + id + " is not gateway " + gateway.name()
                    + "'s remote identity (" + remoteText + ")"));
        }
        Match inCertificate = IdentityMatcher.match(id, peer);
        String source = presented.isPresent() ? "" : " (the gateway's own identity: the request has no IKE ID)";
        return Optional.of(new Match(inCertificate.matches(), inCertificate.detail() + source));
    }

    private Match dn(DnRule rule, Optional<IkeIdentity> presented, ParsedCertificate peer) {
        if (!rule.matches(peer.subject().dn())) {
            return new Match(false, "the subject '" + peer.subject().text() + "' does not satisfy " + ruleText);
        }
        String satisfied = "the subject '" + peer.subject().text() + "' satisfies " + ruleText;
        if (presented.isEmpty()) {
            return new Match(true, satisfied + " (the request has no IKE ID)");
        }
        Match equal = IdentityMatcher.match(presented.get(), peer);
        return new Match(equal.matches(), equal.detail() + "; " + satisfied);
    }

    private static String configuredValue(RemoteIdentity remote) {
        if (remote instanceof RemoteIdentity.Ip ip) {
            return ip.address().toString();
        }
        if (remote instanceof RemoteIdentity.Fqdn fqdn) {
            return fqdn.name();
        }
        if (remote instanceof RemoteIdentity.Ufqdn ufqdn) {
            return ufqdn.mailbox().toString();
        }
        throw new IllegalArgumentException("no single value stands for " + remote.type().name().toLowerCase(Locale.ROOT)
                + " identity " + remote);
    }
}
