package certgate.dsl.policy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A CA profile's revocation settings: the mode, the profile's own CRL distribution points (up to 3, tried in
 * order), how often to refresh (zero: at the CRL's nextUpdate), what to do when no usable CRL is at hand, and
 * the simple bind for its LDAP URLs (anonymous when absent).
 */
public record RevocationCheck(RevocationMode mode, List<URI> crlUrls, Duration refreshInterval,
                              OnDownloadFailure onDownloadFailure, Optional<LdapBind> ldapBind) {
    public static final RevocationCheck DEFAULTS = new RevocationCheck(RevocationMode.CRL, List.of(), Duration.ZERO,
            OnDownloadFailure.REJECT, Optional.empty());

    public RevocationCheck {
        Objects.requireNonNull(mode, "mode");
        crlUrls = List.copyOf(crlUrls);
        Objects.requireNonNull(refreshInterval, "refreshInterval");
        Objects.requireNonNull(onDownloadFailure, "onDownloadFailure");
        Objects.requireNonNull(ldapBind, "ldapBind");
    }

    /** The first of {@link #crlUrls}, for a consumer that can use only one. */
    public Optional<URI> crlUrl() {
        return crlUrls.stream().findFirst();
    }

    /**
     * An LDAP simple bind: the DN, and where the password is to be read when a fetch needs it (a file, or an
     * environment variable), exactly one of the two. The policy, and so the log, never holds the password.
     */
    public record LdapBind(String dn, Optional<String> passwordFile, Optional<String> passwordEnv) {
        public LdapBind {
            Objects.requireNonNull(dn, "dn");
            Objects.requireNonNull(passwordFile, "passwordFile");
            Objects.requireNonNull(passwordEnv, "passwordEnv");
            if (passwordFile.isPresent() == passwordEnv.isPresent()) {
                throw new IllegalArgumentException("an LDAP bind needs exactly one of a password file and a"
                        + " password environment variable");
            }
        }
    }
}
