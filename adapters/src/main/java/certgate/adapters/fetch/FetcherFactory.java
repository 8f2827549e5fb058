package certgate.adapters.fetch;

import certgate.dsl.policy.CompiledPolicy;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The fetcher a command that fetches CRLs uses, for the policy it fetches under (whose CA profiles name the LDAP
 * binds, see {@link LdapPasswords}). Commands take a factory, so that tests give them a scripted fetcher and the
 * tool gives them {@link #standard()}.
 */
@FunctionalInterface
public interface FetcherFactory {
    CrlFetcher forPolicy(Optional<CompiledPolicy> policy);

    /**
     * The network fetchers of this build ({@link CrlFetchers#standard}, with {@link FetchLimits#DEFAULTS}), binding
     * to LDAP as the policy's CA profiles say ({@link LdapPasswords}). A password the policy names but that cannot
     * be read fails that fetch, saying where it looked: it never falls back to an anonymous bind.
     */
    static FetcherFactory standard() {
        return policy -> {
            LdapPasswords passwords = LdapPasswords.of(policy);
            CrlFetcher network = CrlFetchers.standard(FetchLimits.DEFAULTS, url -> {
                try {
                    return passwords.bindFor(url).map(bind -> new LdapCredentials.SimpleBind(bind.dn(),
                            bind.password()));
                } catch (LdapPasswords.Unavailable e) {
                    // Read a moment ago by fetch() below, gone now: an empty password is refused, never sent.
                    return Optional.of(new LdapCredentials.SimpleBind("", new char[0]));
                }
            });
            return new CrlFetcher() {
                @Override
                public FetchOutcome fetch(URI url, FetchOutcome.Validators previous) {
                    if (LdapUrl.isLdap(url) && refusal(url) == null) {
                        try {
                            passwords.bindFor(url).ifPresent(bind -> java.util.Arrays.fill(bind.password(), '\0'));
                        } catch (LdapPasswords.Unavailable e) {
                            return new FetchOutcome.Failed(url, FetchFailure.PROTOCOL, 0, e.getMessage(),
                                    Duration.ZERO);
                        }
                    }
                    return network.fetch(url, previous);
                }

                @Override
                public String refusal(URI url) {
                    return network.refusal(url);
                }
            };
        };
    }

    /**
     * A fetcher without a network: every URL it may fetch fails with {@link FetchFailure#PROTOCOL} saying so,
     * and it refuses what any fetcher refuses (a scheme other than http, https, ldap, ldaps; credentials in the URL).
     */
    CrlFetcher NO_NETWORK = new CrlFetcher() {
        @Override
        public FetchOutcome fetch(URI url, FetchOutcome.Validators previous) {
            String refusal = refusal(url);
            if (refusal != null) {
                return new FetchOutcome.Failed(url, FetchFailure.URL_NOT_ALLOWED, 0, refusal, Duration.ZERO);
            }
            return new FetchOutcome.Failed(url, FetchFailure.PROTOCOL, 0, "this build of certgate has no network"
                    + " fetcher for CRL distribution points", Duration.ZERO);
        }

        @Override
        public String refusal(URI url) {
            String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
            if (!List.of("http", "https", "ldap", "ldaps").contains(scheme)) {
                return "only http, https, ldap and ldaps distribution points are fetched, not '" + url.getScheme()
                        + ":'";
            }
            if (url.getRawUserInfo() != null) {
                return "a URL with credentials in it is refused (they would enter the log)";
            }
            if (url.getHost() == null) {
                return "the URL names no host";
            }
            return null;
        }
    };
}
