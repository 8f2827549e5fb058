package certgate.adapters.fetch;

import certgate.adapters.fetch.FetchOutcome.Failed;
import certgate.adapters.fetch.FetchOutcome.Fetched;
import certgate.adapters.fetch.FetchOutcome.Validators;
import certgate.adapters.fetch.LdapCredentials.SimpleBind;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Hashtable;
import java.util.Locale;
import java.util.Optional;
import javax.naming.AuthenticationException;
import javax.naming.CommunicationException;
import javax.naming.CompositeName;
import javax.naming.Context;
import javax.naming.InvalidNameException;
import javax.naming.NameNotFoundException;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.Attributes;
import javax.naming.directory.DirContext;
import javax.naming.directory.InitialDirContext;
import javax.naming.directory.InvalidSearchFilterException;
import javax.naming.directory.SearchControls;
import javax.naming.directory.SearchResult;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

/**
 * Fetches a CRL from an LDAP directory with JNDI: one base-object search of the entry the URL names, for the one
 * attribute it names, anonymously unless {@link LdapCredentials} give a simple bind. An {@code ldaps://} URL is
 * LDAP over TLS from the first byte (port 636 by default), with the fetcher's {@link SSLContext} (the JDK's
 * default trust anchors, as for https) through {@link LdapTlsSocketFactory}, which also checks that the server's
 * certificate names the URL's host; a server certificate not accepted is a {@link FetchFailure#PROTOCOL} failure
 * saying why. (StartTLS on an ldap:// URL is not attempted: a CDP that wants TLS says ldaps.)
 *
 * <p>The {@code ;binary} pitfall: certificateRevocationList has a syntax that must be transferred with the
 * {@code ;binary} option, and servers differ in the name they answer with (OpenLDAP always adds {@code ;binary},
 * Active Directory never does). The attribute is asked for as the URL names it, declared binary to JNDI under
 * both names, and looked up in the answer by its name without options.
 *
 * <p>Referrals are not followed: a directory, like a certificate, must not send certgate to a server of its
 * choosing (strongSwan's CVE-2022-40617). Bounds: JNDI's connect timeout and read timeout (the latter waits for
 * a whole answer message, so a trickling server is cut off); the size limit is checked on the value received,
 * since JNDI reads a message whole before handing it over.
 */
final class LdapCrlFetcher {
    private static final String CONNECT_TIMEOUT = "com.sun.jndi.ldap.connect.timeout";
    private static final String READ_TIMEOUT = "com.sun.jndi.ldap.read.timeout";
    private static final String BINARY_ATTRIBUTES = "java.naming.ldap.attributes.binary";
    private static final String SOCKET_FACTORY = "java.naming.ldap.factory.socket";

    private final FetchLimits limits;
    private final LdapCredentials credentials;
    private final SSLContext tls;

    LdapCrlFetcher(FetchLimits limits, LdapCredentials credentials, SSLContext tls) {
        this.limits = limits;
        this.credentials = credentials;
        this.tls = tls;
    }

    FetchOutcome fetch(URI url, LdapUrl ldap) {
        long start = System.nanoTime();
        Optional<SimpleBind> bind = credentials.bindFor(url);
        Hashtable<String, Object> env = new Hashtable<>();
        try {
            env.put(Context.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.ldap.LdapCtxFactory");
            env.put(Context.PROVIDER_URL, ldap.providerUrl());
            env.put(Context.REFERRAL, "ignore");
            env.put("java.naming.ldap.version", "3");
            env.put(CONNECT_TIMEOUT, String.valueOf(Math.max(1, limits.connectTimeout().toMillis())));
            env.put(READ_TIMEOUT, String.valueOf(Math.max(1, limits.transferTimeout().toMillis())));
            env.put(BINARY_ATTRIBUTES, ldap.attributeName() + " " + ldap.attributeName() + ";binary");
            if (ldap.tls()) {
                env.put(SOCKET_FACTORY, LdapTlsSocketFactory.class.getName());
            }
            if (bind.isPresent()) {
                if (bind.get().password() == null || bind.get().password().length == 0) {
                    return failed(url, FetchFailure.PROTOCOL, "a simple bind needs a password (an empty one is an "
                            + "anonymous bind on most servers, so certgate does not send it)", start);
                }
                env.put(Context.SECURITY_AUTHENTICATION, "simple");
                env.put(Context.SECURITY_PRINCIPAL, bind.get().dn());
                env.put(Context.SECURITY_CREDENTIALS, bind.get().password());
            } else {
                env.put(Context.SECURITY_AUTHENTICATION, "none");
            }
            return search(url, ldap, env, start);
        } finally {
            env.clear();
            bind.ifPresent(simple -> {
                if (simple.password() != null) {
                    Arrays.fill(simple.password(), '\0');
                }
            });
        }
    }

    private FetchOutcome search(URI url, LdapUrl ldap, Hashtable<String, Object> env, long start) {
        DirContext context = null;
        try {
            context = ldap.tls() ? LdapTlsSocketFactory.lending(tls, () -> new InitialDirContext(env))
                    : new InitialDirContext(env);
            SearchControls controls = new SearchControls();
            controls.setSearchScope(SearchControls.OBJECT_SCOPE);
            controls.setReturningAttributes(new String[] {ldap.attribute()});
            NamingEnumeration<SearchResult> results =
                    context.search(new CompositeName().add(ldap.dn()), ldap.filter(), controls);
            try {
                if (!results.hasMore()) {
                    return failed(url, FetchFailure.LDAP_NO_SUCH_ENTRY, "the entry '" + Details.oneLine(ldap.dn())
                            + "' does not match the URL's filter " + Details.oneLine(ldap.filter()), start);
                }
                Attribute attribute = find(results.next().getAttributes(), ldap.attributeName());
                if (attribute == null || attribute.size() == 0) {
                    return failed(url, FetchFailure.LDAP_NO_SUCH_ATTRIBUTE, "the entry '"
                            + Details.oneLine(ldap.dn()) + "' has no " + Details.oneLine(ldap.attribute()), start);
                }
                Object value = attribute.get();
                if (!(value instanceof byte[] bytes)) {
                    return failed(url, FetchFailure.PROTOCOL, "the server sent " + Details.oneLine(ldap.attribute())
                            + " as text, not binary", start);
                }
                if (bytes.length > limits.maxBytes()) {
                    return failed(url, FetchFailure.TOO_LARGE, bytes.length + " bytes, over the limit of "
                            + limits.maxBytes() + " bytes", start);
                }
                return new Fetched(url, url, 0, Validators.NONE, bytes, since(start));
            } finally {
                results.close();
            }
        } catch (NameNotFoundException e) {
            return failed(url, FetchFailure.LDAP_NO_SUCH_ENTRY, "no entry '" + Details.oneLine(ldap.dn()) + "'",
                    start);
        } catch (AuthenticationException e) {
            return failed(url, FetchFailure.PROTOCOL, "the server refused the bind"
                    + (env.get(Context.SECURITY_PRINCIPAL) instanceof String dn ? " as '" + Details.oneLine(dn) + "'"
                    : "") + ": " + explanation(e), start);
        } catch (InvalidSearchFilterException e) {
            return failed(url, FetchFailure.PROTOCOL, "the URL's filter is not an LDAP filter: " + explanation(e),
                    start);
        } catch (InvalidNameException e) {
            return failed(url, FetchFailure.PROTOCOL, "the URL's DN is not a name the server reads: "
                    + explanation(e), start);
        } catch (CommunicationException e) {
            Throwable cause = e.getRootCause();
            if (cause instanceof SSLException tlsFailure) {
                return failed(url, FetchFailure.PROTOCOL, TlsFailures.reason(ldap.providerUrl(), tlsFailure), start);
            }
            if (cause instanceof SocketTimeoutException) {
                return failed(url, FetchFailure.TIMEOUT, "no connection within "
                        + limits.connectTimeout().toMillis() + " ms", start);
            }
            if (cause instanceof ConnectException || cause instanceof UnknownHostException
                    || cause instanceof NoRouteToHostException) {
                return failed(url, FetchFailure.REFUSED, "cannot connect to " + Details.oneLine(ldap.providerUrl())
                        + ": " + Details.oneLine(String.valueOf(cause.getMessage())), start);
            }
            return failed(url, FetchFailure.PROTOCOL, "LDAP: " + explanation(e), start);
        } catch (NamingException e) {
            // JNDI reports its read timeout as a plain NamingException: "LDAP response read timed out, ..."
            if (String.valueOf(e.getExplanation()).toLowerCase(Locale.ROOT).contains("timed out")) {
                return failed(url, FetchFailure.TIMEOUT, "no complete answer within "
                        + limits.transferTimeout().toMillis() + " ms", start);
            }
            return failed(url, FetchFailure.PROTOCOL, "LDAP: " + explanation(e), start);
        } finally {
            if (context != null) {
                try {
                    context.close();
                } catch (NamingException e) {
                    // closing a connection that failed: nothing left to release
                }
            }
        }
    }

    /** The attribute under its name with or without options (;binary), whichever the server answered with. */
    private static Attribute find(Attributes attributes, String name) throws NamingException {
        NamingEnumeration<? extends Attribute> all = attributes.getAll();
        try {
            while (all.hasMore()) {
                Attribute attribute = all.next();
                String id = attribute.getID();
                int semicolon = id.indexOf(';');
                String base = semicolon < 0 ? id : id.substring(0, semicolon);
                if (base.equalsIgnoreCase(name)) {
                    return attribute;
                }
            }
            return null;
        } finally {
            all.close();
        }
    }

    private static String explanation(NamingException e) {
        String text = e.getExplanation() != null ? e.getExplanation() : e.getClass().getSimpleName();
        return Details.oneLine(text);
    }

    private static Failed failed(URI url, FetchFailure failure, String detail, long start) {
        return new Failed(url, failure, 0, detail, since(start));
    }

    private static Duration since(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
