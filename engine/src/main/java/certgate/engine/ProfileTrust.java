package certgate.engine;

import certgate.dsl.dn.DistinguishedName;
import certgate.dsl.dn.DnSyntaxException;
import certgate.dsl.policy.CaProfile;
import java.util.function.Predicate;

/**
 * Which locally stored CA certificates a CA profile trusts: those loaded under the profile's name or under
 * {@link PolicyDecisions#ANY_PROFILE} (what {@code certgate verify --trust} loads), and, when the profile has a
 * {@code ca-identity}, only those whose subject is that DN. A subject that cannot be read back is not trusted.
 */
final class ProfileTrust implements Predicate<TrustedCertificate> {
    private final CaProfile profile;

    private ProfileTrust(CaProfile profile) {
        this.profile = profile;
    }

    static ProfileTrust of(CaProfile profile) {
        return new ProfileTrust(profile);
    }

    @Override
    public boolean test(TrustedCertificate certificate) {
        boolean loadedForIt = certificate.profiles().contains(profile.name())
                || certificate.profiles().contains(PolicyDecisions.ANY_PROFILE);
        return loadedForIt && hasIdentity(certificate);
    }

    private boolean hasIdentity(TrustedCertificate certificate) {
        if (profile.caIdentity().isEmpty()) {
            return true;
        }
        try {
            return DistinguishedName.parse(certificate.subject()).sameAs(profile.caIdentity().get());
        } catch (DnSyntaxException e) {
            return false;
        }
    }

    /** Equal profiles trust the same certificates: a repeated peer's first path is remembered across requests. */
    @Override
    public boolean equals(Object other) {
        return other instanceof ProfileTrust trust && trust.profile.equals(profile);
    }

    @Override
    public int hashCode() {
        return profile.hashCode();
    }

    /** For the trace: what the profile trusts. */
    String describe() {
        return "CA profile " + profile.name() + " trusts the CA certificates loaded under '" + profile.name()
                + "' or '" + PolicyDecisions.ANY_PROFILE + "'"
                + profile.caIdentity().map(dn -> " whose subject is '" + dn + "' (ca-identity)").orElse("");
    }
}
