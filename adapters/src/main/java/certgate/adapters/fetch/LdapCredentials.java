package certgate.adapters.fetch;

import java.net.URI;
import java.util.Optional;

/**
 * How an LDAP fetch binds, asked afresh at every fetch of {@code url}: anonymously (empty, the default), or with a
 * simple bind whose password the caller has just read from a file or an environment variable. The fetcher
 * overwrites the password array with zeros once the fetch is over, so the caller hands over a fresh array each
 * time and never keeps its own reference. A password never appears in a URL, the policy text or the log.
 */
@FunctionalInterface
public interface LdapCredentials {
    /** Every LDAP fetch binds anonymously. */
    LdapCredentials ANONYMOUS = url -> Optional.empty();

    Optional<SimpleBind> bindFor(URI url);

    /**
     * An RFC 4513 simple bind as {@code dn}. An empty password is refused rather than sent: servers treat a
     * simple bind without a password as an unauthenticated (anonymous) one.
     */
    record SimpleBind(String dn, char[] password) {
        @Override
        public String toString() {
            return "SimpleBind[dn=" + dn + ", password=(hidden)]";
        }
    }
}
