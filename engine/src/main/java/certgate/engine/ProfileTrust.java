package certgate.engine;

import certgate.dsl.dn.DistinguishedName;
import certgate.dsl.dn.DnSyntaxException;
import certgate.dsl.policy.CaProfile;
import certgate.engine.x509.VerificationCache;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Which locally stored CA certificates a CA profile trusts: those loaded under the profile's name or under
 * {@link PolicyDecisions#ANY_PROFILE} (what {@code certgate verify --trust} loads), and, when the profile has a
 * {@code ca-identity}, only those whose subject is that DN. A subject that cannot be read back is not trusted.
 */
final class ProfileTrust implements Predicate<TrustedCertificate> {
    private final CaProfile profile;
    /** What the trace says of the profile's trust, made once (a {@link PreparedPolicy} keeps one per profile). */
    private final String description;
    private final int hash;

    private ProfileTrust(CaProfile profile) {
        this.profile = profile;
        this.description = "CA profile " + profile.name() + " trusts the CA certificates loaded under '"
                + profile.name() + "' or '" + PolicyDecisions.ANY_PROFILE + "'"
                + profile.caIdentity().map(dn -> " whose subject is '" + dn + "' (ca-identity)").orElse("");
        this.hash = profile.hashCode();
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
        return this == other || other instanceof ProfileTrust trust && trust.hash == hash
                && trust.profile.equals(profile);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    CaProfile profile() {
        return profile;
    }

    /** For the trace: what the profile trusts. */
    String describe() {
        return description;
    }

    /**
     * This profile's trust over {@code store}, which is tested once per store and profile (the answers kept in
     * {@code cache}) rather than once per decision: each test reads a subject DN back from its text. Equal for
     * the same store and cache and equal profiles, so a repeated peer's path search is remembered under it.
     */
    Predicate<TrustedCertificate> in(TrustStore store, VerificationCache cache) {
        return new InStore(store, this, cache);
    }

    /** The trust over one store (compared by identity: a store never changes); looks its answers up when asked. */
    private record InStore(TrustStore store, ProfileTrust trust, VerificationCache cache)
            implements Predicate<TrustedCertificate> {
        @Override
        public boolean test(TrustedCertificate certificate) {
            return cache.remember(new Trusted(store, trust), () -> trust.trustedIn(store))
                    .contains(certificate.sha256());
        }
    }

    /** The digests of the certificates of a store that a profile trusts. */
    private record Trusted(TrustStore store, ProfileTrust trust) implements VerificationCache.Key<Set<String>> {
    }

    private Set<String> trustedIn(TrustStore store) {
        Set<String> trusted = new HashSet<>();
        for (TrustStore.Entry entry : store.entries()) {
            if (test(entry.info())) {
                trusted.add(entry.info().sha256());
            }
        }
        return Set.copyOf(trusted);
    }
}
