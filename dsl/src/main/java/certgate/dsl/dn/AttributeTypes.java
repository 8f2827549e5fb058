package certgate.dsl.dn;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Attribute type keywords known to certgate, both ways. Keywords are case-insensitive (RFC 4514 section 3). */
final class AttributeTypes {
    static final String EMAIL = "1.2.840.113549.1.9.1";

    private static final Map<String, String> OID_BY_KEYWORD = new LinkedHashMap<>();
    private static final Map<String, String> KEYWORD_BY_OID = new LinkedHashMap<>();

    static {
        // The first keyword of each OID is the one toString writes.
        define("2.5.4.3", "CN");
        define("2.5.4.4", "SN", "surname");
        define("2.5.4.5", "serialNumber");
        define("2.5.4.6", "C");
        define("2.5.4.7", "L");
        define("2.5.4.8", "ST");
        define("2.5.4.9", "STREET");
        define("2.5.4.10", "O");
        define("2.5.4.11", "OU");
        define("2.5.4.12", "T", "title");
        define("2.5.4.42", "GN", "givenName");
        define("0.9.2342.19200300.100.1.25", "DC");
        define("0.9.2342.19200300.100.1.1", "UID");
        define(EMAIL, "E", "emailAddress");
    }

    private AttributeTypes() {
    }

    private static void define(String oid, String... keywords) {
        KEYWORD_BY_OID.put(oid, keywords[0]);
        for (String keyword : keywords) {
            OID_BY_KEYWORD.put(keyword.toLowerCase(Locale.ROOT), oid);
        }
    }

    static Optional<String> oidOf(String keyword) {
        return Optional.ofNullable(OID_BY_KEYWORD.get(keyword.toLowerCase(Locale.ROOT)));
    }

    static Optional<String> keywordOf(String oid) {
        return Optional.ofNullable(KEYWORD_BY_OID.get(oid));
    }

    static String keywordOrOid(String oid) {
        String keyword = KEYWORD_BY_OID.get(oid);
        return keyword == null ? oid : keyword;
    }

    /** Dotted decimal, at least two arcs, no leading zeros: what {@code (0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))+} says. */
    static boolean isOid(String text) {
        int arcs = 0;
        int i = 0;
        int length = text.length();
        while (true) {
            int start = i;
            while (i < length && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
                i++;
            }
            if (i == start || (text.charAt(start) == '0' && i - start > 1)) {
                return false;
            }
            arcs++;
            if (i == length) {
                return arcs >= 2;
            }
            if (text.charAt(i) != '.') {
                return false;
            }
            i++;
        }
    }

    static String knownKeywords() {
        return String.join(", ", KEYWORD_BY_OID.values()) + ", emailAddress, title";
    }
}
