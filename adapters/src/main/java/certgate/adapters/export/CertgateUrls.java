package certgate.adapters.export;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Where gateways reach certgate, as the exports write it into their configuration: the base URL of
 * {@code certgate serve} for CRLs ({@code BASE/crls/PROFILE.crl} per CA profile, {@code BASE/crls/by-issuer/SHA256.crl}
 * per CA certificate) and the OCSP responder's URL, used as given. Either may be absent: the policy's own CRL URLs
 * (or none) are written then.
 */
public record CertgateUrls(Optional<String> crlBase, Optional<String> ocsp) {
    public static final CertgateUrls NONE = new CertgateUrls(Optional.empty(), Optional.empty());

    public CertgateUrls {
        Objects.requireNonNull(crlBase, "crlBase");
        Objects.requireNonNull(ocsp, "ocsp");
    }

    /**
     * Reads {@code --crl-url} and {@code --ocsp-url} values: http:// or https:// URLs with a host, no query or
     * fragment, and no characters a gateway's configuration would have to quote. A trailing '/' of the CRL base is
     * dropped.
     *
     * @throws IllegalArgumentException naming the option and what is wrong
     */
    public static CertgateUrls of(Optional<String> crlBase, Optional<String> ocsp) {
        return new CertgateUrls(crlBase.map(url -> checked("--crl-url", url).replaceAll("/+$", "")),
                ocsp.map(url -> checked("--ocsp-url", url)));
    }

    /** The URL of the current CRL of CA profile {@code profile}, as {@code certgate serve} offers it. */
    public Optional<String> profileCrl(String profile) {
        return crlBase.map(base -> base + "/crls/" + profile + ".crl");
    }

    /** The URL of the current CRL of the CA certificate whose SHA-256 (hex) is {@code sha256}. */
    public Optional<String> issuerCrl(String sha256) {
        return crlBase.map(base -> base + "/crls/by-issuer/" + sha256 + ".crl");
    }

    private static String checked(String option, String text) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(option + " '" + text + "' is not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException(option + " '" + text + "' is not an http:// or https:// URL");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException(option + " '" + text + "' has no host");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException(option + " '" + text + "' has a query or fragment; give the plain URL");
        }
        if (!text.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != '"' && c != '\\' && c != ',')) {
            throw new IllegalArgumentException(option + " '" + text + "' has spaces, quotes, commas or non-ASCII"
                    + " characters; percent-encode them");
        }
        return text;
    }
}
