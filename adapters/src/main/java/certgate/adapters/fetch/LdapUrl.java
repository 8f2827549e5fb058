package certgate.adapters.fetch;

import certgate.adapters.text.Utf8;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;

/**
 * An LDAP distribution point, read from its RFC 4516 URL by certgate itself: JNDI's own URL handling accepts
 * neither the query part of a CDP nor its escapes as CDPs write them, and {@link java.net.URLDecoder} turns '+'
 * into a space, which RFC 4516 does not. {@code ldap://host[:port]/dn[?attribute[?scope[?filter[?extensions]]]]},
 * or {@code ldaps://} for LDAP over TLS from the first byte: the port defaults to 389 (636 for ldaps), the
 * attribute to {@code certificateRevocationList;binary}, the scope must be
 * {@code base} (a distribution point names one entry), the filter defaults to {@code (objectClass=*)}, and a
 * critical extension ({@code !name}) is refused, as RFC 4516 asks of a client that does not implement it.
 */
record LdapUrl(boolean tls, String host, int port, String dn, String attribute, String filter) {
    static final String DEFAULT_ATTRIBUTE = "certificateRevocationList;binary";
    static final int DEFAULT_PORT = 389;
    static final int DEFAULT_TLS_PORT = 636;

    // RFC 4512 attributedescription: a descriptor or a numeric OID, then options such as ;binary
    private static final Pattern ATTRIBUTE =
            Pattern.compile("(?:[A-Za-z][A-Za-z0-9-]*|[0-9]+(?:\\.[0-9]+)+)(?:;[A-Za-z0-9-]+)*");

    /** Why an LDAP URL cannot be used, for a refusal. */
    static final class MalformedLdapUrlException extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedLdapUrlException(String message) {
            super(message);
        }
    }

    /** The attribute's name without options: what a server may answer under, with or without ;binary. */
    String attributeName() {
        int semicolon = attribute.indexOf(';');
        return semicolon < 0 ? attribute : attribute.substring(0, semicolon);
    }

    /** The server to connect to, as JNDI's provider URL names it (an IPv6 literal keeps its brackets). */
    String providerUrl() {
        return (tls ? "ldaps://" : "ldap://") + host + ":" + port;
    }

    /** Whether {@code url} is an ldap: or ldaps: URL (of any form). */
    static boolean isLdap(URI url) {
        return "ldap".equalsIgnoreCase(url.getScheme()) || "ldaps".equalsIgnoreCase(url.getScheme());
    }

    static LdapUrl parse(URI url) throws MalformedLdapUrlException {
        if (!isLdap(url) || url.isOpaque()) {
            throw new MalformedLdapUrlException("not an ldap:// or ldaps:// URL");
        }
        boolean tls = "ldaps".equalsIgnoreCase(url.getScheme());
        if (url.getHost() == null) {
            throw new MalformedLdapUrlException("the LDAP URL names no server (RFC 4516 lets a client pick one; "
                    + "certgate fetches only from the host the URL names)");
        }
        if (url.getRawFragment() != null) {
            throw new MalformedLdapUrlException("an LDAP URL has no '#' part (escape it as %23)");
        }
        String rawPath = url.getRawPath();
        if (rawPath == null || rawPath.length() <= 1) {
            throw new MalformedLdapUrlException("the LDAP URL names no entry (the part after the host is the DN "
                    + "of the entry holding the CRL)");
        }
        String dn = decode(rawPath.substring(1), "the DN");
        if (dn.isBlank()) {
            throw new MalformedLdapUrlException("the LDAP URL names no entry (its DN is empty)");
        }
        try {
            new LdapName(dn);
        } catch (InvalidNameException | IllegalArgumentException e) {
            throw new MalformedLdapUrlException("the LDAP URL's DN is not a distinguished name (RFC 4514)");
        }
        List<String> parts = url.getRawQuery() == null ? List.of() : List.of(url.getRawQuery().split("\\?", -1));
        if (parts.size() > 4) {
            throw new MalformedLdapUrlException("the LDAP URL has " + parts.size() + " '?' parts after the DN, "
                    + "at most 4 (attributes, scope, filter, extensions)");
        }
        String attribute = attribute(parts.isEmpty() ? "" : parts.get(0));
        String scope = parts.size() > 1 ? decode(parts.get(1), "the scope").toLowerCase(Locale.ROOT) : "";
        if (!scope.isEmpty() && !scope.equals("base")) {
            throw new MalformedLdapUrlException("the LDAP URL's scope must be 'base' (a distribution point names "
                    + "one entry), was " + quoted(scope));
        }
        String filter = parts.size() > 2 ? decode(parts.get(2), "the filter").strip() : "";
        if (filter.isEmpty()) {
            filter = "(objectClass=*)";
        } else if (!filter.startsWith("(")) {
            filter = "(" + filter + ")"; // as Active Directory writes them: objectClass=cRLDistributionPoint
        }
        if (parts.size() > 3) {
            extensions(parts.get(3));
        }
        int port = url.getPort() >= 0 ? url.getPort() : tls ? DEFAULT_TLS_PORT : DEFAULT_PORT;
        return new LdapUrl(tls, url.getHost(), port, dn, attribute, filter);
    }

    private static String attribute(String raw) throws MalformedLdapUrlException {
        if (raw.isEmpty()) {
            return DEFAULT_ATTRIBUTE;
        }
        String[] names = raw.split(",", -1);
        if (names.length > 1) {
            throw new MalformedLdapUrlException("the LDAP URL names " + names.length + " attributes; a "
                    + "distribution point names one (e.g. certificateRevocationList;binary)");
        }
        String name = decode(names[0], "the attribute");
        if (!ATTRIBUTE.matcher(name).matches()) {
            throw new MalformedLdapUrlException("the LDAP URL's attribute " + quoted(name)
                    + " is not an attribute description (e.g. certificateRevocationList;binary)");
        }
        return name;
    }

    private static void extensions(String raw) throws MalformedLdapUrlException {
        if (raw.isEmpty()) {
            return;
        }
        for (String extension : raw.split(",", -1)) {
            String decoded = decode(extension, "an extension");
            if (decoded.startsWith("!")) {
                int equals = decoded.indexOf('=');
                String name = equals < 0 ? decoded.substring(1) : decoded.substring(1, equals);
                throw new MalformedLdapUrlException("the LDAP URL has the critical extension " + quoted(name)
                        + ", which certgate does not implement");
            }
        }
    }

    /** RFC 3986 percent-decoding into UTF-8, strictly: a bad escape or invalid UTF-8 is an error, '+' stays. */
    static String decode(String raw, String what) throws MalformedLdapUrlException {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c != '%') {
                byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(encoded, 0, encoded.length);
                continue;
            }
            int high = i + 1 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
            int low = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 2), 16) : -1;
            if (high < 0 || low < 0) {
                throw new MalformedLdapUrlException("the LDAP URL has a bad escape in " + what
                        + " at character " + (i + 1) + ": '%' must be followed by two hexadecimal digits");
            }
            bytes.write(high << 4 | low);
            i += 2;
        }
        try {
            return Utf8.decode(bytes.toByteArray());
        } catch (CharacterCodingException e) {
            throw new MalformedLdapUrlException("the LDAP URL's escapes in " + what + " are not UTF-8");
        }
    }

    private static String quoted(String text) {
        return "'" + Details.oneLine(text) + "'";
    }
}
