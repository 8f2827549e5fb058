package certgate.adapters.fetch;

import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;
import java.util.Locale;
import javax.net.ssl.SSLException;

/** What a failed TLS handshake with a distribution point means, in words, for a fetch failure's detail. */
final class TlsFailures {
    private TlsFailures() {
    }

    /**
     * "TLS: " and why: the server's certificate does not chain to a trust anchor, or does not name the host the
     * URL names, or the handshake failed otherwise; the JDK's own words follow in parentheses.
     */
    static String reason(String server, SSLException e) {
        String jdk = Details.oneLine(String.valueOf(e.getMessage()));
        String lower = jdk.toLowerCase(Locale.ROOT);
        if (caused(e, CertPathBuilderException.class) || lower.contains("pkix path")) {
            return "TLS: the certificate of " + server + " is not trusted: it does not chain to a trust anchor "
                    + "of this fetcher (" + jdk + ")";
        }
        if (caused(e, CertificateException.class) && (lower.contains("subject alternative")
                || lower.contains("name matching"))) {
            return "TLS: the certificate of " + server + " does not name that host (" + jdk + ")";
        }
        if (caused(e, CertificateException.class)) {
            return "TLS: the certificate of " + server + " was not accepted (" + jdk + ")";
        }
        return "TLS: the handshake with " + server + " failed (" + jdk + ")";
    }

    private static boolean caused(Throwable e, Class<? extends Throwable> type) {
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }
}
