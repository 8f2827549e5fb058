package certgate.adapters.fetch;

import certgate.adapters.fetch.FetchOutcome.Validators;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * The fetchers certgate uses: {@link #standard} fetches http, https, ldap and ldaps distribution points within
 * {@link FetchLimits}, and refuses every other URL. TLS (https, ldaps) trusts the JDK's default trust anchors
 * ({@code cacerts}, or the store {@code -Djavax.net.ssl.trustStore} names) and checks that the server's
 * certificate names the URL's host; a caller with trust anchors of its own passes an {@link SSLContext}.
 *
 * <pre>{@code
 * CrlFetcher fetcher = CrlFetchers.standard(FetchLimits.DEFAULTS);
 * FetchOutcome outcome = fetcher.fetch(URI.create("http://pki.example.net/issuing-ca.crl"), Validators.NONE);
 * }</pre>
 *
 * <p>What is refused, and why: {@code file:} (a CRL on disk is loaded with {@code certgate load crl}, where the
 * operator names the file; a certificate must not name one), {@code ftp:} and every other scheme (not a CDP
 * certgate speaks), and a URL with credentials in its userinfo (they would go
 * into the log and every trace that names the URL; an LDAP password comes from {@link LdapCredentials}).
 */
public final class CrlFetchers {
    private CrlFetchers() {
    }

    /** HTTP, HTTPS and anonymous LDAP. */
    public static CrlFetcher standard(FetchLimits limits) {
        return standard(limits, LdapCredentials.ANONYMOUS);
    }

    /** HTTP, HTTPS, LDAP and LDAPS, binding to LDAP servers as {@code credentials} say. */
    public static CrlFetcher standard(FetchLimits limits, LdapCredentials credentials) {
        try {
            return standard(limits, credentials, SSLContext.getDefault());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no default TLS context", e);
        }
    }

    /**
     * As {@link #standard(FetchLimits, LdapCredentials)}, with {@code tls} for https and ldaps: its trust
     * managers decide which server certificates are accepted (the host name is checked whatever they say).
     */
    public static CrlFetcher standard(FetchLimits limits, LdapCredentials credentials, SSLContext tls) {
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(tls, "tls");
        return new ByScheme(new HttpCrlFetcher(limits, tls), new LdapCrlFetcher(limits, credentials, tls));
    }

    /**
     * A distribution point's URL as a certificate or a policy writes it, read as a {@link URI}, or an
     * {@link IllegalArgumentException} saying why it is not one (a space, a bad %-escape...). Whether it may be
     * fetched is then {@link CrlFetcher#refusal}'s question.
     */
    public static URI url(String text) {
        Objects.requireNonNull(text, "text");
        try {
            return new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + Details.oneLine(text) + "' is not a URL: "
                    + Details.oneLine(e.getReason()) + (e.getIndex() >= 0 ? " at character " + (e.getIndex() + 1)
                    : ""), e);
        }
    }

    /** Why {@code url} may not be fetched by any standard fetcher, or null when it may. */
    static String refusal(URI url) {
        if (url == null) {
            return "no URL";
        }
        if (!url.isAbsolute()) {
            return "not an absolute URL (it names no scheme such as http:)";
        }
        String scheme = url.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("file")) {
            return "a file: URL is not fetched: a CRL on disk is loaded with 'certgate load crl', and a certificate "
                    + "or policy may not point certgate at local files";
        }
        if (!scheme.equals("http") && !scheme.equals("https") && !scheme.equals("ldap") && !scheme.equals("ldaps")) {
            return "a " + Details.oneLine(scheme) + ": URL is not fetched: distribution points must be http, https, "
                    + "ldap or ldaps URLs";
        }
        if (url.isOpaque()) {
            return "not a " + scheme + ":// URL (nothing after '" + scheme + ":' names a server)";
        }
        if (url.getRawUserInfo() != null) {
            return "a URL with credentials in it ('user:password@') is refused: they would be recorded in the log "
                    + "and in traces; an LDAP password is read from a file or an environment variable instead";
        }
        if (url.getHost() == null) {
            return "the URL names no server (or its host is not a valid host name)";
        }
        if (LdapUrl.isLdap(url)) {
            try {
                LdapUrl.parse(url);
            } catch (LdapUrl.MalformedLdapUrlException e) {
                return e.getMessage();
            }
        }
        return null;
    }

    /** Refuses what {@link #refusal} refuses, sends the rest to the fetcher of its scheme, one fetch per URL. */
    private static final class ByScheme implements CrlFetcher {
        private final HttpCrlFetcher http;
        private final LdapCrlFetcher ldap;
        private final SingleFlight flights = new SingleFlight();

        ByScheme(HttpCrlFetcher http, LdapCrlFetcher ldap) {
            this.http = http;
            this.ldap = ldap;
        }

        @Override
        public FetchOutcome fetch(URI url, Validators previous) {
            Objects.requireNonNull(url, "url");
            String refusal = refusal(url);
            if (refusal != null) {
                return new FetchOutcome.Failed(url, FetchFailure.URL_NOT_ALLOWED, 0, refusal, Duration.ZERO);
            }
            return flights.fetch(url, previous == null ? Validators.NONE : previous, this::fetchNow);
        }

        private FetchOutcome fetchNow(URI url, Validators previous) {
            if (!LdapUrl.isLdap(url)) {
                return http.fetch(url, previous);
            }
            try {
                return ldap.fetch(url, LdapUrl.parse(url));
            } catch (LdapUrl.MalformedLdapUrlException e) {
                throw new IllegalStateException("refusal() passed an LDAP URL that does not parse", e);
            }
        }

        @Override
        public String refusal(URI url) {
            return CrlFetchers.refusal(url);
        }
    }
}
