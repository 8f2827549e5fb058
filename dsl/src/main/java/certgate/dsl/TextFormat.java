package certgate.dsl;

import certgate.dsl.dn.DistinguishedName;
import certgate.dsl.dn.DnSyntaxException;
import certgate.dsl.policy.HostName;
import certgate.dsl.policy.IpAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The string formats of the language: each knows its diagnostic code, the form to show in help, the JSON
 * Schema it is written as, and checks a value. {@code exactPattern} is true when the JSON Schema pattern
 * accepts exactly what {@link #check} accepts (a test holds the two together); otherwise the pattern is a
 * looser hint for editors and the compiler decides.
 */
enum TextFormat {
    NAME(DiagnosticCode.MALFORMED_NAME, "1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit",
            "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$", true),
    URL(DiagnosticCode.MALFORMED_URL, "http://host/path, https://host/path, ldap://host/dn?attribute or"
            + " ldaps://host/dn?attribute (RFC 5280 CRL distribution points), without user or password in it",
            "^([Hh][Tt][Tt][Pp][Ss]?|[Ll][Dd][Aa][Pp][Ss]?)://[^\\s/?#@]+(?:[/?#]\\S*)?$", false),
    DN(DiagnosticCode.MALFORMED_DN, "RFC 4514 text, most specific RDN first, e.g. \"CN=gw1, OU=VPN, O=Corp, C=US\"",
            "^.*\\S.*$", false),
    IP(DiagnosticCode.MALFORMED_IP, "an IPv4 (192.0.2.1) or IPv6 (2001:db8::1) address literal, without a zone",
            "^[0-9A-Fa-f:.]+$", false),
    FQDN(DiagnosticCode.MALFORMED_FQDN, "a DNS name such as vpn.example.net",
            "^(?=.{1,253}\\.?$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}"
                    + "[A-Za-z0-9])?)*\\.?$", false),
    EMAIL(DiagnosticCode.MALFORMED_EMAIL, "an e-mail address such as vpn-admin@example.net",
            "^[!-?A-~]{1,64}@[A-Za-z0-9.-]+$", false),
    SHA256(DiagnosticCode.MALFORMED_FINGERPRINT, "64 hex digits, the SHA-256 of the certificate's DER (as `openssl"
            + " x509 -noout -fingerprint -sha256` prints it, with or without the colons)",
            "^([0-9A-Fa-f]{64}|([0-9A-Fa-f]{2}:){31}[0-9A-Fa-f]{2})$", true),
    PATH(DiagnosticCode.MALFORMED_PATH, "a file path such as /etc/certgate/ldap.password", "^[^\\x00-\\x1f]+$", true),
    ENV_NAME(DiagnosticCode.MALFORMED_ENV_NAME, "an environment variable name such as CERTGATE_LDAP_PASSWORD",
            "^[A-Za-z_][A-Za-z0-9_]{0,127}$", true);

    private final DiagnosticCode code;
    private final String form;
    private final String pattern;
    private final boolean exactPattern;

    TextFormat(DiagnosticCode code, String form, String pattern, boolean exactPattern) {
        this.code = code;
        this.form = form;
        this.pattern = pattern;
        this.exactPattern = exactPattern;
    }

    DiagnosticCode code() {
        return code;
    }

    String form() {
        return form;
    }

    String pattern() {
        return pattern;
    }

    boolean exactPattern() {
        return exactPattern;
    }

    private static final Pattern NAME_PATTERN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern SHA256_PATTERN = Pattern.compile(
            "[0-9A-Fa-f]{64}|([0-9A-Fa-f]{2}:){31}[0-9A-Fa-f]{2}");
    private static final Pattern PATH_PATTERN = Pattern.compile("[^\\x00-\\x1f]+");
    private static final Pattern ENV_NAME_PATTERN = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

    /** What is wrong with {@code value}, and the 0-based offset in it where, if known; empty when it is fine. */
    Optional<Problem> check(String value) {
        return switch (this) {
            case NAME -> NAME_PATTERN.matcher(value).matches() ? Optional.empty()
                    : Optional.of(new Problem("`" + value + "` is not a valid name", -1));
            case URL -> url(value);
            case DN -> dn(value);
            case IP -> IpAddress.parse(value).isPresent() ? Optional.empty()
                    : Optional.of(new Problem("`" + value + "` is not an IP address literal", -1));
            case FQDN -> fqdn(value);
            case EMAIL -> HostName.mailbox(value).isPresent() ? Optional.empty()
                    : Optional.of(new Problem("`" + value + "` is not an e-mail address", -1));
            case SHA256 -> SHA256_PATTERN.matcher(value).matches() ? Optional.empty()
                    : Optional.of(new Problem("`" + value + "` is not a SHA-256 fingerprint (64 hex digits)", -1));
            case PATH -> PATH_PATTERN.matcher(value).matches() ? Optional.empty()
                    : Optional.of(new Problem("a file path cannot be empty or hold control characters", -1));
            case ENV_NAME -> ENV_NAME_PATTERN.matcher(value).matches() ? Optional.empty()
                    : Optional.of(new Problem("`" + value + "` is not an environment variable name", -1));
        };
    }

    record Problem(String message, int offset) {
    }

    /** A {@link #SHA256} value in normal form: lower case, without colons. */
    static String sha256(String value) {
        return value.replace(":", "").toLowerCase(Locale.ROOT);
    }

    private static Optional<Problem> fqdn(String value) {
        if (IpAddress.parse(value).isPresent()) {
            return Optional.of(new Problem("`" + value + "` is an IP address, not a DNS name (use `ip`)", -1));
        }
        return HostName.fqdn(value).isPresent() ? Optional.empty()
                : Optional.of(new Problem("`" + value + "` is not a DNS name", -1));
    }

    private static Optional<Problem> dn(String value) {
        try {
            if (DistinguishedName.parse(value).isEmpty()) {
                return Optional.of(new Problem("the DN is empty", -1));
            }
            return Optional.empty();
        } catch (DnSyntaxException e) {
            return Optional.of(new Problem("malformed DN `" + value + "`: " + e.problem(), e.column()));
        }
    }

    private static Optional<Problem> url(String value) {
        String lower = value.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("http://") && !lower.startsWith("https://") && !lower.startsWith("ldap://")
                && !lower.startsWith("ldaps://")) {
            return Optional.of(new Problem("`" + value + "` is not an http://, https://, ldap:// or ldaps:// URL"
                    + (lower.startsWith("file:") || lower.startsWith("ftp:")
                    ? " (certgate fetches CRLs over http, https, ldap and ldaps only)" : ""), 0));
        }
        if (value.length() > 2048) {
            return Optional.of(new Problem("the URL is longer than 2048 characters", 2048));
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isWhitespace(value.charAt(i)) || Character.isISOControl(value.charAt(i))) {
                return Optional.of(new Problem("a URL cannot hold spaces or control characters (write %20)", i));
            }
        }
        try {
            URI uri = new URI(value);
            if (uri.getRawUserInfo() != null || uri.getRawAuthority() != null && uri.getRawAuthority().contains("@")) {
                // A password in the policy would end up in the log with it: credentials have their own keys.
                return Optional.of(new Problem("the URL holds credentials (user@ or user:password@), which a policy"
                        + " must not: give an ldap-bind with password-file or password-env instead",
                        lower.indexOf("//") + 2));
            }
            if (uri.getHost() == null || uri.getHost().isEmpty()) {
                return Optional.of(new Problem("the URL `" + value + "` names no host", lower.indexOf("//") + 2));
            }
            return Optional.empty();
        } catch (URISyntaxException e) {
            return Optional.of(new Problem("`" + value + "` is not a URL: " + e.getReason(), e.getIndex()));
        }
    }
}
